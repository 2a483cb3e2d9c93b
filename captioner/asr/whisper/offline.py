"""Whole-file transcription (not streaming): `captioner transcribe FILE` and the benchmark's
offline baseline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from captioner.asr.types import Segment
from captioner.text.normalize import tidy_chinese
from captioner.text.script import Script, convert_script
from captioner.text.vocabulary import Vocabulary, vocabulary_fixes

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


def transcribe_offline(
    model: WhisperModel,
    audio: np.ndarray,
    language: str | None = "zh",
    script: Script = Script.SIMPLIFIED,
    beam_size: int = 5,
    vad_filter: bool = True,
    vocabulary: Vocabulary | None = None,
) -> Iterator[Segment]:
    """faster-whisper's own long-form transcription, in the chosen script.

    ``vad_filter=False`` reproduces plain Whisper decoding (the benchmark's baseline). The
    vocabulary applies to the text, as in streaming.
    """
    fixes = vocabulary_fixes(vocabulary)
    segments, _info = model.transcribe(
        audio, language=language, beam_size=beam_size, vad_filter=vad_filter
    )
    for segment in segments:
        text = tidy_chinese(convert_script(segment.text, script))
        text = fixes(text) if fixes else text
        if text:
            yield Segment(text, round(segment.start, 3), round(segment.end, 3))
