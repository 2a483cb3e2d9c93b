"""A system-wide hotkey (works while another app has focus), through pynput.

pynput hooks the keyboard on Windows (low-level hook), macOS (event tap) and X11 (XRecord).
Its callbacks run on pynput's own thread; they only update a ComboTracker and emit Qt
signals, which Qt queues to the GUI thread.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from captioner.control.hotkey_spec import ComboTracker, Hotkey

_PYNPUT_NAMES = {
    "ctrl_l": "ctrl", "ctrl_r": "ctrl", "alt_l": "alt", "alt_r": "alt", "alt_gr": "alt",
    "shift_l": "shift", "shift_r": "shift", "cmd_l": "cmd", "cmd_r": "cmd",
}  # fmt: skip


def key_name(key: Any) -> str | None:
    """Normalised name of a pynput key: "ctrl", "space", "f9", "a" (None if unknown)."""
    name = getattr(key, "name", None)
    if name:  # a pynput.keyboard.Key member
        return _PYNPUT_NAMES.get(str(name), str(name))
    char = getattr(key, "char", None)
    if char == " ":
        return "space"
    if isinstance(char, str) and char.isprintable():
        return char.lower()
    vk = getattr(key, "vk", None)
    if vk is not None and (0x30 <= vk <= 0x39 or 0x41 <= vk <= 0x5A):
        return chr(vk).lower()  # Windows reports letters by virtual key when Ctrl is held
    return None


def platform_limitations() -> str | None:
    """What the user should know about global hotkeys on this system, if anything."""
    if sys.platform == "win32":
        return QCoreApplication.translate(
            "GlobalHotkey",
            "Windows does not deliver keys to Captioner while a window running as "
            "administrator has focus; run Captioner as administrator to use the hotkey there.",
        )
    if sys.platform == "darwin":
        return QCoreApplication.translate(
            "GlobalHotkey",
            "macOS asks you to allow Captioner under Privacy & Security > Accessibility.",
        )
    return None


class GlobalHotkey(QObject):
    pressed = Signal()
    released = Signal()
    failed = Signal(str)  # the hotkey cannot work: why, in plain words

    def __init__(self, hotkey: Hotkey) -> None:
        super().__init__()
        self._tracker = ComboTracker(hotkey)
        self._listener: Any = None
        self._lock = threading.Lock()

    @property
    def hotkey(self) -> Hotkey:
        return self._tracker.hotkey

    @property
    def running(self) -> bool:
        return self._listener is not None and self._listener.running

    def set_hotkey(self, hotkey: Hotkey) -> None:
        with self._lock:
            was_active = self._tracker.active
            self._tracker = ComboTracker(hotkey)
        if was_active:
            self.released.emit()

    def start(self) -> bool:
        """Start listening; emits ``failed`` and returns False if the system refuses."""
        try:
            from pynput import keyboard
        except Exception as exc:  # pynput raises ImportError or platform errors
            self.failed.emit(self._explain(exc))
            return False
        try:
            self._listener = keyboard.Listener(on_press=self._on_press, on_release=self._on_release)
            self._listener.start()
            self._listener.wait()
        except Exception as exc:  # the OS refused the hook: explained to the user
            self._listener = None
            self.failed.emit(self._explain(exc))
            return False
        if getattr(self._listener, "IS_TRUSTED", True) is False:  # macOS without permission
            self.failed.emit(self._explain(None))
            return False
        return True

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        with self._lock:
            self._tracker.reset()

    def _on_press(self, key: Any) -> None:
        self._on_key(key, pressed=True)

    def _on_release(self, key: Any) -> None:
        self._on_key(key, pressed=False)

    def _on_key(self, key: Any, pressed: bool) -> None:
        name = key_name(self._canonical(key))
        if name is None:
            return
        with self._lock:
            edge = self._tracker.press(name) if pressed else self._tracker.release(name)
        if edge:
            (self.pressed if pressed else self.released).emit()

    def _canonical(self, key: Any) -> Any:
        """Named keys as they are; characters without the modifiers' effect (Ctrl+A is
        'a', not a control character)."""
        listener = self._listener
        if getattr(key, "name", None) or listener is None:
            return key
        return listener.canonical(key)

    def _explain(self, exc: BaseException | None) -> str:
        reason = str(exc).splitlines()[0] if exc else self.tr("permission was not granted")
        hint = platform_limitations() or ""
        return (
            self.tr(
                "The global hotkey {hotkey} cannot be used ({reason}). Use the tray menu "
                "or the overlay's shortcuts instead. {hint}"
            )
            .format(hotkey=self.hotkey, reason=reason, hint=hint)
            .strip()
        )
