"""What survives a crash: a log of unhandled errors, and word of a session that ended badly.

* :class:`SessionMarker`: a small file beside the settings while the app runs, removed when
  it quits normally. Found at the next start (single instance: its owner is gone), it means
  the last session ended unexpectedly (killed, crashed, power cut); the user is told, and
  where that session's transcript is. Transcript lines are synced to disk as they are
  confirmed, so the transcript is whole up to the last confirmed line.
* :func:`install_error_log`: unhandled exceptions in any thread (Qt slots included: PySide
  hands them to ``sys.excepthook``) and native faults go to a rotating log in the user log
  folder, and the user gets one plain sentence instead of a silent failure.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import platformdirs

log = logging.getLogger(__name__)


def default_log_folder() -> Path:
    return Path(platformdirs.user_log_dir("Captioner", appauthor=False))


class SessionMarker:
    def __init__(self, settings_path: Path) -> None:
        self.path = settings_path.with_name("session-running.json")
        self._data: dict[str, Any] | None = None  # this session's, once begun

    def previous(self) -> dict[str, Any] | None:
        """What a session that did not end normally left behind, or None."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}  # damaged (the crash came while writing it): still an unexpected end
        return data if isinstance(data, dict) else {}

    def begin(self, transcripts: Path | None) -> None:
        self._data = {
            "pid": os.getpid(),
            "started": time.time(),
            "transcripts": [str(transcripts)] if transcripts else [],
        }
        self._write()

    def follow(self, transcripts: Path | None) -> None:
        """The transcripts folder changed during the session: its files count too."""
        if self._data is None:
            return
        folders = self._data["transcripts"]
        if transcripts is not None and str(transcripts) not in folders:
            folders.append(str(transcripts))
            self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(self._data), encoding="utf-8")
        os.replace(temporary, self.path)

    def end(self) -> None:
        self.path.unlink(missing_ok=True)


def last_transcript(previous: dict[str, Any]) -> Path | None:
    """The newest transcript that the session in ``previous`` wrote, if any (in any of the
    transcripts folders it used)."""
    folders, started = previous.get("transcripts"), previous.get("started")
    if isinstance(folders, str):
        folders = [folders]  # a marker written before folders were followed
    if not isinstance(folders, list) or not isinstance(started, int | float):
        return None
    written: list[tuple[float, Path]] = []
    for folder in folders:
        try:
            for path in Path(str(folder)).glob("*.txt"):
                modified = path.stat().st_mtime
                if modified >= float(started) - 1:
                    written.append((modified, path))
        except OSError:
            continue
    return max(written, key=lambda item: item[0])[1] if written else None


class ErrorLog:
    """The installed hooks; :meth:`uninstall` puts the previous ones back (for tests)."""

    def __init__(self, folder: Path, tell_user: Callable[[Path], None]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "captioner.log"
        self._tell_user = tell_user
        self.handler = RotatingFileHandler(
            self.path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        self.handler.setLevel(logging.INFO)
        self.handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
        )
        root = logging.getLogger()
        root.addHandler(self.handler)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)  # the file gets INFO; the console handler keeps its own
            for handler in root.handlers:
                if handler is not self.handler and handler.level == logging.NOTSET:
                    handler.setLevel(logging.WARNING)
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook
        # Native crashes (a fault in a library) cannot be caught: their stack goes here.
        self._fault_file: IO[str] = open(folder / "native-crash.log", "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(self._fault_file)

    def _hook(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, error, trace)
            return
        log.critical("unhandled exception", exc_info=(kind, error, trace))
        self._tell_user(self.path)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or isinstance(args.exc_value, SystemExit):
            return
        thread = args.thread.name if args.thread else "?"
        log.critical(
            "unhandled exception in thread %s",
            thread,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        self._tell_user(self.path)

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()
        faulthandler.disable()
        self._fault_file.close()


def install_error_log(tell_user: Callable[[Path], None], folder: Path | None = None) -> ErrorLog:
    """``tell_user(log_path)`` is called from the failing thread: it must be thread-safe
    (the app emits a Qt signal, which reaches the GUI thread queued)."""
    return ErrorLog(folder or default_log_folder(), tell_user)
