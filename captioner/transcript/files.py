"""Saving a session's confirmed text as it happens: a .txt and an .srt per session.

Every confirmed segment is appended, flushed and synced to disk before the next one, so a
crash or power cut loses nothing already confirmed. Partial text is never written.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import IO

from captioner.asr.types import Segment


def srt_time(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d},{millis:03d}"


def srt_cue(index: int, segment: Segment) -> str:
    end = max(segment.end, segment.start + 0.5)  # a cue needs a visible duration
    return f"{index}\n{srt_time(segment.start)} --> {srt_time(end)}\n{segment.text}\n\n"


class TranscriptFiles:
    """Two files named after the session's start time, e.g. ``2026-11-21 14-03-22.srt``."""

    def __init__(self, folder: Path, started: float | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d %H-%M-%S", time.localtime(started or time.time()))
        base = folder / stamp
        suffix = 1
        while base.with_suffix(".txt").exists() or base.with_suffix(".srt").exists():
            suffix += 1
            base = folder / f"{stamp} ({suffix})"
        self.txt_path = base.with_suffix(".txt")
        self.srt_path = base.with_suffix(".srt")
        self._txt: IO[str] = open(self.txt_path, "a", encoding="utf-8")  # noqa: SIM115
        self._srt: IO[str] = open(self.srt_path, "a", encoding="utf-8")  # noqa: SIM115
        self._cues = 0

    def append(self, segment: Segment, source: str | None = None) -> None:
        """``source`` names the side that spoke (two sources): "Others: text"."""
        self._cues += 1
        if source:
            segment = replace(segment, text=f"{source}: {segment.text}")
        self._write(self._txt, segment.text + "\n")
        self._write(self._srt, srt_cue(self._cues, segment))

    def close(self) -> None:
        self._txt.close()
        self._srt.close()

    @staticmethod
    def _write(file: IO[str], text: str) -> None:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())


class TranscriptSink:
    """Saves confirmed segments, opening the session's files on the first one. Called in the
    workers' threads; the folder may be changed from another thread."""

    def __init__(self, folder: Path | None) -> None:
        self._lock = threading.Lock()
        self._folder = folder
        self.files: TranscriptFiles | None = None

    def set_folder(self, folder: Path | None) -> None:
        with self._lock:
            if folder != self._folder and self.files is not None:
                self.files.close()
                self.files = None
            self._folder = folder

    def __call__(self, segment: Segment, source: str | None = None) -> None:
        with self._lock:
            if self._folder is None:
                return
            if self.files is None:
                self.files = TranscriptFiles(self._folder)
            self.files.append(segment, source)

    def close(self) -> None:
        with self._lock:
            if self.files is not None:
                self.files.close()
                self.files = None


def folder_problem(folder: Path) -> OSError | None:
    """Why transcripts cannot be saved in ``folder`` (created if need be), or None: a real
    file is written and removed, since permissions alone do not tell (root, read-only file
    systems, network shares). May take a while on a network drive: not in the GUI thread."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".captioner-check-"):
            pass
    except OSError as exc:
        return exc
    return None
