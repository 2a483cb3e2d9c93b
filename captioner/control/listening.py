"""When to listen: push-to-talk (hold), toggle, or always on (the VAD decides).

Pure state machine: hotkey presses/releases and explicit commands (tray, WebSocket) go in,
the desired listening state comes out. Key auto-repeat (repeated presses while held) changes
nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ListeningMode(str, enum.Enum):
    HOLD = "hold"  # press: listen; release: finish the utterance and confirm it
    TOGGLE = "toggle"  # each press switches listening on or off
    ALWAYS = "always"  # always listening; a press pauses or resumes


@dataclass(frozen=True)
class ListeningChange:
    listening: bool  # False also means: confirm what was heard, now


class ListeningController:
    def __init__(self, mode: ListeningMode = ListeningMode.HOLD) -> None:
        self.mode = mode
        self.listening = mode is ListeningMode.ALWAYS
        self._held = False

    def set_mode(self, mode: ListeningMode) -> ListeningChange | None:
        self.mode = mode
        self._held = False
        return self._set(mode is ListeningMode.ALWAYS)

    def press(self) -> ListeningChange | None:
        if self._held:
            return None  # auto-repeat of a key already held
        self._held = True
        if self.mode is ListeningMode.HOLD:
            return self._set(True)
        return self._set(not self.listening)

    def release(self) -> ListeningChange | None:
        if not self._held:
            return None
        self._held = False
        if self.mode is ListeningMode.HOLD:
            return self._set(False)
        return None

    def start(self) -> ListeningChange | None:
        return self._set(True)

    def stop(self) -> ListeningChange | None:
        return self._set(False)

    def toggle(self) -> ListeningChange | None:
        return self._set(not self.listening)

    def _set(self, listening: bool) -> ListeningChange | None:
        if listening == self.listening:
            return None
        self.listening = listening
        return ListeningChange(listening)
