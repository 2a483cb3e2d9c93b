"""What the overlay shows: the tail of the confirmed text and the partial (pure logic)."""

from __future__ import annotations

from dataclasses import dataclass

from captioner.text.normalize import join_segments, segment_separator

_KEEP_CHARS = 600  # enough confirmed text for any number of overlay lines


@dataclass(frozen=True)
class VisibleCaption:
    confirmed: str
    partial: str

    @property
    def empty(self) -> bool:
        return not self.confirmed and not self.partial


class CaptionText:
    """Collects updates; says what to show at a given moment.

    After ``clear_after_s`` without any update the overlay goes blank, so nothing stale stays
    on screen after the speaker stops. ``confirmed_only`` hides the changing partial.
    """

    def __init__(self, clear_after_s: float = 8.0, confirmed_only: bool = False) -> None:
        self.clear_after_s = clear_after_s
        self.confirmed_only = confirmed_only
        self._confirmed = ""
        self._partial = ""
        self._updated_at = float("-inf")

    def add_confirmed(self, text: str, now: float) -> None:
        if self._expired(now):
            self._confirmed = ""
        if not self._confirmed:
            text = text.lstrip()
        self._confirmed = join_segments(self._confirmed, text)[-_KEEP_CHARS:]
        self._updated_at = now

    def set_partial(self, text: str, now: float) -> None:
        if self._expired(now):
            self._confirmed = ""
        self._partial = text
        if text:
            self._updated_at = now

    def clear(self) -> None:
        self._confirmed = ""
        self._partial = ""

    def visible(self, now: float) -> VisibleCaption:
        if self._expired(now):
            return VisibleCaption("", "")
        partial = "" if self.confirmed_only else self._partial
        separator = segment_separator(self._confirmed, partial)
        return VisibleCaption(self._confirmed + separator, partial)

    def _expired(self, now: float) -> bool:
        return self.clear_after_s > 0 and now - self._updated_at > self.clear_after_s
