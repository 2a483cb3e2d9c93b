"""soundcard's real Windows module (``mediafoundation.py``), loaded on Linux against an
``ole32`` that answers as Windows documents.

What is real: soundcard 0.4's own Python code for Windows, its cffi declarations, its COM
start-up at import and its HRESULT checks. What stands in for Windows: ``ole32``, which keeps
each thread's COM apartment by the documented rules of ``CoInitializeEx``,
``CoUninitialize`` and ``CoCreateInstance``, and an audio endpoint enumerator (the object
``CoCreateInstance`` returns) on a computer with no output device. The same ``ole32`` answers
Captioner's own ``ctypes.windll.ole32`` calls, so both sides share one apartment state.
"""

from __future__ import annotations

import ctypes
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import cffi
import pytest

# HRESULTs as the Windows SDK defines them (winerror.h), as the signed LONG they are.
S_OK = 0
S_FALSE = 1


def _signed(code: int) -> int:
    return code - 2**32


RPC_E_CHANGED_MODE = _signed(0x80010106)
CO_E_NOTINITIALIZED = _signed(0x800401F0)
E_NOTFOUND = _signed(0x80070490)  # HRESULT_FROM_WIN32(ERROR_NOT_FOUND): no such endpoint
COINIT_APARTMENTTHREADED = 0x2

# Windows' own data types, which cffi knows on Windows only (windows data types reference):
# soundcard's declarations use them.
WINDOWS_TYPES = """
typedef unsigned char BYTE;
typedef unsigned short WORD;
typedef unsigned int UINT;
typedef unsigned int UINT32;
typedef unsigned long long UINT64;
typedef unsigned int ULONG;
typedef void *HANDLE;
typedef const wchar_t *LPCWSTR;
"""


class WindowsOle32:
    """COM's apartments per thread, as ``CoInitializeEx`` documents them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # Each thread's [apartment, times joined]. Keyed by the thread itself: a new thread
        # may get the identifier of one that ended, never its COM state.
        self.threads: dict[threading.Thread, list[Any]] = {}
        self.created_from: list[str] = []  # the apartment of each CoCreateInstance's caller
        self.ffi: cffi.FFI | None = None  # soundcard's, once it is loaded
        self._keep: list[Any] = []  # cffi objects handed to soundcard stay alive

    def apartment(self) -> str | None:
        """The calling thread's apartment, if it joined one."""
        state = self.threads.get(threading.current_thread())
        return state[0] if state else None

    def joins(self) -> int:
        """How many CoUninitialize calls the calling thread owes."""
        state = self.threads.get(threading.current_thread())
        return state[1] if state else 0

    def CoInitializeEx(self, reserved: Any, coinit: int) -> int:
        wanted = "STA" if coinit & COINIT_APARTMENTTHREADED else "MTA"
        with self.lock:
            state = self.threads.get(threading.current_thread())
            if state is None:
                self.threads[threading.current_thread()] = [wanted, 1]
                return S_OK
            if state[0] != wanted:
                return RPC_E_CHANGED_MODE
            state[1] += 1
            return S_FALSE

    def CoInitialize(self, reserved: Any) -> int:
        return self.CoInitializeEx(reserved, COINIT_APARTMENTTHREADED)

    def CoUninitialize(self) -> None:
        with self.lock:
            state = self.threads.get(threading.current_thread())
            if state is None:
                return  # documented as harmless
            state[1] -= 1
            if state[1] == 0:
                del self.threads[threading.current_thread()]

    def IIDFromString(self, text: Any, iid: Any) -> int:
        return S_OK

    def CoCreateInstance(self, clsid: Any, outer: Any, context: int, iid: Any, out: Any) -> int:
        """A thread outside any apartment may use COM only while some thread keeps the
        multithreaded apartment alive (it is then implicitly in it)."""
        with self.lock:
            own = self.apartment()
            implicit = any(
                state[0] == "MTA" and thread.is_alive() for thread, state in self.threads.items()
            )
        self.created_from.append(own or ("implicit MTA" if implicit else "none"))
        if own is None and not implicit:
            return CO_E_NOTINITIALIZED
        assert self.ffi is not None
        self.ffi.cast("IMMDeviceEnumerator **", out)[0] = self._no_endpoints()
        return S_OK

    def _no_endpoints(self) -> Any:
        """IMMDeviceEnumerator of a computer with no active output device: an empty
        collection, and E_NOTFOUND for the default endpoint."""

        def collection(this: Any, flow: int, state: int, out: Any) -> int:
            out[0] = self._object(
                "IMMDeviceCollection",
                Release=("ULONG(IMMDeviceCollection *)", lambda this: 0),
                GetCount=(
                    "HRESULT(IMMDeviceCollection *, UINT *)",
                    lambda this, count: _set(count, 0),
                ),
            )
            return S_OK

        return self._object(
            "IMMDeviceEnumerator",
            Release=("ULONG(IMMDeviceEnumerator *)", lambda this: 0),
            EnumAudioEndpoints=(
                "HRESULT(IMMDeviceEnumerator *, EDataFlow, DWORD, IMMDeviceCollection **)",
                collection,
            ),
            GetDefaultAudioEndpoint=(
                "HRESULT(IMMDeviceEnumerator *, EDataFlow, ERole, IMMDevice **)",
                lambda this, flow, role, out: E_NOTFOUND,
            ),
        )

    def _object(self, interface: str, **methods: tuple[str, Any]) -> Any:
        """A COM object: a struct whose first field points to its table of methods."""
        ffi = self.ffi
        assert ffi is not None
        instance = ffi.new(f"{interface} *")
        table = ffi.new(f"{interface}Vtbl *")
        for name, (signature, method) in methods.items():
            callback = ffi.callback(signature, method)
            setattr(table, name, callback)
            self._keep.append(callback)  # the table holds a bare pointer to it
        instance.lpVtbl = table
        self._keep += [instance, table]
        return instance


def _set(pointer: Any, value: int) -> int:
    pointer[0] = value
    return S_OK


class _SoundcardOnWindows(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import soundcard`` gives what it gives on Windows: its mediafoundation module."""

    def __init__(self, ole32: WindowsOle32) -> None:
        self.ole32 = ole32
        package = importlib.util.find_spec("soundcard")
        assert package is not None and package.submodule_search_locations
        self.source = Path(package.submodule_search_locations[0]) / "mediafoundation.py"

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "soundcard":
            return None
        return importlib.machinery.ModuleSpec(name, self, origin=str(self.source))

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        module.__file__ = str(self.source)
        ole32 = self.ole32
        real_cdef, real_dlopen = cffi.FFI.cdef, cffi.FFI.dlopen

        def cdef(ffi: cffi.FFI, source: str, *args: Any, **kwargs: Any) -> None:
            # x64 Windows has one calling convention; its compilers ignore __stdcall.
            source = WINDOWS_TYPES + source.replace("__stdcall", "")
            real_cdef(ffi, source, *args, **kwargs)
            ole32.ffi = ffi

        def dlopen(ffi: cffi.FFI, name: Any, *args: Any, **kwargs: Any) -> Any:
            return ole32 if name == "ole32" else real_dlopen(ffi, name, *args, **kwargs)

        cffi.FFI.cdef, cffi.FFI.dlopen = cdef, dlopen  # type: ignore[method-assign]
        try:
            code = compile(self.source.read_text(encoding="utf-8"), str(self.source), "exec")
            exec(code, module.__dict__)
        finally:
            cffi.FFI.cdef, cffi.FFI.dlopen = real_cdef, real_dlopen  # type: ignore[method-assign]


@contextmanager
def soundcard_on_windows(monkeypatch: pytest.MonkeyPatch) -> Iterator[WindowsOle32]:
    """Until the end of the block, ``import soundcard`` runs soundcard's Windows code (on
    first import, in the importing thread) and ``ctypes.windll.ole32`` is the same
    Windows-answering ``ole32``."""
    ole32 = WindowsOle32()
    finder = _SoundcardOnWindows(ole32)
    monkeypatch.delitem(sys.modules, "soundcard", raising=False)
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(ole32=ole32), raising=False)
    sys.meta_path.insert(0, finder)
    try:
        yield ole32
    finally:
        sys.meta_path.remove(finder)
        sys.modules.pop("soundcard", None)
