"""Problems to tell the user: notices told once, and problems that stand until something
changes.

No microphone, a microphone that delivers only silence, capture that failed: while one of
these stands, nothing the user does with the hotkey can produce a caption, so the caption
bar keeps saying what is wrong (instead of "Hold Ctrl+Shift+Space to talk") until it is
resolved. Kept per source and kind; the most pressing one is what the bar shows.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """A notice for the user: shown on the caption bar and as a tray notification."""

    text: str
    severity: Literal["info", "warning", "error"]


class Standing(enum.Enum):
    """What can stand, most pressing first."""

    CAPTURE_FAILED = "capture failed"  # the first source (the microphone, or system audio)
    MICROPHONE_SILENT = "microphone silent"  # blocked by the system, or muted
    SYSTEM_CAPTURE_FAILED = "system capture failed"  # the system audio beside the microphone


class StandingProblems:
    def __init__(self) -> None:
        self._texts: dict[Standing, str] = {}

    def set(self, kind: Standing, text: str) -> bool:
        """``kind`` stands, told as ``text``; True if that changed what stands."""
        if self._texts.get(kind) == text:
            return False
        self._texts[kind] = text
        return True

    def clear(self, *kinds: Standing) -> bool:
        """These are resolved; True if any of them stood."""
        return any([self._texts.pop(kind, None) is not None for kind in kinds])

    def current(self) -> str:
        """The most pressing problem that stands, in words; "" when none does."""
        return next((self._texts[kind] for kind in Standing if kind in self._texts), "")
