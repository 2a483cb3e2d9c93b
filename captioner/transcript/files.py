"""Saving a session's confirmed text as it happens: into the library, and a .txt and an .srt
per session rendered beside it.

Every confirmed segment is appended, flushed and synced to disk before the next one, so a
crash or power cut loses nothing already confirmed. Partial text is never written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO

from captioner.asr.types import Segment
from captioner.transcript.events import TranscriptEvent
from captioner.transcript.export import MIN_CUE_S, clock, render
from captioner.transcript.store import Library

KEPT_LINES = 1000  # the last lines a translation can still be given to


def srt_cue(index: int, segment: Segment) -> str:
    end = max(segment.end, segment.start + MIN_CUE_S)  # a cue needs a visible duration
    return f"{index}\n{clock(segment.start)} --> {clock(end)}\n{segment.text}\n\n"


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
    """Saves confirmed lines as they come: into the library (captioner.transcript.store,
    the source of truth) and the session's .txt and .srt beside it, opening the session on
    its first line and ending it when captioning stops. Called in the recognition threads
    (two with two sources); the folder may be changed from another thread. ``on_notice``
    hears what the user should be told about the library (called in any thread).

    Translations come later, naming their final by its number: the count of segments this
    sink was given since it was made (the pipeline's numbering, since it gives each final to
    its sinks first). ``bilingual``: when the session ends, its .srt is written again from the
    library with each translation as its cue's second line."""

    def __init__(
        self,
        folder: Path | None,
        source: str = "",
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._folder = folder
        self.source = source  # what is captioned: mic, system, both, a file's name
        self._on_notice = on_notice
        self._library: Library | None = None
        self.session: int | None = None  # the current session's id in the library
        self.files: TranscriptFiles | None = None
        self.bilingual = False
        self._finals = 0  # segments given so far
        # A final's number -> its line's id in the library (the recent ones, this session's).
        self._lines: OrderedDict[int, int] = OrderedDict()
        self._translated = False  # this session has a translation

    def library(self) -> Library | None:
        """The library of the current folder, opened on first use (it may take a moment:
        not in the GUI thread). None when transcripts are not saved."""
        with self._lock:
            return self._open_library()

    def _open_library(self) -> Library | None:
        if self._folder is None:
            return None
        if self._library is None or self._library.folder != self._folder:
            self._library = Library(self._folder)
            for notice in self._library.notices:
                if self._on_notice is not None:
                    self._on_notice(notice)
        return self._library

    def set_folder(self, folder: Path | None) -> None:
        with self._lock:
            if folder != self._folder:
                self._end_session()
                if self._library is not None:
                    self._library.close()
                    self._library = None
            self._folder = folder

    def __call__(self, segment: Segment, source: str | None = None) -> None:
        with self._lock:
            self._finals += 1
            library = self._open_library()
            if library is None:
                return
            if self.session is None:
                started = time.time() - segment.end
                self.session = library.begin(self.source, started)
                self.files = TranscriptFiles(self._folder or library.folder, started)
            line = library.append(self.session, segment.start, segment.end, segment.text, source)
            self._lines[self._finals] = line.id
            while len(self._lines) > KEPT_LINES:
                self._lines.popitem(last=False)
            assert self.files is not None
            self.files.append(segment, source)

    def add_translation(self, event: TranscriptEvent) -> None:
        """A final's translation (``event.final``: its number), saved with its line; one
        whose line was not saved (transcripts off, another session by now) is dropped."""
        if event.final is None or not event.text.strip():
            return
        with self._lock:
            line = self._lines.get(event.final)
            if line is None or self._library is None:
                return
            self._library.add_translation(line, event.lang or "", event.text.strip())
            self._translated = True

    def _end_session(self) -> None:
        if self.session is not None and self._library is not None:
            self._library.end(self.session)
            if self.bilingual and self._translated and self.files is not None:
                self._write_bilingual(self._library, self.session, self.files.srt_path)
        self.session = None
        self._lines.clear()
        self._translated = False
        if self.files is not None:
            self.files.close()
            self.files = None

    @staticmethod
    def _write_bilingual(library: Library, session: int, srt: Path) -> None:
        """The session's .srt again, each translation under its line: replaced at once, so
        the file is never half written."""
        info = library.session(session)
        if info is None:
            return
        text = render(
            info, library.lines(session), "srt", translations=library.translations(session)
        )
        temporary = srt.with_name(srt.name + ".tmp")
        try:
            with open(temporary, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, srt)
        except OSError:
            # The monolingual .srt stays; the library has the translations.
            with contextlib.suppress(OSError):
                temporary.unlink()

    def close(self) -> None:
        with self._lock:
            self._end_session()
            if self._library is not None:
                self._library.close()
                self._library = None


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
