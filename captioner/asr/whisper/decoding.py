"""One Whisper decode of an audio window, turned into timed agreement units.

Two things here differ from faster-whisper's ``transcribe``, for streaming:

* The encoder window is only as long as needed (at least ``min_window_s``, in 5 s steps)
  instead of always 30 s. CTranslate2 accepts shorter inputs and encoder cost falls with
  length (measured on 2 CPU cores, base int8: 30 s window 0.40 s, 10 s window 0.07 s) while
  accuracy on short utterances stays close to the full window (see the benchmark notes in
  docs/benchmarks.md).
* Text already confirmed inside the window is forced as a decoding prefix, so a hypothesis
  always continues the confirmed text instead of contradicting it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from captioner.asr.whisper.agreement import Unit, split_units
from captioner.asr.whisper.faster_whisper_api import Encoded, WhisperParts, WhisperTokenizer
from captioner.audio import SAMPLE_RATE

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

_TIME_PRECISION = 0.02  # seconds per Whisper timestamp token
_MAX_PROMPT_TOKENS = 120
# Encoder windows come in whole steps of 5 s (500 feature frames). Every new window length
# kept native memory for good: 480 decodes of random 0.5-18 s pieces grew the process by
# 309 MB with windows of any length, by 2 MB with windows in these steps (an hour's
# soak: about 1.5 GB an hour of live captioning). The extra padding costs a little encoder time.
_WINDOW_STEP_FRAMES = 500
# What the tokenizer gives for a character's byte tokens cut short (Chinese characters are
# often two or three byte-level tokens): never text anyone said.
_INCOMPLETE = "\ufffd"


@dataclass(frozen=True)
class PrefixSegment:
    """Text already confirmed for audio inside the decode window, forced as a prefix."""

    text: str
    start_s: float  # stream time
    end_s: float | None  # None: still open (the decode may continue it)


@dataclass(frozen=True)
class DecodeSettings:
    beam_size: int = 1
    min_window_s: float = 10.0
    # Retried at these temperatures (sampling) only if the output loops on itself.
    fallback_temperatures: tuple[float, ...] = ()
    compression_ratio_threshold: float = 2.4


@dataclass
class Hypothesis:
    """The text a decode produced after the forced prefix, as timed units."""

    units: list[Unit]
    # Positions (number of units from the start of `units`) where Whisper closed a segment,
    # with the segment's end time: safe places to cut the audio buffer.
    segment_ends: list[tuple[int, float]] = field(default_factory=list)
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0

    @property
    def text(self) -> str:
        return "".join(u.text for u in self.units)


def encoder_window(frames: int, min_window_s: float) -> int:
    """Feature frames the encoder sees: the audio and a little room after it, at least
    ``min_window_s``, rounded up to a whole step, at most Whisper's 30 s."""
    needed = max(frames + 50, int(min_window_s * 100))
    return min(3000, -(-needed // _WINDOW_STEP_FRAMES) * _WINDOW_STEP_FRAMES)


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


class WhisperDecoder:
    def __init__(self, model: WhisperModel, language: str | None) -> None:
        self.model = model
        self.parts = WhisperParts(model)
        self.language = language if self.parts.multilingual else "en"  # None: detected
        self.detected: str | None = None  # with language None: this utterance's language
        self.detections = 0  # how many times the language was detected
        self.tokenizer = self.parts.tokenizer(self.language or "en")
        self._suppress = self.tokenizer.suppressed_tokens()

    def new_utterance(self) -> None:
        """With language detection, the next decode detects the language again (once: the
        partials and the second pass of one utterance then agree on it)."""
        self.detected = None

    def decode(
        self,
        audio: np.ndarray,
        offset_s: float,
        settings: DecodeSettings,
        prefix: list[PrefixSegment] | None = None,
        prompt: str = "",
    ) -> Hypothesis:
        """Decode ``audio`` (which starts at ``offset_s`` in the stream).

        ``prefix`` segments are forced, with their timestamps, before the new text: Whisper
        then transcribes only what follows them while hearing their audio as context.
        ``prompt`` is earlier text outside the window (cheap: one forward pass).
        """
        features = self.parts.features(audio)
        frames = features.shape[1]
        window = encoder_window(frames, settings.min_window_s)
        if frames < window:
            features = np.pad(features, ((0, 0), (0, window - frames)))
        encoded = self.parts.encode(features[:, :window])
        if self.language is None and self.detected is None:
            self._detect_language(encoded)
        tok = self.tokenizer  # the detected language's (its start-of-transcript tokens)

        prompt_tokens: list[int] = []
        if prompt:
            prompt_tokens = [tok.sot_prev, *tok.encode(" " + prompt.strip())[-_MAX_PROMPT_TOKENS:]]
        prompt_tokens += list(tok.sot_sequence)
        prefix_tokens: list[int] = []
        for segment in prefix or ():
            prefix_tokens.append(self._timestamp_token(segment.start_s - offset_s))
            prefix_tokens += tok.encode(segment.text)
            if segment.end_s is not None:
                prefix_tokens.append(self._timestamp_token(segment.end_s - offset_s))
        duration = audio.shape[0] / SAMPLE_RATE
        max_new = int(duration * 12) + 24  # bounds a looping decode (~3x fast speech)
        max_length = min(448, len(prompt_tokens) + len(prefix_tokens) + max_new)

        forced = prompt_tokens + prefix_tokens
        beam = settings.beam_size
        generated = self.parts.generate(encoded, forced, max_length, self._suppress, beam)
        text = tok.decode([t for t in generated.tokens if t < tok.eot])
        ratio = compression_ratio(text)
        for temperature in settings.fallback_temperatures:
            if ratio <= settings.compression_ratio_threshold:
                break
            generated = self.parts.generate(
                encoded, forced, max_length, self._suppress, temperature=temperature
            )
            text = tok.decode([t for t in generated.tokens if t < tok.eot])
            ratio = compression_ratio(text)

        hypothesis = self._timed_units(generated.tokens, len(prefix_tokens), offset_s, duration)
        hypothesis.no_speech_prob = generated.no_speech_prob
        hypothesis.avg_logprob = generated.avg_logprob
        return hypothesis

    def _detect_language(self, encoded: Encoded) -> None:
        code = self.parts.detect_language(encoded)
        self.detected = code
        self.detections += 1
        self.tokenizer = self.parts.tokenizer(code)

    def _timestamp_token(self, seconds: float) -> int:
        index = round(max(seconds, 0.0) / _TIME_PRECISION)
        return self.tokenizer.timestamp_begin + min(index, 1500)

    def _timed_units(
        self, tokens: list[int], prefix_len: int, offset_s: float, duration: float
    ) -> Hypothesis:
        """Split the token sequence into Whisper segments and give each unit a time.

        Whisper times only segment boundaries; a unit's time is interpolated by its
        character position inside its segment, which is good enough for captions and SRT.
        ``tokens`` starts with the forced prefix (``prefix_len`` tokens, whose text is not
        part of the hypothesis).
        """
        tok = self.tokenizer
        ts_begin = tok.timestamp_begin
        prefix_chars = len(tok.decode([t for t in tokens[:prefix_len] if t < tok.eot]))
        segments: list[tuple[str, float, float | None]] = []  # text, start, end (None: open)
        text_tokens: list[int] = []
        seg_start = 0.0
        for t in tokens:
            if t >= ts_begin:
                time = (t - ts_begin) * _TIME_PRECISION
                if text_tokens:
                    segments.append((tok.decode(text_tokens), seg_start, time))
                    text_tokens = []
                seg_start = time
            elif t < tok.eot:
                text_tokens.append(t)
        if text_tokens:
            segments.append((tok.decode(text_tokens), seg_start, None))

        units: list[Unit] = []
        ends: list[tuple[int, float]] = []
        chars_before = 0
        for seg_text, start, end in segments:
            stop = end if end is not None else max(duration, start)
            span = max(stop - start, 0.0)
            position = 0
            for piece in split_units(seg_text):
                at = seg_text.index(piece, position)
                position = at + len(piece)
                if chars_before + at < prefix_chars:
                    continue  # forced prefix: already confirmed
                if piece == _INCOMPLETE:
                    continue  # a character whose byte tokens the decode did not finish
                length = max(len(seg_text), 1)
                units.append(
                    Unit(
                        piece,
                        round(offset_s + start + span * at / length, 3),
                        round(offset_s + start + span * position / length, 3),
                    )
                )
            chars_before += len(seg_text)
            if end is not None and chars_before >= prefix_chars and units:
                ends.append((len(units), round(offset_s + end, 3)))
        return Hypothesis(units=units, segment_ends=ends)


class SpeechTranslator:
    """Whisper's own ``translate`` task: what a confirmed line's audio says, in English.

    Only models trained with translation data do it (tiny to large-v3; large-v3-turbo was
    fine-tuned on transcription alone and mostly transcribes instead). The line is decoded
    alone (no earlier text), without timestamps, in an encoder window of 20 s (the second
    pass's longest) rather than faster-whisper's fixed 30 s: on the two-core dev CPU, base
    on eight Mandarin clips took 4.8 s against 11.7 s, with much the same English; a 10 s
    window (3.8 s) got names and whole clauses wrong that 20 s got right. Called from
    the translator's thread on the recogniser's model: CTranslate2 takes calls from several
    threads. Holds no state between calls but the tokenizers it made.
    """

    def __init__(
        self,
        model: WhisperModel,
        language: str | None,
        beam_size: int = 5,
        min_window_s: float = 10.0,
    ) -> None:
        self.parts = WhisperParts(model)
        self.language = language if self.parts.multilingual else "en"
        self.beam_size = beam_size
        self.min_window_s = min_window_s
        self._tokenizers: dict[str, WhisperTokenizer] = {}
        self._suppress: list[int] | None = None

    def _tokenizer(self, language: str) -> WhisperTokenizer:
        tokenizer = self._tokenizers.get(language)
        if tokenizer is None:
            tokenizer = self._tokenizers[language] = self.parts.tokenizer(language, "translate")
        return tokenizer

    def __call__(self, audio: np.ndarray) -> str:
        features = self.parts.features(audio)[:, :3000]
        frames = features.shape[1]
        window = encoder_window(frames, self.min_window_s)
        if frames < window:
            features = np.pad(features, ((0, 0), (0, window - frames)))
        encoded = self.parts.encode(features[:, :window])
        language = self.language or self.parts.detect_language(encoded)
        tok = self._tokenizer(language)
        if self._suppress is None:
            self._suppress = tok.suppressed_tokens()
        prompt = [*tok.sot_sequence, tok.no_timestamps]
        duration = min(audio.shape[0] / SAMPLE_RATE, 30.0)
        max_length = min(448, len(prompt) + int(duration * 8) + 24)
        generated = self.parts.generate(encoded, prompt, max_length, self._suppress, self.beam_size)
        text = tok.decode([t for t in generated.tokens if t < tok.eot]).strip()
        # A loop ("the the the ..."), or the speech transcribed instead of translated (small
        # models do that with names): sampled once more, and the better of the two kept.
        if not text or _looping(text) or _untranslated(text):
            generated = self.parts.generate(
                encoded, prompt, max_length, self._suppress, temperature=0.2
            )
            again = tok.decode([t for t in generated.tokens if t < tok.eot]).strip()
            if again and (
                not text
                or (_untranslated(again), _looping(again))
                < (
                    _untranslated(text),
                    _looping(text),
                )
            ):
                text = again
        # Words said three times or more in a row are a loop, not speech: said once.
        return _REPEATED_WORD.sub(r"\1", text)


# A word, or a phrase of up to four words, three times or more in a row.
_REPEATED_WORD = re.compile(r"\b((?:\w+\W+){0,3}?\w+)(?:\W+\1\b){2,}", re.IGNORECASE)


def _looping(text: str) -> bool:
    return compression_ratio(text) > 2.4 or _REPEATED_WORD.search(text) is not None


def _untranslated(text: str) -> int:
    """Characters of Chinese, Japanese or Korean script left in an English translation."""
    return sum(
        1
        for c in text
        if "\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af"
    )
