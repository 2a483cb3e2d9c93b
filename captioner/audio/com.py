"""COM for the threads that use WASAPI through soundcard (Windows only).

A thread must be in a COM apartment before it calls WASAPI. soundcard joins only the thread
that imports it, with ``CoInitializeEx(NULL, COINIT_MULTITHREADED)``, and its import accepts
only two answers: ``S_OK`` and ``RPC_E_CHANGED_MODE``. A thread that joined COM before that
import gets ``S_FALSE`` ("already joined"), and soundcard's import raises
``RuntimeError('Error 0x100000001')``. So a thread joins here only *after* soundcard is imported
(``loopback.soundcard_module`` does both, in that order), and every other thread that uses it
(the capture thread) joins here before it does.

``CoInitializeEx`` as Windows documents it: ``S_OK`` when the thread joins, ``S_FALSE`` when it
is already in that apartment, both to be undone by one ``CoUninitialize`` each;
``RPC_E_CHANGED_MODE`` when it is in the single-threaded apartment (Qt's GUI thread), where
WASAPI works too and there is nothing to undo.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from typing import Any

from captioner.errors import AudioDeviceError
from captioner.i18n import translate

S_OK = 0x0
S_FALSE = 0x1
RPC_E_CHANGED_MODE = 0x80010106
COINIT_MULTITHREADED = 0x0

_thread = threading.local()  # .joined: True (to undo), False (already in an STA), or unset


def _ole32() -> Any:
    return getattr(ctypes, "windll").ole32  # noqa: B009  (only on Windows: no stub elsewhere)


def join_com(platform: str = sys.platform) -> None:
    """Put this thread in COM's multithreaded apartment, once (nothing on other systems)."""
    if not platform.startswith("win") or getattr(_thread, "joined", None) is not None:
        return
    hresult = _ole32().CoInitializeEx(None, COINIT_MULTITHREADED) & 0xFFFFFFFF
    if hresult in (S_OK, S_FALSE):
        _thread.joined = True
    elif hresult == RPC_E_CHANGED_MODE:
        _thread.joined = False
    else:
        raise AudioDeviceError(
            translate(
                "audio",
                "Windows audio cannot be used from this thread (COM error 0x{code:08X}).",
            ).format(code=hresult)
        )


def leave_com() -> None:
    """Undo :func:`join_com` in a thread that is about to end."""
    if getattr(_thread, "joined", None):
        _ole32().CoUninitialize()
    _thread.joined = None
