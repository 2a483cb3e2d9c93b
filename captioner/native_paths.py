"""Paths for native libraries that open files by narrow (ANSI) paths on Windows.

CTranslate2 (model files) and OpenCC (its tables) take a path as bytes and open it with the C
runtime, which on Windows reads those bytes in the process's ANSI code page. Python hands them
UTF-8, so a folder under ``C:\\Users\\张三`` is "not found" though it is there (faster-whisper
#238) unless the code page is UTF-8, which the installed app's manifest asks for (honoured from
Windows 10 1903). Elsewhere (Windows 10 1809, a pip install) such a path becomes its 8.3 short
form, where the volume keeps short names; failing that, :func:`narrow_path` says None and the
caller reads the files itself.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

CP_UTF8 = 65001


def _kernel32() -> Any:
    return getattr(ctypes, "windll").kernel32  # noqa: B009  (only on Windows: no stub elsewhere)


def ansi_code_page() -> int:
    return int(_kernel32().GetACP())


def short_path(path: str) -> str | None:
    """The 8.3 form of an existing ``path`` (GetShortPathNameW); None if Windows has none.
    Where the volume keeps no short names, Windows answers with the long path itself."""
    function = _kernel32().GetShortPathNameW
    size = 260
    while True:
        buffer = ctypes.create_unicode_buffer(size)
        length = int(function(path, buffer, size))
        if length == 0:  # no such file, or another failure
            return None
        if length < size:  # the characters copied, without the terminating null
            return buffer.value
        size = length  # too small: the size needed, with the terminating null


def narrow_path(
    path: Path | str,
    platform: str = sys.platform,
    code_page: Callable[[], int] = ansi_code_page,
    shorten: Callable[[str], str | None] = short_path,
) -> str | None:
    """``path`` as a native library can open it on this system, or None when no form of it
    can be (the caller then reads the files and hands over their contents)."""
    text = str(path)
    if not platform.startswith("win") or text.isascii() or code_page() == CP_UTF8:
        return text
    short = shorten(text)
    return short if short is not None and short.isascii() else None
