"""What the overlay shows: the tail of the confirmed text and the partial (pure logic).

With translations, each confirmed line stands on its own line, its translation under it once
that arrives (named by the final's number: it may come after the next partial began), and
the partial on a line of its own after them.
"""

from __future__ import annotations

from dataclasses import dataclass

from captioner.text.normalize import join_segments, segment_separator

_KEEP_CHARS = 600  # enough confirmed text for any number of overlay lines


@dataclass(frozen=True)
class CaptionLine:
    """A confirmed line and its translation ("" until it arrives)."""

    text: str
    translation: str = ""


@dataclass(frozen=True)
class VisibleCaption:
    confirmed: str
    partial: str
    # With translations: the confirmed text line by line, each with its translation (the
    # partial then begins a line of its own). Empty: the confirmed text flows as one.
    lines: tuple[CaptionLine, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.confirmed and not self.partial


@dataclass
class _Confirmed:
    final: int | None  # the final's number in the session, which its translation names
    text: str
    translation: str = ""


class CaptionText:
    """Collects updates; says what to show at a given moment.

    After ``clear_after_s`` without any update the overlay goes blank, so nothing stale stays
    on screen after the speaker stops. ``confirmed_only`` hides the changing partial.
    ``translating``: confirmed lines are shown one per line, for the translation to come
    under each (also whenever a shown line has one).
    """

    def __init__(
        self, clear_after_s: float = 8.0, confirmed_only: bool = False, translating: bool = False
    ) -> None:
        self.clear_after_s = clear_after_s
        self.confirmed_only = confirmed_only
        self.translating = translating
        self._confirmed = ""
        self._lines: list[_Confirmed] = []
        self._partial = ""
        self._updated_at = float("-inf")

    def add_confirmed(self, text: str, now: float, final: int | None = None) -> None:
        if self._expired(now):
            self._confirmed = ""
            self._lines.clear()
        if not self._confirmed:
            text = text.lstrip()
        self._confirmed = join_segments(self._confirmed, text)[-_KEEP_CHARS:]
        if text.strip():
            self._lines.append(_Confirmed(final, text.strip()))
            kept, length = 0, 0
            for line in reversed(self._lines):
                length += len(line.text) + len(line.translation)
                if kept and length > _KEEP_CHARS:
                    break
                kept += 1
            del self._lines[: len(self._lines) - kept]
        self._updated_at = now

    def add_translation(self, final: int, text: str, now: float) -> bool:
        """The translation of final number ``final``, under its line if that is still shown
        (True); one of a line gone already is not shown."""
        if self._expired(now) or not text.strip():
            return False
        for line in reversed(self._lines):
            if line.final == final:
                line.translation = " ".join(text.split())
                self._updated_at = now  # a line just shown is given the time to be read
                return True
        return False

    def set_partial(self, text: str, now: float) -> None:
        if self._expired(now):
            self._confirmed = ""
            self._lines.clear()
        self._partial = text
        if text:
            self._updated_at = now

    def clear(self) -> None:
        self._confirmed = ""
        self._lines.clear()
        self._partial = ""

    def visible(self, now: float) -> VisibleCaption:
        if self._expired(now):
            return VisibleCaption("", "")
        partial = "" if self.confirmed_only else self._partial
        if self._lines and (self.translating or any(line.translation for line in self._lines)):
            lines = tuple(CaptionLine(line.text, line.translation) for line in self._lines)
            return VisibleCaption("\n".join(line.text for line in lines), partial.strip(), lines)
        separator = segment_separator(self._confirmed, partial)
        return VisibleCaption(self._confirmed + separator, partial)

    def _expired(self, now: float) -> bool:
        return self.clear_after_s > 0 and now - self._updated_at > self.clear_after_s
