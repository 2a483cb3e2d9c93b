"""Streaming recognition with faster-whisper.

How audio becomes text (per utterance, as delimited by the Silero VAD):

1. While someone speaks, the utterance so far is decoded every ``step_s`` seconds of new
   audio (greedy, short encoder window): that hypothesis is the *partial*. When a decode
   takes long (long speech, slow CPU), at least as long follows without one, so that a
   pause seldom has to wait for one before its second pass.
2. When the VAD hears the utterance end (``min_silence_s`` of silence) the whole utterance is
   decoded once more with beam search (the *second pass*) and that text is *confirmed*.
   The second pass starts speculatively as soon as a pause is ``end_pad_s`` long (its
   audio is then complete) and is kept only if the pause becomes the utterance end.
   The second pass also hears up to ``context_s`` seconds of the audio before the utterance
   (at most ``max_pass_audio_s`` in all),
   and is forced (one timestamp token) to begin transcribing where the utterance begins:
   the model hears the speaker and the topic without re-transcribing them. On a held-out
   Mandarin stream this took CER from 0.360 (utterance alone) to 0.324, below whole-file
   offline decoding (0.328); forcing the earlier text as well did no better (0.319) at
   twice the cost, because forced tokens are decoded one step at a time.
3. An utterance that goes on without a pause is confirmed piece by piece: once it is longer
   than ``agreement_after_s``, a place where two successive partial hypotheses agree that a
   Whisper segment ends, and where the VAD hears a dip, becomes a cut. The audio before
   the cut goes through the same second pass as a whole utterance and is confirmed; the
   utterance goes on from the cut. At ``max_utterance_s`` without such a place it is cut at
   the quietest recent point, so work per decode stays bounded. A cut that falls in a pause
   whose speculative second pass is done (speech went on after it) confirms that pass.

   Agreement decides *where* to cut, the beam-search second pass *what* was said. Committing
   the greedy partials' agreed characters instead (LocalAgreement-2 on units) confirmed
   text that flipped with the CPU's int8 kernels: on one 19 s test stream CER 0.13 to 0.28
   by kernel (AVX2/AVX-512, MKL/oneDNN) against 0.08 to 0.21 this way.

What belongs to one utterance (and to what goes on after a cut) is a
:class:`WhisperUtterance`, made anew for each. How its text is confirmed while it goes on is
its policy's part (:mod:`policies`): the two-pass way above, or LocalAgreement-2 alone for
comparison in the benchmark.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from captioner.asr.config import Policy
from captioner.asr.engine_core import Step, StreamingEngine, Utterance
from captioner.asr.types import ModelInfo, Partial, Segment
from captioner.asr.vad import WINDOW, SileroVad, SpeechSegmenter, VadConfig
from captioner.asr.whisper.agreement import Unit
from captioner.asr.whisper.decoding import (
    DecodeSettings,
    Hypothesis,
    PrefixSegment,
    SpeechTranslator,
    WhisperDecoder,
)
from captioner.asr.whisper.hallucination import HallucinationFilter
from captioner.asr.whisper.kernels import cpu_kernels
from captioner.asr.whisper.offline import transcribe_offline
from captioner.asr.whisper.policies import POLICIES, Confirmation, Decoded
from captioner.asr.whisper.repeats import heard_after, suspected_repeat
from captioner.audio import SAMPLE_RATE
from captioner.text.normalize import normalize_for_scoring
from captioner.text.script import Script
from captioner.text.vocabulary import Vocabulary

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


@dataclass(frozen=True)
class WhisperStreamingOptions:
    language: str | None = "zh"
    script: Script = Script.SIMPLIFIED
    policy: Policy = "two-pass"
    step_s: float = 0.5
    partial: DecodeSettings = field(
        default_factory=lambda: DecodeSettings(beam_size=1, min_window_s=10.0)
    )
    final: DecodeSettings = field(
        default_factory=lambda: DecodeSettings(
            beam_size=5, min_window_s=15.0, fallback_temperatures=(0.2, 0.4)
        )
    )
    vad: VadConfig = field(default_factory=VadConfig)
    agreement_after_s: float = 6.0  # longer speech is confirmed in pieces (see above)
    max_utterance_s: float = 20.0
    cut_tolerance_s: float = 0.3  # two hypotheses' segment ends this close agree
    # Earlier audio the second pass hears. 8 s would shorten the second pass (median 0.45 ->
    # 0.40 s) but the quiet speaker right after another is then garbled (its test fails).
    context_s: float = 15.0
    # ... but all the audio of a second pass (context and utterance) stays within this, so
    # that the encoder window is at most 20 s: a 25-30 s window costs the 2-core dev CPU
    # 0.43-0.65 s of encoding against 0.21-0.25 s for 20 s. 14.5 s (a 15 s
    # window) made second passes 0.01-0.10 s faster, but the read stream (one speaker,
    # whose earlier speech helps) 4-6 characters worse in each of two runs.
    max_pass_audio_s: float = 19.5
    prompt_chars: int = 0  # earlier confirmed text given as a prompt (measured worse)
    min_speech_s: float = 0.25  # shorter blips (clicks, coughs) are not decoded
    # The user's terms and rules, applied to the text. The terms are not a prompt: nine of
    # them took the varied stream's CER from 0.193 to 0.239 (docs/benchmarks.md).
    vocabulary: Vocabulary = field(default_factory=Vocabulary)


@dataclass(frozen=True)
class LoadLevel:
    """What the engine trades for speed at one load level."""

    step_factor: float  # partials decoded this many times less often
    beam_factor: float  # second-pass beam size scaled by this
    window_factor: float  # second-pass minimum encoder window scaled by this
    partials: bool  # partials decoded at all


LOAD_LEVELS = (
    LoadLevel(1.0, 1.0, 1.0, True),
    LoadLevel(2.0, 0.4, 0.8, True),
    LoadLevel(4.0, 0.2, 0.67, True),
    LoadLevel(8.0, 0.2, 0.67, False),
)


@dataclass(frozen=True)
class InnerPause:
    """A pause inside an utterance whose speculative second pass is done."""

    start: int  # absolute sample where the pause began (the pass ran up to end_pad after)
    resumed: int  # the stream clock when speech was heard again (it resumed before this)
    hypothesis: Hypothesis


@dataclass
class WhisperUtterance(Utterance):
    """The utterance in progress, or what goes on after a cut."""

    speech_start: int  # absolute sample where the VAD heard speech begin
    confirmation: Confirmation  # the policy's state for this utterance
    heard: str = ""  # the latest partial's text (decoded without context)
    last_decode: int = field(init=False)  # absolute sample up to which the last partial decoded
    partial_cost: float = 0.0  # seconds the last partial decode took
    speculative: tuple[int, Hypothesis] | None = None  # (pause start, its second pass)
    # Pauses that speech went on after, with their second passes done: a cut in one of them
    # reuses its pass.
    inner_pauses: list[InnerPause] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.last_decode = self.start

    @property
    def held_text(self) -> str:
        return "".join(u.text for u in self.confirmation.held)


class WhisperStreamingRecognizer(StreamingEngine[WhisperUtterance]):
    def __init__(
        self,
        model: WhisperModel,
        options: WhisperStreamingOptions | None = None,
        vad: SileroVad | None = None,
        name: str = "whisper",
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """``clock`` times the decodes, and partials are spaced by what they took: a test
        that streams faster than real time gives one it controls, so that this scheduling
        does not depend on how fast the machine decodes."""
        self.options = options or WhisperStreamingOptions()
        self._clock = clock
        super().__init__(
            self.options.script,
            self.options.max_utterance_s,
            len(LOAD_LEVELS),
            self.options.vocabulary,
        )
        self.decoder = WhisperDecoder(model, self.options.language)
        self.name = name  # the model as the user named it (e.g. "base", a folder)
        self._vad = vad or SileroVad()
        self._segmenter = SpeechSegmenter(self.options.vad)
        self._filter = HallucinationFilter()
        self._new_confirmation = POLICIES[self.options.policy]
        self.reset()

    # -- Recognizer interface -------------------------------------------------------------

    def reset(self) -> None:
        """Forget all audio and text; the stream clock keeps running (timestamps go on)."""
        position = self._reset_stream()
        self._probs: list[float] = []  # VAD probability per window, from _probs_start
        self._probs_start = position
        self._context = ""  # confirmed raw text, for the prompt
        self._history: list[float] = []  # stream times where recent confirmed segments began
        self._vad.reset()
        self._segmenter.reset(position)

    @property
    def model_info(self) -> ModelInfo:
        parts = self.decoder.parts
        device = f"{parts.device} {parts.compute_type}"
        if parts.device == "cpu" and (kernels := cpu_kernels()):
            device += f" ({kernels})"
        return ModelInfo("whisper", self.name, device, self.decoder.language)

    def speech_translator(self) -> Callable[[np.ndarray], str]:
        # CTranslate2 models take calls from several threads: the translator's runs beside
        # this recogniser's, on the same loaded model.
        return SpeechTranslator(
            self.decoder.model, self.options.language, self.options.final.beam_size
        )

    def transcribe_whole(self, audio: np.ndarray) -> list[Segment]:
        # Beam 5 over 30 s windows, faster-whisper's own way (no VAD: the audio as it is).
        return list(
            transcribe_offline(
                self.decoder.model,
                audio,
                self.options.language,
                self.options.script,
                vad_filter=False,
            )
        )

    # -- the engine's part of the update --------------------------------------------------

    def _step(self) -> Step:
        utterance = self._utterance
        assert utterance is not None
        if (pause := self._segmenter.silence_since) is not None:
            # A pause: nothing new to show, but the second pass can start early.
            done = utterance.speculative is not None and utterance.speculative[0] == pause
            if pause + self._end_pad <= self._now and not done:
                utterance.speculative = (
                    pause,
                    self._second_pass(utterance, pause + self._end_pad),
                )
            return [], None
        if utterance.speculative is not None:  # speech went on after the pause
            pause, hypothesis = utterance.speculative
            utterance.inner_pauses.append(InnerPause(pause, self._now, hypothesis))
            utterance.speculative = None
        due = self._partial_due(utterance)
        if self._level_now.partials and self._now - utterance.last_decode >= due:
            return self._decode_partial(utterance)
        return [], None

    def _after_finish(self) -> None:
        self._segmenter.reset(self._segmenter.position)

    def _ingest(self, final: bool = False) -> Step:
        """Run the VAD over newly fed audio; confirm utterances that it says have ended."""
        confirmed: list[Segment] = []
        partial: Partial | None = None
        new = self._buffer.absorb()
        if not new.size:
            return confirmed, partial
        probs = self._vad(new)
        self._probs.extend(probs.tolist())
        for event in self._segmenter.feed(probs):
            if event.kind == "start":
                self._begin_utterance(event.sample)
            elif self._utterance is not None:
                confirmed += self._end_utterance(event.sample + self._end_pad)
                partial = self._clear_partial()
        return confirmed, partial

    # -- utterance lifecycle --------------------------------------------------------------

    @property
    def _pad(self) -> int:
        return int(self.options.vad.speech_pad_s * SAMPLE_RATE)

    @property
    def _end_pad(self) -> int:
        return int(self.options.vad.end_pad_s * SAMPLE_RATE)

    def _partial_due(self, utterance: WhisperUtterance) -> float:
        """Audio after the last partial decode before the next: ``step_s``, or twice what
        the last one took, so that partials of long speech on a slow CPU leave the worker
        idle half the time. A pause then rarely waits for a partial decode to finish before
        its second pass starts (varied stream, AVX2, two runs each: confirm latency p90 0.87
        and 0.98 s before, 0.73 and 0.78 s after)."""
        return max(self._step_samples, 2.0 * utterance.partial_cost * SAMPLE_RATE)

    @property
    def _level_now(self) -> LoadLevel:
        return LOAD_LEVELS[self._level]

    @property
    def _step_samples(self) -> float:
        return self.options.step_s * self._level_now.step_factor * SAMPLE_RATE

    def _final_settings(self, utterance: WhisperUtterance) -> DecodeSettings:
        level, final = self._level_now, self.options.final
        beam = replace(
            final,
            beam_size=max(1, round(final.beam_size * level.beam_factor)),
            min_window_s=final.min_window_s * level.window_factor,
        )
        return utterance.confirmation.final_settings(beam, greedy=self.options.partial)

    def _begin_utterance(self, speech_sample: int) -> None:
        start = max(speech_sample - self._pad, self._buffer.start)
        self._utterance = WhisperUtterance(start, speech_sample, self._new_confirmation())
        self.decoder.new_utterance()

    def _end_utterance(self, end: int) -> list[Segment]:
        utterance = self._utterance
        assert utterance is not None
        self._utterance = None
        end = min(end, self._now)
        if (
            end - utterance.speech_start < self.options.min_speech_s * SAMPLE_RATE
            and not utterance.confirmation.held
        ):
            return []
        speculative = utterance.speculative
        if speculative is not None and speculative[0] + self._end_pad == end:
            hypothesis = speculative[1]
        else:
            hypothesis = self._second_pass(utterance, end)
        return self._confirm(utterance, hypothesis.units)

    def _second_pass(
        self, utterance: WhisperUtterance, end: int, with_context: bool = True
    ) -> Hypothesis:
        began = self._clock()
        settings = self._final_settings(utterance)
        hypothesis = self._decode(utterance, end, settings, with_context=with_context)
        if with_context and (run := self._repeats_context(utterance, hypothesis)) is not None:
            # The context was transcribed again: what the utterance's audio alone says
            # decides, unless it says the same (then the speaker did repeat it).
            plain = self._decode(utterance, end, settings)
            if run not in normalize_for_scoring(plain.text):
                self.stats.context_repeats_avoided += 1
                hypothesis = plain
        hypothesis = self._with_terms(utterance, end, settings, with_context, hypothesis)
        self.stats.final_passes += 1
        self.stats.final_pass_seconds.append(round(self._clock() - began, 3))
        return hypothesis

    def _with_terms(
        self,
        utterance: WhisperUtterance,
        end: int,
        settings: DecodeSettings,
        with_context: bool,
        hypothesis: Hypothesis,
    ) -> Hypothesis:
        """Where the text has something like a vocabulary term (all syllables but one),
        decode once more with the terms as a prompt, and keep that only if it puts the term
        in and changes little else. A prompt on every decode fixed more names but cost
        everything else (varied stream CER 0.193 -> 0.239)."""
        fixes = self._fixes
        if fixes is None or fixes.terms is None or not hypothesis.text:
            return hypothesis
        before = self._display(hypothesis.text)
        candidates = fixes.terms.loosely_heard(before)
        if not candidates:
            return hypothesis
        self.stats.vocabulary_redecodes += 1
        prompted = self._decode(utterance, end, settings, with_context, prompt=fixes.prompt)
        if fixes.terms.put_in(before, self._display(prompted.text), candidates) is None:
            return hypothesis
        self.stats.vocabulary_redecodes_taken += 1
        return prompted

    def _repeats_context(self, utterance: WhisperUtterance, hypothesis: Hypothesis) -> str | None:
        """The run of recently confirmed text ``hypothesis`` repeats, unless this
        utterance's own partial has it too."""
        return suspected_repeat(hypothesis.text, self._context[-200:], utterance.heard)

    def _cut_long_utterance(self) -> Step:
        """Confirm up to the quietest point of the last 3 s and go on from there."""
        cut = self._quietest_point(self._now - 3 * SAMPLE_RATE, self._now - SAMPLE_RATE // 4)
        return self.confirm_up_to(cut), self._clear_partial()

    def confirm_up_to(self, cut: int) -> list[Segment]:
        """Confirm the utterance's audio before ``cut`` by a second pass (where a long
        utterance is cut, or a policy says); the rest goes on as the utterance. The piece is
        decoded without earlier context: its audio runs straight on from speech the model
        would otherwise transcribe again."""
        utterance = self._utterance
        assert utterance is not None
        inner = next(
            (p for p in utterance.inner_pauses if p.start - self._end_pad <= cut <= p.resumed),
            None,
        )
        if inner is not None:
            # The cut falls in a pause whose second pass is already done (with context: up
            # to the pause nothing runs on): confirm that instead of decoding again, and cut
            # where it ended, in the pause; what follows stays in the utterance.
            cut = inner.start + self._end_pad
            hypothesis = inner.hypothesis
            self.stats.inner_pauses_reused += 1
        else:
            hypothesis = self._second_pass(utterance, cut, with_context=False)
        segments = self._confirm(utterance, hypothesis.units)
        # The rest is a new utterance (shorter: its partials are due sooner). Until it has a
        # partial of its own, what the last partial heard after the confirmed piece vouches
        # for its text; not the piece itself, or a second pass that writes the piece again
        # (context repeated) would pass as heard.
        self._utterance = WhisperUtterance(
            cut,
            cut,
            self._new_confirmation(),
            heard=heard_after(utterance.heard, hypothesis.text),
        )
        self._drop_audio_before(cut)
        return segments

    def _decode_partial(self, utterance: WhisperUtterance) -> Step:
        decoded_to = utterance.last_decode = self._now
        began = self._clock()
        hypothesis = self._decode(utterance, decoded_to, self.options.partial)
        utterance.partial_cost = self._clock() - began
        utterance.heard = hypothesis.text
        confirmed, still_open = utterance.confirmation.after_partial(self, decoded_to, hypothesis)
        return confirmed, self._set_partial(still_open)

    def agreed_cut(self, previous: Decoded | None, latest: Decoded) -> int | None:
        """For the policies: where to confirm a long utterance up to. The latest segment end
        that the last two partials agree on, with text after it in both, at least 1 s into
        the utterance, and a VAD dip (speech probability under the threshold) within a
        quarter second."""
        utterance = self._utterance
        if previous is None or utterance is None:
            return None
        decoded_to, hypothesis = latest
        if decoded_to - utterance.start < self.options.agreement_after_s * SAMPLE_RATE:
            return None
        previous_end, previous_hypothesis = previous
        boundary = agreed_segment_end(
            previous_hypothesis,
            hypothesis,
            earliest_s=utterance.start / SAMPLE_RATE + 1.0,
            latest_s=previous_end / SAMPLE_RATE - self.options.cut_tolerance_s,
            tolerance_s=self.options.cut_tolerance_s,
        )
        if boundary is None:
            return None
        at = int(boundary * SAMPLE_RATE)
        cut = self._quietest_point(at - SAMPLE_RATE // 4, at + SAMPLE_RATE // 4)
        return cut if self._speech_probability(cut) < self.options.vad.threshold else None

    def _decode(
        self,
        utterance: WhisperUtterance,
        end: int,
        settings: DecodeSettings,
        with_context: bool = False,
        prompt: str = "",
    ) -> Hypothesis:
        """Decode the utterance's audio up to ``end``, forced to begin with the text its
        policy holds. With context, the window reaches back over recent utterances, but
        decoding still begins where the utterance does."""
        start = utterance_start = utterance.start
        if with_context:
            start = self._context_start(start, end)
        audio = self._buffer.slice(start, end)
        # A quiet utterance is lifted; the context before it stays as it was heard.
        audio = np.concatenate(
            [
                audio[: utterance_start - start],
                loudness_normalised(audio[utterance_start - start :]),
            ]
        )
        began = self._clock()
        hypothesis = self.decoder.decode(
            audio,
            offset_s=start / SAMPLE_RATE,
            settings=settings,
            prefix=[PrefixSegment(utterance.held_text, utterance_start / SAMPLE_RATE, None)],
            prompt=self._prompt() + prompt,
        )
        self.stats.decodes += 1
        self.stats.decode_seconds += self._clock() - began
        text = hypothesis.text
        if text.strip() and self._filter.is_hallucination(
            text,
            hypothesis.no_speech_prob,
            hypothesis.avg_logprob,
            units=len(hypothesis.units),
            speech_seconds=(end - utterance_start) / SAMPLE_RATE,
        ):
            self.stats.dropped_hallucinations.append(text)
            hypothesis.units = []
            hypothesis.segment_ends = []
        return hypothesis

    def _prompt(self) -> str:
        """Earlier confirmed text, if asked for: what the model reads as said just before."""
        return self._context[-self.options.prompt_chars :] if self.options.prompt_chars else ""

    def _context_start(self, start: int, end: int) -> int:
        """The earliest recent utterance start within ``context_s`` whose audio is kept, and
        such that the pass hears at most ``max_pass_audio_s``."""
        options = self.options
        earliest = max(
            start - int(options.context_s * SAMPLE_RATE),
            end - int(options.max_pass_audio_s * SAMPLE_RATE),
            self._buffer.start,
        )
        for began in self._history:
            sample = max(int(began * SAMPLE_RATE) - self._pad, self._buffer.start)
            if sample >= earliest:
                return min(sample, start)
        return start

    def _confirm(self, utterance: WhisperUtterance, units: list[Unit]) -> list[Segment]:
        """Make a second pass's ``units`` confirmed text; with what the policy held, they
        become context for what follows."""
        units = [u for u in units if u.text]
        self._remember([*utterance.confirmation.held, *units])
        return self.segments(units)

    def segments(self, units: list[Unit]) -> list[Segment]:
        """For the policies: ``units`` as confirmed text."""
        text = self._display("".join(u.text for u in units))
        if not text:
            return []
        start, end = units[0].start, units[-1].end
        audio = None
        if self.attach_audio:  # still held: audio is dropped only after it is confirmed
            audio = self._buffer.slice(round(start * SAMPLE_RATE), round(end * SAMPLE_RATE))
        return [Segment(text, start, end, audio)]

    def retire(self, units: list[Unit], before: int) -> bool:
        """For the policies: confirmed ``units`` whose audio ends at ``before`` leave the
        utterance, which then begins there (unless it already begins later)."""
        utterance = self._utterance
        if utterance is None or before <= utterance.start:
            return False
        self._remember(units)
        utterance.start = before
        self._drop_audio_before(before)
        return True

    def _remember(self, units: list[Unit]) -> None:
        """Confirmed text that leaves the utterance: context for what follows."""
        if units:
            self._context = (self._context + "".join(u.text for u in units))[-2000:]
            self._history.append(units[0].start)
            del self._history[:-32]

    def _set_partial(self, units: Iterable[Unit]) -> Partial | None:
        units = list(units)
        start = units[0].start if units else self._now / SAMPLE_RATE
        return self._show_partial("".join(u.text for u in units), start)

    def _clear_partial(self) -> Partial | None:
        return self._set_partial([])

    # -- audio bookkeeping ----------------------------------------------------------------

    def _trim_idle(self) -> None:
        """Outside speech, keep the pre-roll and the context the next second pass may use."""
        vad = self.options.vad
        keep = self.options.context_s + vad.speech_pad_s + vad.end_pad_s
        self._drop_audio_before(self._now - int(keep * SAMPLE_RATE) - WINDOW)

    def _drop_audio_before(self, sample: int) -> None:
        self._buffer.drop_before(sample)
        drop_windows = (sample - self._probs_start) // WINDOW
        if drop_windows > 0:
            del self._probs[:drop_windows]
            self._probs_start += drop_windows * WINDOW

    def _speech_probability(self, sample: int) -> float:
        index = (sample - self._probs_start) // WINDOW
        return self._probs[index] if 0 <= index < len(self._probs) else 1.0

    def _quietest_point(self, start: int, end: int) -> int:
        first = max((start - self._probs_start) // WINDOW, 0)
        last = max((end - self._probs_start) // WINDOW, first + 1)
        window = self._probs[first:last]
        if not window:
            return end
        return self._probs_start + (first + int(np.argmin(window))) * WINDOW + WINDOW // 2


def agreed_segment_end(
    a: Hypothesis, b: Hypothesis, earliest_s: float, latest_s: float, tolerance_s: float
) -> float | None:
    """The latest end of a Whisper segment in ``b`` that ``a`` also has (within
    ``tolerance_s``), between ``earliest_s`` and ``latest_s``, with text after it in both
    hypotheses (a segment closed at the end of the audio is no boundary yet)."""
    agreed = None
    for position_b, end_b in b.segment_ends:
        if position_b >= len(b.units) or not earliest_s <= end_b <= latest_s:
            continue
        if any(
            abs(end_a - end_b) <= tolerance_s and position_a < len(a.units)
            for position_a, end_a in a.segment_ends
        ):
            agreed = end_b
    return agreed


QUIET_PEAK = 0.1  # -20 dBFS: a window whose loudest sample is below this is lifted
TARGET_PEAK = 0.5  # to about -6 dBFS
MAX_GAIN = 31.6  # +30 dB at most


def loudness_normalised(audio: np.ndarray) -> np.ndarray:
    """Quiet audio brought up before decoding; other audio unchanged."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak == 0.0 or peak >= QUIET_PEAK:
        return audio
    return audio * min(TARGET_PEAK / peak, MAX_GAIN)
