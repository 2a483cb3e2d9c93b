"""The pieces of packaging/ that are logic, not a build: the Windows version resource, the
icon files, and what the windowed program (no console) does with output and errors."""

from __future__ import annotations

import importlib.util
import io
import struct
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

import captioner
from captioner.app.crash_safety import LOG_NAME

ROOT = Path(__file__).resolve().parents[2]


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load("build", ROOT / "packaging" / "build.py")
entry = load("entry", ROOT / "packaging" / "entry.py")


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2.0rc1", (2, 0, 1, 0)),
     ("1.4.0+local", (1, 4, 0, 0)), ("3", (3, 0, 0, 0))],
)  # fmt: skip
def test_version_numbers_for_the_windows_resource(text, numbers):
    assert build.version_tuple(text) == numbers


def record(name: str, *args, **kwargs) -> tuple:
    return (name, args, kwargs)


def test_version_resource_names_the_product_and_the_version():
    # PyInstaller evaluates the file as a Python expression over its versioninfo classes
    # (which need pefile, a Windows-only package): stand-ins that keep their arguments.
    from functools import partial

    classes = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
               "StringStruct", "VarFileInfo", "VarStruct")  # fmt: skip
    namespace = {name: partial(record, name) for name in classes}
    _, _, info = eval(build.version_resource("captioner-cli", captioner.__version__), namespace)
    assert info["ffi"][2]["filevers"] == build.version_tuple(captioner.__version__)
    string_file_info = info["kids"][0]
    (table,) = string_file_info[1][0]
    strings = dict(entry[1] for entry in table[1][1])
    assert strings["ProductName"] == "Captioner"
    assert strings["CompanyName"] == build.COMPANY
    assert strings["ProductVersion"] == strings["FileVersion"] == captioner.__version__
    assert strings["OriginalFilename"] == "captioner-cli.exe"


def test_the_two_programs_differ_by_more_than_case():
    names = [name.lower() for name in build.PROGRAMS]
    assert len(set(names)) == len(names) == 2


def test_icon_files_hold_every_size_windows_asks_for():
    data = (ROOT / "resources" / "captioner.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert (planes, bits) == (1, 32) and offset + length <= len(data)
        assert width == height
        sizes.append(width or 256)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]
    png = (ROOT / "resources" / "captioner.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (256, 256)


def test_a_program_with_a_console_runs_the_command_as_it_is(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert entry.run(lambda: 3, log_folder=lambda: tmp_path) == 3
    assert not (tmp_path / LOG_NAME).exists()


@pytest.fixture
def without_console(monkeypatch) -> Iterator[Callable[[], list[tuple[str, Path]]]]:
    """Makes this test a windowed program (no stdout/stderr: set in the test itself, since
    pytest puts its capture back between a fixture and the test); returns the message boxes
    it would show."""
    shown: list[tuple[str, Path]] = []

    def windowed() -> list[tuple[str, Path]]:
        monkeypatch.setattr(sys, "stdout", None)
        monkeypatch.setattr(sys, "stderr", None)
        monkeypatch.setattr(entry, "show_error", lambda text, log: shown.append((text, log)))
        return shown

    yield windowed
    if isinstance(sys.stdout, entry._Tee):  # the process would keep it open until it ends
        sys.stdout.log.close()


def test_without_a_console_output_goes_to_the_log_and_errors_to_a_box(without_console, tmp_path):
    shown = without_console()

    def failing() -> int:
        sys.stderr.write("a progress bar\n")
        print("error: No audio input devices found.", file=sys.stderr)
        return 2

    status = entry.run(failing, log_folder=lambda: tmp_path)
    log = tmp_path / LOG_NAME
    sys.stdout.flush()
    assert status == 2
    assert shown == [("No audio input devices found.", log)]
    assert "a progress bar" in log.read_text(encoding="utf-8")


def test_without_a_console_a_crash_is_logged_and_shown(without_console, tmp_path):
    shown = without_console()

    def crashing() -> int:
        raise RuntimeError("boom")

    assert entry.run(crashing, log_folder=lambda: tmp_path) == 1
    assert shown and shown[0][0] == "RuntimeError: boom"
    assert "Traceback" in (tmp_path / LOG_NAME).read_text(encoding="utf-8")


def test_without_a_console_the_last_sessions_log_is_kept(without_console, tmp_path):
    without_console()
    (tmp_path / LOG_NAME).write_text("the crashed session's trace\n", encoding="utf-8")
    assert entry.run(lambda: 0, log_folder=lambda: tmp_path) == 0
    text = (tmp_path / LOG_NAME).read_text(encoding="utf-8")
    assert text.startswith("the crashed session's trace\n")  # appended to, not wiped


def test_without_a_console_a_clean_exit_shows_nothing(without_console, tmp_path):
    shown = without_console()
    assert entry.run(lambda: 0, log_folder=lambda: tmp_path) == 0
    assert shown == []
