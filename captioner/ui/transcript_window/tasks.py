"""The library's work off the GUI thread: opening it (earlier sessions are imported then),
listing sessions, reading one, searching them all. One thread, so that what the window
asks is done in the order it asked it; each answer comes back by a queued signal."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from captioner.transcript.store import Library

_log = logging.getLogger(__name__)
LibrarySource = Callable[[], "Library | None"]  # None: transcripts are not saved


class _Job(QRunnable):
    def __init__(self, tasks: LibraryTasks, token: int, job: Callable[[Library], Any]) -> None:
        super().__init__()
        self._tasks, self._token, self._job = tasks, token, job

    def run(self) -> None:  # in the pool's thread
        result: Any = None
        error: str | None = None
        try:
            library = self._tasks.source()
            if library is not None:
                result = self._job(library)
        except (OSError, sqlite3.Error) as exc:
            error = str(exc)
        except Exception as exc:  # a bug: logged, and the window says it failed
            _log.exception("transcript library task failed")
            error = str(exc)
        # The window may be gone (the app quits): then nobody waits for the answer.
        with contextlib.suppress(RuntimeError):
            self._tasks.done.emit(self._token, result, error)


class LibraryTasks(QObject):
    """``run(job, then)``: ``job(library)`` in the library's thread, ``then(result)`` back in
    the GUI thread (``result`` None when transcripts are not saved); ``failed(text)`` where
    the library could not do it."""

    done = Signal(int, object, object)  # token, result, error text (None: none)
    failed = Signal(str)

    def __init__(self, source: LibrarySource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # in order
        self._next = 0
        self._waiting: dict[int, Callable[[Any], None]] = {}
        self.done.connect(self._on_done)

    def run(self, job: Callable[[Library], Any], then: Callable[[Any], None]) -> None:
        self._next += 1
        self._waiting[self._next] = then
        self._pool.start(_Job(self, self._next, job))

    def busy(self) -> bool:
        return bool(self._waiting)

    def wait(self, msecs: int = 30_000) -> bool:
        """Until every task ran (tests, and closing)."""
        return self._pool.waitForDone(msecs)

    def _on_done(self, token: int, result: Any, error: str | None) -> None:
        then = self._waiting.pop(token, None)
        if error is not None:
            self.failed.emit(error)
        elif then is not None:
            then(result)
