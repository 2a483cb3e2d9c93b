"""Entry point of both executables in the bundle (packaging/captioner.spec).

``Captioner`` (the app; on Windows a windowed program, no console) and ``captioner-cli``
(the command line, with a console) run the same ``captioner`` command as a pip install.
What only an installed app needs happens here: add-ons become importable, and a program
without a console (the windowed exe) writes what it would print to a log file and shows a
startup error in a message box instead of vanishing without a word.
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from captioner.app.crash_safety import LogFile


def log_dir() -> Path:
    from captioner.app.crash_safety import default_log_folder

    return default_log_folder()


class _Tee:
    """A text stream that writes to the log and keeps the last lines (for the box)."""

    encoding = "utf-8"
    errors = "backslashreplace"

    def __init__(self, log: LogFile, tail: list[str]) -> None:
        self.log = log
        self._tail = tail

    def fileno(self) -> int:  # for libraries that write below Python (C code)
        return self.log.fileno()

    def write(self, text: str) -> int:
        self.log.write(text)
        self._tail.extend(line for line in text.splitlines() if line.strip())
        del self._tail[:-20]
        return len(text)

    def flush(self) -> None:
        self.log.flush()

    def isatty(self) -> bool:
        return False


def without_console(folder: Path) -> tuple[list[str], Path]:
    """Give a program that has no console (sys.stdout is None) the log instead.

    Libraries write progress bars and warnings to sys.stderr; with None there they fail.
    The log is the app's own (captioner.app.crash_safety.open_log): one handle in this
    process for this output, Python logging and faulthandler, appended to (a crashed
    session's trace survives the restart), and left open until the process ends, so that
    a native crash while Python shuts down still leaves its trace."""
    from captioner.app.crash_safety import open_log

    log = open_log(folder)
    tail: list[str] = []
    sys.stdout = sys.stderr = _Tee(log, tail)  # type: ignore[assignment]
    return tail, log.path


def error_text(status: int, tail: Sequence[str]) -> str | None:
    """What to tell the user after the command ended with ``status`` (None: nothing)."""
    if status == 0:
        return None
    errors = [line.removeprefix("error: ") for line in tail if line.startswith("error: ")]
    return errors[-1] if errors else (tail[-1] if tail else None)


def show_error(text: str, log: Path) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    translate = QCoreApplication.translate
    details = translate("Startup", "Details are in {log}").replace("{log}", str(log))
    QMessageBox.critical(None, translate("Startup", "Captioner"), f"{text}\n\n{details}")
    del app


def run(main: Callable[[], int], log_folder: Callable[[], Path] = log_dir) -> int:
    from captioner.addons import use_addons

    use_addons()
    if sys.stdout is not None and sys.stderr is not None:
        return main()
    tail, log = without_console(log_folder())
    try:
        status = main()
    except SystemExit as exc:  # argparse: --help, a wrong option
        status = exc.code if isinstance(exc.code, int) else 2
    except BaseException:
        traceback.print_exc()
        status = 1
    message = error_text(status, tail)
    if message is not None and status != 130:  # 130: interrupted, nothing to report
        show_error(message, log)
    return status


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen program's child processes start here too
    from captioner.cli import main as captioner_main

    sys.exit(run(captioner_main))
