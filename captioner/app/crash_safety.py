"""What survives a crash: a log of unhandled errors, and word of a session that ended badly.

* :class:`SessionMarker`: a small file beside the settings while the app runs, removed when
  it quits normally. Found at the next start (single instance: its owner is gone), it means
  the last session ended unexpectedly (killed, crashed, power cut); the user is told, and
  where that session's transcript is. Transcript lines are synced to disk as they are
  confirmed, so the transcript is whole up to the last confirmed line.
* :func:`install_error_log`: unhandled exceptions in any thread (Qt slots included: PySide
  hands them to ``sys.excepthook``) and native faults go to the log in the user log folder,
  and the user gets one plain sentence instead of a silent failure.
* :func:`open_log`: that log, ``captioner.log``, has one owner per process: one handle that
  Python logging, the windowed program's stdout/stderr (packaging/entry.py) and faulthandler
  all write through. It is appended to, each session under a header, so that the trace of a
  crashed session is still there after the restart. It is rotated only when a process opens
  it and no other process has it open: Windows refuses to rename a file that is open, so a
  handler that rotates a log while it is written (RotatingFileHandler) fails there as soon
  as a second handle exists, and a second start that only hands over to the running app
  must not move the running app's log away either.
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
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import platformdirs

import captioner

if sys.platform != "win32":
    import fcntl

log = logging.getLogger(__name__)

LOG_NAME = "captioner.log"
ROTATE_ABOVE_BYTES = 2_000_000  # checked when a process opens the log, never while it writes
OLD_LOGS_KEPT = 3  # captioner.1.log (the newest) to captioner.3.log
# Where flock exists it tells whether another process has the log open. Windows has no need:
# renaming a file that another process has open fails there, which tells the same.
_FILE_LOCKS = sys.platform != "win32"


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


class LogFile:
    """This process's one handle on the log: a text stream that any thread may write to.

    Opened by :func:`open_log`, shared by whoever else in the process asks for the same file,
    closed when the last of them calls :meth:`close`."""

    encoding = "utf-8"

    def __init__(self, path: Path, stream: TextIO) -> None:
        self.path = path
        self._stream = stream
        self._lock = threading.Lock()
        self._users = 1
        # Native crashes (a fault in a library) cannot be caught: their stack is written
        # straight to this file's descriptor, after what Python already wrote through it.
        self._faulthandler_was_on = faulthandler.is_enabled()
        faulthandler.enable(stream)

    @property
    def closed(self) -> bool:
        return self._stream.closed

    def fileno(self) -> int:  # for libraries that write below Python (C code)
        return self._stream.fileno()

    def write(self, text: str) -> int:
        with self._lock:
            if self._stream.closed:  # a late write at shutdown: nowhere left to put it
                return len(text)
            self._stream.write(text)
            # On disk at once: a native crash next would lose what is still buffered.
            self._stream.flush()
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if not self._stream.closed:
                self._stream.flush()

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        """Done with it; the file closes when every user in the process is done."""
        with _open_logs_lock:
            self._users -= 1
            if self._users > 0 or self.closed:
                return
            if _open_logs.get(self.path) is self:
                del _open_logs[self.path]
        with self._lock:
            if self._faulthandler_was_on and sys.__stderr__ is not None:
                faulthandler.enable(sys.__stderr__)
            else:
                faulthandler.disable()
            self._stream.close()


_open_logs: dict[Path, LogFile] = {}
_open_logs_lock = threading.Lock()


def open_log(folder: Path | None = None) -> LogFile:
    """The log in ``folder`` (the user log folder by default), opened once per process:
    a later call returns the same handle (call :meth:`LogFile.close` once per call)."""
    path = (folder or default_log_folder()) / LOG_NAME
    with _open_logs_lock:
        log_file = _open_logs.get(path)
        if log_file is not None and not log_file.closed:
            log_file._users += 1
            return log_file
        path.parent.mkdir(parents=True, exist_ok=True)
        log_file = LogFile(path, _open_for_appending(path))
        _open_logs[path] = log_file
    started = time.strftime("%Y-%m-%d %H:%M:%S %z")
    log_file.write(
        f"\n=== Captioner {captioner.__version__} started {started}, process {os.getpid()} ===\n"
    )
    return log_file


def _open_stream(path: Path) -> TextIO:
    # Append mode: two processes that have it open both add to its end, neither overwrites.
    return open(path, "a", encoding="utf-8", errors="backslashreplace")


def _open_for_appending(path: Path) -> TextIO:
    """The log, open at its end; rotated first if it is large and nobody else has it open."""
    if not _FILE_LOCKS:
        if _size(path) > ROTATE_ABOVE_BYTES:
            rotate(path)  # refused while another process has it open: appended to instead
        return _open_stream(path)
    for _ in range(10):
        stream = _open_stream(path)
        if _flock(stream, exclusive=True, wait=False):  # no other process has it open
            if _size(path) > ROTATE_ABOVE_BYTES and rotate(path):
                stream.close()  # that was the old file: open the new one
                continue
            _flock(stream, exclusive=False, wait=True)  # in use, for other processes
            return stream
        # Another process has it: wait while it may be rotating it, then check that this
        # handle is still on the file called captioner.log.
        _flock(stream, exclusive=False, wait=True)
        if _same_file(stream, path):
            return stream
        stream.close()
    return _open_stream(path)  # the file keeps being moved under us: append, unlocked


def _flock(stream: TextIO, exclusive: bool, wait: bool) -> bool:
    if sys.platform == "win32":
        return True
    operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    try:
        fcntl.flock(stream.fileno(), operation)
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks: as good as nobody else having it
        return True
    return True


def _same_file(stream: TextIO, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(stream.fileno()), os.stat(path))
    except OSError:
        return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def old_log(path: Path, number: int) -> Path:
    """captioner.log's ``number``-th predecessor: captioner.1.log is the newest."""
    return path.with_name(f"{path.stem}.{number}{path.suffix}")


def rotate(path: Path, keep: int = OLD_LOGS_KEPT) -> bool:
    """captioner.log becomes captioner.1.log, .1 becomes .2, and so on; the oldest beyond
    ``keep`` goes. False when the log could not be moved (Windows: another process has it
    open; or an old log could not make room): then it stays where it is, to be appended to,
    and no old log is lost.

    The log itself is moved aside first: once that worked, no other process is writing it,
    and the old ones can make room for it."""
    moving = path.with_name(f"{path.stem}.rotating{path.suffix}")
    if moving.exists() and not path.exists():
        _move(moving, path)  # left halfway by a process that died in here: put it back
    if not _move(path, moving):
        return False
    shifted = True
    for number in range(keep - 1, 0, -1):
        older = old_log(path, number)
        if older.exists() and not _move(older, old_log(path, number + 1)):
            shifted = False
            break
    if shifted and _move(moving, old_log(path, 1)):
        return True
    if not path.exists():  # an old log could not make room (open in an editor?): undo
        _move(moving, path)
    return False


def _move(source: Path, target: Path) -> bool:
    try:
        os.replace(source, target)
    except OSError:
        return False
    return True


class ErrorLog:
    """The installed hooks; :meth:`uninstall` puts the previous ones back (for tests)."""

    def __init__(self, folder: Path, tell_user: Callable[[Path], None]) -> None:
        self.log_file = open_log(folder)
        self.path = self.log_file.path
        self._tell_user = tell_user
        self.handler = logging.StreamHandler(self.log_file)
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
        self.log_file.close()


def install_error_log(tell_user: Callable[[Path], None], folder: Path | None = None) -> ErrorLog:
    """``tell_user(log_path)`` is called from the failing thread: it must be thread-safe
    (the app emits a Qt signal, which reaches the GUI thread queued)."""
    return ErrorLog(folder or default_log_folder(), tell_user)
