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
from dataclasses import dataclass, field

import numpy as np

from captioner.asr.engine_core import Step, StreamingEngine, Utterance, display_text
from captioner.asr.funasr.pipeline import FunasrPipeline, StreamState
from captioner.asr.types import ModelInfo, Partial, Segment
from captioner.audio import SAMPLE_RATE
from captioner.text.script import Script
from captioner.text.vocabulary import Vocabulary, VocabularyFixes


@dataclass(frozen=True)
class FunasrStreamingOptions:
    script: Script = Script.SIMPLIFIED
    max_utterance_s: float = 15.0
    min_speech_s: float = 0.25  # shorter blips (clicks, coughs) are not decoded
    preroll_s: float = 2.0  # audio kept outside speech: the VAD reports a start late
    vad_restart_s: float = 300.0  # a long silence restarts the VAD cache (bounded memory)
    # The user's terms and rules, applied to shown text (the pipeline takes the terms as
    # hotwords where its model can).
    vocabulary: Vocabulary = field(default_factory=Vocabulary)


# Streaming steps decoded at once at each load level; 0 turns partials off (the second pass
# stays).
@dataclass(frozen=True)
class LoadLevel:
    steps_per_decode: int


LOAD_LEVELS = (LoadLevel(1), LoadLevel(2), LoadLevel(4), LoadLevel(0))


class FunasrStreamingRecognizer(StreamingEngine[Utterance]):
    def __init__(
        self,
        pipeline: FunasrPipeline,
        options: FunasrStreamingOptions | None = None,
        device: str = "cpu",
    ) -> None:
        self.pipeline = pipeline
        self.options = options or FunasrStreamingOptions()
        super().__init__(
            self.options.script,
            self.options.max_utterance_s,
            len(LOAD_LEVELS),
            self.options.vocabulary,
        )
        self.device = device  # the torch device the models run on
        self.vad_restarts = 0  # times a long silence restarted the VAD (its cache is bounded)
        self.reset()

    # -- Recognizer interface -------------------------------------------------------------

    def reset(self) -> None:
        """Forget all audio, text and model state; the stream clock keeps running."""
        position = self._reset_stream()
        self._state = StreamState()  # fresh VAD and streaming caches
        self._vad_origin = position  # absolute sample the VAD's milliseconds count from
        self._vad_fed = position  # audio up to here has gone to the VAD
        self._stream_fed = position  # audio up to here has gone to the streaming model
        self._stream_text = ""  # the streaming model's text for the current utterance
        self._stream_paused = False  # partials were turned off during this utterance

    @property
    def model_info(self) -> ModelInfo:
        settings = self.pipeline.settings
        models = [settings.streaming_model]
        if self.pipeline.has_second_pass:
            models.append(settings.second_pass)
        return ModelInfo("funasr", " + ".join(models), self.device, "zh")

    # -- the engine's part of the update --------------------------------------------------

    def transcribe_whole(self, audio: np.ndarray) -> list[Segment]:
        return offline_segments(self.pipeline, audio, self.options.script, self._fixes)

    def _highest_load_level(self) -> int:
        # Without a second pass the streaming text is all there is: partials never stop.
        return len(LOAD_LEVELS) - 1 if self.pipeline.has_second_pass else 2

    def _step(self) -> Step:
        return [], self._stream_step()

    def _after_finish(self) -> None:
        # The VAD would still be inside this speech: the next utterance starts from scratch.
        self._state = StreamState()
        self._vad_origin = self._vad_fed = self._stream_fed = self._now

    def _account(self) -> None:
        self.stats.decode_seconds = self.pipeline.times.total

    def _slice(self, start: int, end: int) -> np.ndarray:
        return self._buffer.slice(start, end)

    def _ingest(self, final: bool = False) -> Step:
        """Run the VAD over newly fed audio and act on the speech starts and ends it finds."""
        confirmed: list[Segment] = []
        partial: Partial | None = None
        self._buffer.absorb()
        step = self.pipeline.vad_chunk_ms * SAMPLE_RATE // 1000
        if self._now - self._vad_fed < (1 if final else step):
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
                partial = self._clear_partial()
        return confirmed, partial

    def _begin_utterance(self, sample: int) -> None:
        self._utterance = Utterance(max(sample, self._buffer.start))
        self._state.asr_cache = {}
        self._stream_fed = self._utterance.start
        self._stream_text = ""
        self._stream_paused = False

    def _end_utterance(self, end: int) -> list[Segment]:
        assert self._utterance is not None
        start, self._utterance = self._utterance.start, None
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
        steps = LOAD_LEVELS[self._level].steps_per_decode
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

    def _cut_long_utterance(self) -> Step:
        """Confirm up to the quietest point of the last 3 s; stream afresh from there."""
        assert self._utterance is not None
        if self.pipeline.has_second_pass:
            low = max(self._now - 3 * SAMPLE_RATE, self._utterance.start + SAMPLE_RATE)
            cut = self._quietest_point(low, self._now - SAMPLE_RATE // 4)
        else:
            cut = self._now  # the streaming text cannot be split: confirm all of it
        segments = self._confirm(self._utterance.start, cut)
        self._begin_utterance(cut)
        self._partial = ""
        return segments, self._stream_step(force=True)

    def _quietest_point(self, start: int, end: int, window: int = SAMPLE_RATE // 50) -> int:
        audio = self._slice(start, end)
        frames = audio.shape[0] // window
        if frames == 0:
            return end
        energy = np.square(audio[: frames * window].reshape(frames, window)).mean(axis=1)
        return start + int(np.argmin(energy)) * window + window // 2

    def _set_partial(self, raw: str) -> Partial | None:
        start = self._utterance.start if self._utterance is not None else self._now
        return self._show_partial(raw, start / SAMPLE_RATE)

    def _clear_partial(self) -> Partial | None:
        return self._set_partial("")

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
            self.vad_restarts += 1


def _join(left: str, right: str) -> str:
    """Streaming text comes in pieces: English words need a space, Chinese none."""
    word_break = left and right and _is_ascii_word_char(left[-1]) and _is_ascii_word_char(right[0])
    return f"{left} {right}" if word_break else left + right


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _or_empty(audio: np.ndarray | None) -> np.ndarray:
    return audio if audio is not None else np.zeros(0, dtype=np.float32)


def offline_segments(
    pipeline: FunasrPipeline,
    audio: np.ndarray,
    script: Script,
    fixes: VocabularyFixes | None = None,
) -> list[Segment]:
    segments = []
    for raw, start, end in pipeline.offline_segments(audio):
        text = display_text(raw, script, fixes)
        if text:
            segments.append(Segment(text, start, end))
    return segments
