"""A deleted session's .txt and .srt files go to the recycle bin / trash (Qt's
QFile.moveToTrash: Windows, macOS and freedesktop desktops); where there is none they are
left in place, and the user is told so."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QFile

from captioner.transcript.store import SessionInfo


def session_files(folder: Path, info: SessionInfo) -> list[Path]:
    """The session's .txt and .srt, named after its start (transcript/files.py)."""
    stamp = time.strftime("%Y-%m-%d %H-%M-%S", time.localtime(info.started))
    return [p for p in (folder / f"{stamp}.txt", folder / f"{stamp}.srt") if p.is_file()]


def to_trash(paths: list[Path]) -> list[Path]:
    """Each file moved to the trash; those that could not be (no trash here), returned."""
    return [path for path in paths if not QFile.moveToTrash(str(path))]
