"""Opening a Whisper model folder with faster-whisper, wherever the folder is.

CTranslate2 cannot open a model under a path that the Windows ANSI code page cannot spell
(:mod:`captioner.native_paths`); such a folder's files are read here and handed over instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from captioner.native_paths import narrow_path

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


def open_whisper_model(
    folder: Path, device: str, compute_type: str, cpu_threads: int = 0
) -> WhisperModel:
    from faster_whisper import WhisperModel

    native = narrow_path(folder)
    if native is not None:
        return WhisperModel(
            native, device=device, compute_type=compute_type, cpu_threads=cpu_threads
        )
    # Read whole: CTranslate2 takes the contents; the model's size again, briefly.
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    return WhisperModel(
        str(folder), device=device, compute_type=compute_type, cpu_threads=cpu_threads, files=files
    )
