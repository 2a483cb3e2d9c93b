"""The interface every recognition engine implements (faster-whisper, FunASR, ...)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np

from captioner.asr.types import ModelInfo, RecognizerStats, RecognizerUpdate, Segment
from captioner.audio import SAMPLE_RATE


class Recognizer(ABC):
    """A streaming recogniser of 16 kHz mono float32 audio.

    Call :meth:`feed` with audio as it arrives (cheap), then :meth:`update` to do recognition
    work on what was fed; each update returns newly confirmed segments and, if it changed,
    the current partial. :meth:`finish` ends the utterance now (end of speech, push-to-talk
    release) and confirms what is pending. :meth:`reset` forgets everything but the model.
    All methods are called from one thread: the recognition worker's.
    """

    sample_rate: int = SAMPLE_RATE
    stats: RecognizerStats  # counters for status reports and benchmarks

    @abstractmethod
    def feed(self, audio: np.ndarray) -> None: ...

    @abstractmethod
    def update(self) -> RecognizerUpdate: ...

    @abstractmethod
    def finish(self) -> RecognizerUpdate: ...

    @abstractmethod
    def reset(self) -> None: ...

    @property
    @abstractmethod
    def processed_seconds(self) -> float:
        """Audio (since the stream began) that recognition has fully dealt with."""

    @property
    @abstractmethod
    def in_speech(self) -> bool:
        """Whether an utterance is in progress (someone is speaking, text is on its way)."""

    @property
    @abstractmethod
    def model_info(self) -> ModelInfo:
        """What is recognising: engine, model, device; for the user, the feed and reports."""

    @abstractmethod
    def transcribe_whole(self, audio: np.ndarray) -> list[Segment]:
        """A whole recording at once with the same models: the offline baseline (and
        ``captioner transcribe``). Leaves the stream as it was."""

    # Attach each confirmed segment's audio to it (``Segment.audio``), for a translator that
    # hears it again; a plain attribute, read per segment. Engines that cannot ignore it.
    attach_audio: bool = False

    def speech_translator(self) -> Callable[[np.ndarray], str] | None:
        """A function that turns a confirmed segment's audio into English text with this
        recogniser's own model (Whisper's ``translate`` task), to be called from another
        thread; None where the engine has none (FunASR)."""
        return None

    def set_load_level(self, level: int) -> None:  # noqa: B027 - optional hook
        """Trade accuracy for speed when recognition falls behind (0 = full quality)."""
