"""Streaming recognition with FunASR: Paraformer streaming, FSMN-VAD endpoints, a second pass.

How audio becomes text (FunASR's "2pass" scheme):

1. FSMN-VAD (streaming, its own cache) runs over all audio in 100 ms steps and reports where
   speech begins and ends (after ``end_silence_ms`` of silence).
2. Inside an utterance, paraformer-zh-streaming is fed the utterance's audio in 600 ms (or
   480 ms) steps with its per-utterance cache: what it has decoded so far is the *partial*.
3. At the utterance end, the whole utterance is decoded again offline (paraformer-zh or
   SenseVoiceSmall) and punctuated by ct-punc as one piece: that is the *confirmed* text,
   and the partial is cleared in the same update. The confirmed text never mixes with the
   streaming fragments (FunASR issue #1196): it replaces them. It is punctuated on its own,
   so its punctuation (sentence end included) is final at once (FunASR issue #1095), and the
   offline model hears the whole utterance, so the last character, which the streaming
   model emits only once flushed with ``is_final`` (sherpa-onnx issue #1373), is there.
4. Speech that goes on without a pause is cut after ``max_utterance_s`` at the quietest point
   of the last 3 s: the part before it is confirmed, the streaming model starts afresh there.

Without a second-pass model the streaming model's own text is confirmed: at the utterance
end it is flushed with ``is_final`` (which also decodes the look-ahead tail) and punctuated.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from captioner.asr.funasr.pipeline import FunasrPipeline, StreamState
from captioner.asr.recognizer import Recognizer
from captioner.asr.stream_buffer import StreamBuffer
from captioner.asr.types import Partial, RecognizerStats, RecognizerUpdate, Segment
from captioner.audio import SAMPLE_RATE
from captioner.text.normalize import tidy_chinese
from captioner.text.script import Script, convert_script


@dataclass(frozen=True)
class FunasrStreamingOptions:
    script: Script = Script.SIMPLIFIED
    max_utterance_s: float = 15.0
    min_speech_s: float = 0.25  # shorter blips (clicks, coughs) are not decoded
    preroll_s: float = 2.0  # audio kept outside speech: the VAD reports a start late
    vad_restart_s: float = 300.0  # a long silence restarts the VAD cache (bounded memory)


# Streaming steps per call at each load level; 0 turns partials off (the second pass stays).
_LOAD_LEVELS = (1, 2, 4, 0)


class FunasrStreamingRecognizer(Recognizer):
    def __init__(
        self, pipeline: FunasrPipeline, options: FunasrStreamingOptions | None = None
    ) -> None:
        self.pipeline = pipeline
        self.options = options or FunasrStreamingOptions()
        self.stats = RecognizerStats()
        self.device = ""  # set by the factory, for reports
        self._level = 0
        self._buffer = StreamBuffer()
        self.reset()

    # -- Recognizer interface -------------------------------------------------------------

    def reset(self) -> None:
        """Forget all audio, text and model state; the stream clock keeps running."""
        position = self._buffer.reset()
        self._state = StreamState()  # fresh VAD and streaming caches
        self._vad_origin = position  # absolute sample the VAD's milliseconds count from
        self._vad_fed = position  # audio up to here has gone to the VAD
        self._utterance: int | None = None  # absolute sample where the utterance starts
        self._stream_fed = position  # audio up to here has gone to the streaming model
        self._stream_text = ""  # the streaming model's text for the current utterance
        self._stream_paused = False  # partials were turned off during this utterance
        self._partial = ""

    def feed(self, audio: np.ndarray) -> None:
        self._buffer.feed(audio)

    @property
    def processed_seconds(self) -> float:
        return self._now / SAMPLE_RATE

    @property
    def in_speech(self) -> bool:
        return self._utterance is not None

    def set_load_level(self, level: int) -> None:
        highest = len(_LOAD_LEVELS) - 1 if self.pipeline.has_second_pass else 2
        self._level = max(0, min(level, highest))

    def update(self) -> RecognizerUpdate:
        confirmed, partial = self._ingest()
        if self._utterance is None:
            self._trim_idle()
        elif self._now - self._utterance >= self.options.max_utterance_s * SAMPLE_RATE:
            confirmed += self._cut_long_utterance()
            partial = self._stream_step(force=True) or partial
        else:
            partial = self._stream_step() or partial
        self._update_stats()
        return RecognizerUpdate(tuple(confirmed), partial)

    def finish(self) -> RecognizerUpdate:
        """End the utterance now (push-to-talk released): confirm everything heard."""
        confirmed, partial = self._ingest(force=True)
        if self._utterance is not None:
            confirmed += self._end_utterance(self._now)
            partial = self._set_partial("")
        # The VAD would still be inside this speech: the next utterance starts from scratch.
        self._state = StreamState()
        self._vad_origin = self._vad_fed = self._stream_fed = self._now
        self._update_stats()
        return RecognizerUpdate(tuple(confirmed), partial)

    # -- internals ------------------------------------------------------------------------

    @property
    def _now(self) -> int:
        return self._buffer.end

    def _slice(self, start: int, end: int) -> np.ndarray:
        return self._buffer.slice(start, end)

    def _ingest(self, force: bool = False) -> tuple[list[Segment], Partial | None]:
        """Run the VAD over newly fed audio and act on the speech starts and ends it finds."""
        confirmed: list[Segment] = []
        partial: Partial | None = None
        self._buffer.absorb()
        step = self.pipeline.vad_chunk_ms * SAMPLE_RATE // 1000
        if self._now - self._vad_fed < (1 if force else step):
            return confirmed, partial
        spans = self.pipeline.vad(self._state, self._slice(self._vad_fed, self._now))
        self._vad_fed = self._now
        for begin_ms, end_ms in spans:
            if begin_ms >= 0:
                self._begin_utterance(self._vad_origin + int(begin_ms) * SAMPLE_RATE // 1000)
            if end_ms >= 0 and self._utterance is not None:
                confirmed += self._end_utterance(
                    self._vad_origin + int(end_ms) * SAMPLE_RATE // 1000
                )
                partial = self._set_partial("")
        return confirmed, partial

    def _begin_utterance(self, sample: int) -> None:
        self._utterance = max(sample, self._buffer.start)
        self._state.asr_cache = {}
        self._stream_fed = self._utterance
        self._stream_text = ""
        self._stream_paused = False

    def _end_utterance(self, end: int) -> list[Segment]:
        assert self._utterance is not None
        start, self._utterance = self._utterance, None
        end = min(max(end, start), self._now)
        segments = self._confirm(start, end)
        self._state.asr_cache = {}
        self._stream_text = ""
        return segments

    def _confirm(self, start: int, end: int) -> list[Segment]:
        """The confirmed text of [start, end): the second pass, punctuated as one piece."""
        began = time.perf_counter()
        if self.pipeline.has_second_pass:
            if end - start < self.options.min_speech_s * SAMPLE_RATE:
                return []
            raw = self.pipeline.second_pass(self._slice(start, end))
        else:
            tail = self._slice(self._stream_fed, end) if self._stream_fed < end else None
            flushed = self.pipeline.stream(self._state, _or_empty(tail), is_final=True)
            raw = _join(self._stream_text, flushed)
            self.stats.decodes += 1
        text = self._display(self.pipeline.punctuate(raw))
        self.stats.final_passes += 1
        self.stats.final_pass_seconds.append(round(time.perf_counter() - began, 3))
        return (
            [Segment(text, round(start / SAMPLE_RATE, 3), round(end / SAMPLE_RATE, 3))]
            if text
            else []
        )

    def _stream_step(self, force: bool = False) -> Partial | None:
        """Feed the streaming model the utterance audio it has not heard (whole steps)."""
        steps = _LOAD_LEVELS[self._level]
        if steps == 0 or self._stream_paused:
            # Partials stay off for the rest of this utterance: catching up on all of it at
            # once when the load eases would cost more than the lag it was meant to cut.
            self._stream_paused = True
            return None
        ready = self._now - self._stream_fed
        if ready < steps * self.pipeline.chunk_samples and not (force and ready > 0):
            return None
        text = self.pipeline.stream(self._state, self._slice(self._stream_fed, self._now))
        self._stream_fed = self._now
        self.stats.decodes += 1
        self._stream_text = _join(self._stream_text, text)
        return self._set_partial(self._stream_text)

    def _cut_long_utterance(self) -> list[Segment]:
        """Confirm up to the quietest point of the last 3 s; stream afresh from there."""
        assert self._utterance is not None
        if self.pipeline.has_second_pass:
            low = max(self._now - 3 * SAMPLE_RATE, self._utterance + SAMPLE_RATE)
            cut = self._quietest_point(low, self._now - SAMPLE_RATE // 4)
        else:
            cut = self._now  # the streaming text cannot be split: confirm all of it
        segments = self._confirm(self._utterance, cut)
        self._begin_utterance(cut)
        self._partial = ""
        return segments

    def _quietest_point(self, start: int, end: int, window: int = SAMPLE_RATE // 50) -> int:
        audio = self._slice(start, end)
        frames = audio.shape[0] // window
        if frames == 0:
            return end
        energy = np.square(audio[: frames * window].reshape(frames, window)).mean(axis=1)
        return start + int(np.argmin(energy)) * window + window // 2

    def _set_partial(self, raw: str) -> Partial | None:
        text = self._display(raw)
        if text == self._partial:
            return None
        self._partial = text
        start = self._utterance if self._utterance is not None else self._now
        return Partial(text, round(start / SAMPLE_RATE, 3), round(self._now / SAMPLE_RATE, 3))

    def _display(self, raw: str) -> str:
        return display_text(raw, self.options.script)

    def _trim_idle(self) -> None:
        """Outside speech keep only the pre-roll; restart the VAD after a long silence."""
        self._buffer.drop_before(self._now - int(self.options.preroll_s * SAMPLE_RATE))
        long_silence = self._now - self._vad_origin > self.options.vad_restart_s * SAMPLE_RATE
        if (
            long_silence
            and self._vad_fed == self._now
            and self.pipeline.vad_in_silence(self._state)
        ):
            self._state.vad_cache = {}
            self._vad_origin = self._now

    def _update_stats(self) -> None:
        self.stats.decode_seconds = self.pipeline.times.total


def display_text(raw: str, script: Script) -> str:
    """Recogniser text as shown: the chosen script, tidy punctuation, no <unk> tokens."""
    return tidy_chinese(convert_script(raw.replace("<unk>", ""), script))


def _join(left: str, right: str) -> str:
    """Streaming text comes in pieces: English words need a space, Chinese none."""
    word_break = left and right and _is_ascii_word_char(left[-1]) and _is_ascii_word_char(right[0])
    return f"{left} {right}" if word_break else left + right


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _or_empty(audio: np.ndarray | None) -> np.ndarray:
    return audio if audio is not None else np.zeros(0, dtype=np.float32)
