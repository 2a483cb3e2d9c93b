"""System audio on Windows joins COM the way soundcard's own code needs it.

soundcard's real Windows module runs here (tests/support/windows_com.py) against an ``ole32``
that answers as Windows documents; each scenario runs in fresh threads, as the app's threads
are: the GUI thread (a single-threaded apartment: Qt joins it), the recognition worker that
opens system audio, and the capture thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from captioner.audio.com import join_com, leave_com
from captioner.audio.loopback import SystemAudioSource, list_output_devices
from captioner.errors import AudioDeviceError
from tests.support.windows_com import COINIT_APARTMENTTHREADED, soundcard_on_windows


def in_thread(work: Callable[[], Any]) -> Any:
    """``work()`` in a new thread: what it returned, or the exception it raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return outcome[0]


def test_a_worker_thread_opens_system_audio_with_soundcards_windows_code(monkeypatch):
    # The first use of system audio (saved as the source, or `listen --source system`)
    # imports soundcard in the recognition worker's thread. Joining COM before that import
    # made soundcard's own CoInitializeEx answer S_FALSE, and its import raised.
    with soundcard_on_windows(monkeypatch) as ole32:
        outcome = in_thread(lambda: SystemAudioSource(platform="win32"))
    assert isinstance(outcome, AudioDeviceError)
    # The library loaded and asked WASAPI for the outputs: this PC has none.
    assert "No output device" in str(outcome), outcome
    assert ole32.created_from and set(ole32.created_from) == {"MTA"}


def test_outputs_listed_in_the_gui_thread_then_captured_in_a_worker(monkeypatch):
    # The settings window lists outputs in Qt's GUI thread, a single-threaded apartment
    # (soundcard's import then gets RPC_E_CHANGED_MODE, which it accepts); capture then
    # opens in the worker thread, which no import joined: it must join COM itself.
    def gui_thread() -> Any:
        ctypes_ole32.CoInitializeEx(None, COINIT_APARTMENTTHREADED)  # what Qt does
        return list_output_devices()

    with soundcard_on_windows(monkeypatch) as ole32:
        ctypes_ole32 = ole32
        assert in_thread(gui_thread) == []
        outcome = in_thread(lambda: SystemAudioSource(platform="win32"))
    assert isinstance(outcome, AudioDeviceError) and "No output device" in str(outcome)
    assert ole32.created_from[0] == "STA"
    assert set(ole32.created_from[1:]) == {"MTA"}  # joined, not by luck of another thread


def test_the_capture_thread_joins_com_and_leaves_it_when_it_ends(monkeypatch):
    with soundcard_on_windows(monkeypatch) as ole32:

        def capture_thread() -> tuple[str | None, str | None]:
            join_com("win32")
            joined = ole32.apartment()
            leave_com()
            return joined, ole32.apartment()

        assert in_thread(capture_thread) == ("MTA", None)

        def importing_thread() -> tuple[str | None, int]:
            import soundcard  # noqa: F401  (joins this thread itself)

            join_com("win32")  # S_FALSE: already in, counted once more
            leave_com()
            return ole32.apartment(), ole32.joins()

        assert in_thread(importing_thread) == ("MTA", 1)  # soundcard's own join stays


def test_a_com_failure_is_an_audio_error_in_words(monkeypatch):
    with soundcard_on_windows(monkeypatch) as ole32:
        monkeypatch.setattr(ole32, "CoInitializeEx", lambda reserved, coinit: -2147024882)
        outcome = in_thread(lambda: join_com("win32"))
    assert isinstance(outcome, AudioDeviceError)
    assert "0x8007000E" in str(outcome)  # E_OUTOFMEMORY


def test_nothing_joins_com_on_linux(monkeypatch):
    with soundcard_on_windows(monkeypatch) as ole32:
        in_thread(lambda: join_com("linux"))
    assert ole32.threads == {}
