"""The app's log, captioner.log: one handle per process, a crashed session's trace kept across
the restart, rotation only where it works on Windows (at start, with nobody else on the file).

Real processes and real files. What only Windows does is made real here too: renaming a file
that some process has open fails there (WinError 32); the ``windows_renames`` fixture makes
os.replace and os.rename fail the same way while the file is open in this test's processes.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from captioner.app import crash_safety
from captioner.app.crash_safety import LOG_NAME, install_error_log, old_log, open_log, rotate

ROOT = Path(__file__).resolve().parents[2]
HEADER = "=== Captioner "


def child(code: str, *args: str, **options) -> subprocess.Popen[str]:
    """A Python process running ``code`` from the checkout (argv[1:] are ``args``)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT, text=True, **options,
    )  # fmt: skip


def big_log(folder: Path, marker: str) -> Path:
    """A log from earlier sessions, over the size at which a start rotates it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    line = "an earlier session's line\n"
    repeat = crash_safety.ROTATE_ABOVE_BYTES // len(line) + 1
    path.write_text(f"{marker}\n" + line * repeat, encoding="utf-8")
    return path


@pytest.fixture
def windows_renames(monkeypatch) -> list[str]:
    """Renames behave as on Windows: a file open in any process of this test (this one and
    its children) cannot be renamed, nor replaced. Returns the refused renames."""
    refused: list[str] = []
    real_replace, real_rename = os.replace, os.rename

    def open_anywhere(path: str) -> bool:
        wanted = os.path.realpath(path)
        me = psutil.Process()
        for process in [me, *me.children(recursive=True)]:
            try:
                if any(os.path.realpath(f.path) == wanted for f in process.open_files()):
                    return True
            except psutil.Error:
                continue
        return False

    def windows(real):
        def rename(src, dst, *args, **kwargs):
            for path in (os.fspath(src), os.fspath(dst)):
                if open_anywhere(path):
                    refused.append(Path(path).name)
                    raise PermissionError(
                        13,
                        "The process cannot access the file because it is being used by "
                        "another process",
                        os.fspath(src), 32, os.fspath(dst),
                    )  # fmt: skip
            return real(src, dst, *args, **kwargs)

        return rename

    monkeypatch.setattr(os, "replace", windows(real_replace))
    monkeypatch.setattr(os, "rename", windows(real_rename))
    monkeypatch.setattr(crash_safety, "_FILE_LOCKS", False)  # Windows has no flock
    return refused


# -- one start after another ------------------------------------------------------------------


def test_each_start_appends_under_its_own_header_and_keeps_the_last_session(tmp_path):
    for session in ("first", "second"):
        log = open_log(tmp_path)
        log.write(f"{session} session\n")
        log.close()
    text = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert text.count(HEADER) == 2
    assert text.index("first session") < text.rindex(HEADER) < text.index("second session")
    assert not old_log(tmp_path / LOG_NAME, 1).exists()  # small: not rotated


def test_a_crashed_sessions_native_trace_survives_the_next_start(tmp_path):
    crashed = child(
        """
        import faulthandler, sys
        from pathlib import Path
        from captioner.app.crash_safety import open_log

        log = open_log(Path(sys.argv[1]))
        log.write("captioning, then a fault in native code\\n")
        faulthandler._sigsegv()
        """,
        str(tmp_path),
        stderr=subprocess.PIPE,
    )
    _, stderr = crashed.communicate(timeout=60)
    assert crashed.returncode != 0
    assert "Segmentation fault" not in stderr  # the trace went to the log, not the console

    log = open_log(tmp_path)  # the next start
    log.write("the next session\n")
    log.close()
    text = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert "captioning, then a fault in native code" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert 'File "<string>"' in text  # the crashed session's stack
    assert text.index("Segmentation fault") < text.rindex(HEADER) < text.index("the next session")


def test_a_large_log_is_rotated_at_start_and_the_old_ones_move_down(tmp_path):
    path = big_log(tmp_path, "the crashed session")
    for number, name in ((1, "one back"), (2, "two back"), (3, "three back")):
        old_log(path, number).write_text(name, encoding="utf-8")
    log = open_log(tmp_path)
    log.write("this session\n")
    log.close()
    text = path.read_text(encoding="utf-8")
    assert text.count(HEADER) == 1 and text.rstrip().endswith("this session")
    assert "the crashed session" not in text and len(text) < 1000
    assert old_log(path, 1).read_text(encoding="utf-8").startswith("the crashed session\n")
    assert old_log(path, 2).read_text(encoding="utf-8") == "one back"
    assert old_log(path, 3).read_text(encoding="utf-8") == "two back"
    assert not old_log(path, 4).exists()  # three kept: "three back" went
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "captioner.1.log", "captioner.2.log", "captioner.3.log", "captioner.log",
    ]  # fmt: skip


def test_an_old_log_that_cannot_make_room_leaves_every_log_where_it_was(tmp_path, windows_renames):
    path = big_log(tmp_path, "the last session")
    old_log(path, 1).write_text("one back", encoding="utf-8")
    with open(old_log(path, 1), encoding="utf-8"):  # open in an editor, say
        assert rotate(path) is False
    assert path.read_text(encoding="utf-8").startswith("the last session\n")
    assert old_log(path, 1).read_text(encoding="utf-8") == "one back"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["captioner.1.log", "captioner.log"]


# -- one process: one handle ------------------------------------------------------------------

WINDOWED = """
    import importlib.util, logging, os, sys, threading
    from pathlib import Path

    folder, fds = Path(sys.argv[1]), Path(sys.argv[2])
    spec = importlib.util.spec_from_file_location("entry", "packaging/entry.py")
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)

    def app():
        from captioner.app.crash_safety import install_error_log

        install_error_log(lambda path: None, folder)
        print("printed by the app")
        logging.getLogger("captioner.test").warning("logged by the app")
        thread = threading.Thread(target=lambda: 1 / 0, name="recogniser")
        thread.start()
        thread.join()
        sys.stderr.write("a progress bar on stderr\\n")
        log = str(folder / "captioner.log")
        handles = [fd for fd in os.listdir("/proc/self/fd")
                   if os.path.realpath(f"/proc/self/fd/{fd}") == log]
        fds.write_text(str(len(handles)))
        import faulthandler
        faulthandler._sigsegv()

    sys.stdout = sys.stderr = None  # a windowed program: no console
    entry.run(app, log_folder=lambda: folder)
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts handles in /proc")
def test_the_windowed_program_writes_output_logging_and_faults_through_one_handle(tmp_path):
    fds = tmp_path / "fds.txt"
    process = child(WINDOWED, str(tmp_path / "log"), str(fds), stderr=subprocess.PIPE)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0, stderr  # it ended in the fault
    assert fds.read_text() == "1"  # stdout, stderr, logging and faulthandler: one handle
    text = (tmp_path / "log" / LOG_NAME).read_text(encoding="utf-8")
    expected = [
        HEADER,
        "printed by the app",
        "WARNING MainThread captioner.test: logged by the app",
        "unhandled exception in thread recogniser",
        "ZeroDivisionError",
        "a progress bar on stderr",
        "Fatal Python error: Segmentation fault",
    ]
    at = [text.find(part) for part in expected]
    assert -1 not in at and at == sorted(at), text  # all there, in order: none overwritten
    assert text.count(HEADER) == 1


def test_the_app_and_the_windowed_entry_share_the_handle_and_close_it_last(tmp_path):
    first = open_log(tmp_path)
    error_log = install_error_log(lambda path: None, tmp_path)
    try:
        assert error_log.log_file is first and error_log.path == tmp_path / LOG_NAME
    finally:
        error_log.uninstall()
    assert not first.closed  # the entry's use goes on after the app's ends
    first.write("after the app\n")
    first.close()
    assert first.closed
    assert (tmp_path / LOG_NAME).read_text(encoding="utf-8").endswith("after the app\n")


# -- two processes on one log -----------------------------------------------------------------

RUNNING_APP = """
    import sys
    from pathlib import Path
    from captioner.app import crash_safety

    crash_safety._FILE_LOCKS = sys.argv[2] == "locks"
    log = crash_safety.open_log(Path(sys.argv[1]))
    print("open", flush=True)
    for line in sys.stdin:  # each line: one log line, then "ok"
        log.write(f"running app: {line.strip()}\\n")
        print("ok", flush=True)
    log.close()
"""


class RunningApp:
    """Another process that has the log open (the app that runs while a second start hands
    over to it), writing a line whenever asked."""

    def __init__(self, folder: Path, locks: bool) -> None:
        self.process = child(
            RUNNING_APP, str(folder), "locks" if locks else "no-locks",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        assert self._answer() == "open"

    def _answer(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def log(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        assert self._answer() == "ok"

    def quit(self) -> None:
        self.process.communicate(timeout=30)
        assert self.process.returncode == 0


def grow(path: Path) -> None:
    """The running app logged a lot: its log is past the rotation size."""
    with open(path, "a", encoding="utf-8") as log:
        earlier = "an earlier line of the running app\n"
        log.write(earlier * (crash_safety.ROTATE_ABOVE_BYTES // len(earlier) + 1))


def test_a_second_start_does_not_rotate_the_running_apps_log_away(tmp_path):
    path = big_log(tmp_path, "before both")
    running = RunningApp(tmp_path, locks=True)
    try:
        # Nobody else had it: the running app's start rotated it.
        assert old_log(path, 1).read_text(encoding="utf-8").startswith("before both")
        running.log("first")
        grow(path)
        second = open_log(tmp_path)  # a second start: large, but in use, so not rotated
        second.write("second start: handing over\n")
        running.log("second")
        second.close()
        running.log("third")
    finally:
        running.quit()
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith(("running", "second"))]
    assert lines == [
        "running app: first",
        "second start: handing over",
        "running app: second",
        "running app: third",
    ]
    assert not old_log(path, 2).exists()

    again = open_log(tmp_path)  # nobody else has it now: this start rotates it
    again.close()
    assert old_log(path, 1).read_text(encoding="utf-8") == text
    assert old_log(path, 2).read_text(encoding="utf-8").startswith("before both")


def test_on_windows_a_log_open_elsewhere_is_appended_to_and_nothing_is_lost(
    tmp_path, windows_renames, capfd
):
    running = RunningApp(tmp_path, locks=False)
    path = tmp_path / LOG_NAME
    try:
        running.log("before the second start")
        grow(path)
        error_log = install_error_log(lambda where: None, tmp_path)
        try:
            assert windows_renames == [LOG_NAME]  # the rotation was tried, and refused
            # This process logs far past the rotation size: nothing renames the open file
            # under it (a RotatingFileHandler would, and fail at every line on Windows).
            lines = crash_safety.ROTATE_ABOVE_BYTES // 50 + 1
            for number in range(lines):
                logging.getLogger("captioner.test").info("line %06d of this session", number)
            running.log("while the other logs")
        finally:
            error_log.uninstall()
        running.log("after it stopped")
    finally:
        running.quit()
    assert windows_renames == [LOG_NAME]
    assert "Logging error" not in capfd.readouterr().err
    text = path.read_text(encoding="utf-8")
    assert text.count(HEADER) == 2  # the running app's session, and this one's
    assert text.count("an earlier line of the running app") > 1000
    assert text.count("of this session") == lines
    assert f"line {lines - 1:06d} of this session" in text
    said = [line for line in text.splitlines() if line.startswith("running app:")]
    assert said == [
        "running app: before the second start",
        "running app: while the other logs",
        "running app: after it stopped",
    ]
    assert not old_log(path, 1).exists()

    # Once nobody has it open, the next start rotates it, on Windows too.
    log = open_log(tmp_path)
    log.write("a later session\n")
    log.close()
    assert old_log(path, 1).read_text(encoding="utf-8") == text
    assert path.read_text(encoding="utf-8").rstrip().endswith("a later session")


def test_logging_to_the_open_log_never_stalls_on_the_other_processes_lock(tmp_path):
    running = RunningApp(tmp_path, locks=True)
    try:
        log = open_log(tmp_path)
        started = time.monotonic()
        for number in range(200):
            log.write(f"line {number}\n")
            if number % 50 == 0:
                running.log(str(number))
        log.close()
    finally:
        running.quit()
    assert time.monotonic() - started < 10
    text = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert all(f"line {n}\n" in text for n in range(200))
    assert all(f"running app: {n}\n" in text for n in (0, 50, 100, 150))
