"""What recognisers produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Segment:
    """Confirmed text: never changes again. Times are audio seconds since the stream began.

    ``audio``: the 16 kHz mono float32 audio the text was recognised from, only where the
    recogniser was asked to attach it (translation by the speech model, which hears it
    again); None otherwise. Not compared: two segments are equal by their text and times.
    """

    text: str
    start: float
    end: float
    audio: Any = field(default=None, compare=False, repr=False)  # numpy array or None


@dataclass(frozen=True)
class Partial:
    """The whole current unconfirmed tail (may change or vanish). Empty text clears it."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class RecognizerUpdate:
    confirmed: tuple[Segment, ...] = ()
    partial: Partial | None = None  # None: the partial did not change

    def __bool__(self) -> bool:
        return bool(self.confirmed) or self.partial is not None


@dataclass(frozen=True)
class ModelInfo:
    """What a recogniser runs, in words: shown to the user, sent to feed clients, reported by
    benchmarks."""

    engine: str  # "whisper" or "funasr"
    model: str  # e.g. "base", or "paraformer-zh-streaming + paraformer-zh"
    device: str  # e.g. "cpu int8 (AVX2, Intel MKL)", "cuda float16"
    language: str | None = None  # None: detected

    def __str__(self) -> str:
        return f"{self.engine} {self.model}, {self.device}"


@dataclass
class RecognizerStats:
    """Counters a recogniser keeps for status reports and benchmarks."""

    decodes: int = 0
    final_passes: int = 0
    decode_seconds: float = 0.0
    final_pass_seconds: list[float] = field(default_factory=list)
    dropped_hallucinations: list[str] = field(default_factory=list)
    # Second passes that transcribed earlier speech again and were decoded without it.
    context_repeats_avoided: int = 0
    vocabulary_redecodes: int = 0  # second passes decoded again with the terms
    vocabulary_redecodes_taken: int = 0  # ... whose term was kept
    inner_pauses_reused: int = 0  # cuts confirmed with a pause's second pass already done
