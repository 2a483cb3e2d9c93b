"""Paths that native libraries open with the Windows ANSI code page (captioner.native_paths).

Windows' answers follow its documentation: GetACP's code page, and GetShortPathNameW's return
values (the characters copied; the buffer size needed, terminating null included, when the
buffer is too small; 0 when the file does not exist; the long path itself on a volume that
keeps no short names).
"""

from __future__ import annotations

import ctypes
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from captioner import native_paths
from captioner.native_paths import narrow_path

ROOT = Path(__file__).resolve().parents[2]
USER_MODEL = r"C:\Users\张三\AppData\Local\Captioner\Cache\models\whisper-base"
SHORT = r"C:\Users\5F20~1\AppData\Local\CAPTIO~1\Cache\models\WHISPE~1"


def on_windows(code_page: int, short: str | None):
    return partial(
        narrow_path, platform="win32", code_page=lambda: code_page, shorten=lambda path: short
    )


def test_other_systems_and_ascii_paths_are_left_as_they_are():
    assert narrow_path(USER_MODEL, platform="linux") == USER_MODEL
    assert on_windows(936, None)(r"C:\Users\zhang\model") == r"C:\Users\zhang\model"


def test_a_utf8_code_page_opens_any_path():
    assert on_windows(65001, None)(USER_MODEL) == USER_MODEL


def test_otherwise_the_short_form_is_used_where_windows_keeps_one():
    assert on_windows(936, SHORT)(USER_MODEL) == SHORT


def test_without_an_ascii_form_the_caller_reads_the_files_itself():
    assert on_windows(1252, USER_MODEL)(USER_MODEL) is None  # no short names on that volume
    assert on_windows(936, None)(USER_MODEL) is None  # GetShortPathNameW failed


class Kernel32:
    """GetShortPathNameW as documented, over a table of long -> short paths."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.calls: list[int] = []

    def GetShortPathNameW(self, long: str, buffer, size: int) -> int:
        self.calls.append(size)
        if long not in self.names:
            return 0
        short = self.names[long]
        if len(short) + 1 > size:
            return len(short) + 1
        buffer.value = short
        return len(short)


def test_the_short_path_is_asked_for_again_with_the_size_windows_needs(monkeypatch):
    deep = USER_MODEL + "\\" + "子文件夹\\" * 40
    short_deep = SHORT + "\\" + "ABC~1\\" * 40  # longer than the first 260 characters
    kernel32 = Kernel32({USER_MODEL: SHORT, deep: short_deep})
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=kernel32), raising=False)
    assert native_paths.short_path(USER_MODEL) == SHORT
    assert native_paths.short_path(deep) == short_deep
    assert kernel32.calls[-2:] == [260, len(short_deep) + 1]
    assert native_paths.short_path(r"C:\Users\张三\gone") is None


def test_the_installed_apps_manifest_asks_for_the_utf8_code_page():
    from PyInstaller.utils.win32.winmanifest import create_application_manifest

    xml = (ROOT / "packaging" / "manifest.xml").read_bytes()
    manifest = create_application_manifest(xml).decode("utf-8")  # as PyInstaller embeds it
    assert ">UTF-8</activeCodePage>" in manifest
    assert "Microsoft.Windows.Common-Controls" in manifest
