"""The transcript's text: one block per line ("12:03  Me: text"), appended in constant time.
A line's translation is in its line's block, after a line separator (so that block n is
still line n), indented, smaller and in another colour; it may come after later lines.

A QPlainTextEdit lays out only what is shown, so a three-hour session (thousands of lines)
opens at once and each new line costs the same. It follows new text while the view is at
the bottom; scrolled up, it stays where the user reads (``following`` says which). Every
hit of a find is highlighted (extra selections, so nothing is re-laid out), the current one
stronger.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from captioner.transcript.export import short_clock
from captioner.transcript.store import Line

_HIT = QColor("#ffe08a")
_CURRENT_HIT = QColor("#ff9f1a")
_TRANSLATION = QColor("#4f6f8f")  # grey-blue: read on light and dark backgrounds alike
MAX_HITS = 20_000  # highlighted at most (a single common character in a long session)
SEPARATOR = "\u2028"  # a line break inside the block (the clipboard gets a newline)
INDENT = "      "  # before a translation


def _units(text: str) -> int:
    """The length of ``text`` in the document's positions (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def translation_format() -> QTextCharFormat:
    """A translation's look: smaller than the line (whatever the text size), grey-blue."""
    fmt = QTextCharFormat()
    fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
    fmt.setForeground(_TRANSLATION)
    return fmt


def line_text(line: Line, labels: bool) -> str:
    """A line as the window shows it: its time from the session's start, its side."""
    said = f"{line.source}: {line.text}" if labels and line.source else line.text
    return f"{short_clock(line.start)}  {said}"


class TranscriptView(QPlainTextEdit):
    following_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setAccessibleName(self.tr("Session transcript"))
        self.lines: list[Line] = []
        self.translations: dict[int, str] = {}  # line index -> its translation
        self.labels = False  # two sources: each line names its side
        self.following = True
        self._scrolling = False  # the view moves itself: not the user scrolling up
        self._hits: list[QTextCursor] = []
        self._find = ""  # what the find bar looks for: new lines are searched as they come
        self.current_hit = -1
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_range)

    # -- the lines ----------------------------------------------------------------------

    def set_lines(
        self,
        lines: Iterable[Line],
        labels: bool | None = None,
        translations: Mapping[int, str] | None = None,
    ) -> None:
        """Show these lines (another session), at the bottom, following; ``translations``:
        line index -> its translation."""
        self.lines = list(lines)
        if labels is None:
            labels = any(line.source for line in self.lines)
        self.labels = labels
        self.translations = {
            index: said
            for index, text in (translations or {}).items()
            if 0 <= index < len(self.lines) and (said := " ".join(text.split()))
        }
        self._hits = []
        self.current_hit = -1
        self.setExtraSelections([])
        self.setPlainText(
            "\n".join(
                line_text(line, labels)
                + (SEPARATOR + INDENT + self.translations[n] if n in self.translations else "")
                for n, line in enumerate(self.lines)
            )
        )
        if self.translations:
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            fmt = translation_format()
            for index in self.translations:
                block = self.document().findBlockByNumber(index)
                raw = block.text()
                cursor.setPosition(block.position() + _units(raw[: raw.find(SEPARATOR)]))
                cursor.movePosition(
                    QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                )
                cursor.setCharFormat(fmt)
            cursor.endEditBlock()
        if self._find:
            self.find_all(self._find)
        self._describe()
        self.jump_to_live()

    def append_line(self, line: Line) -> None:
        if line.source and not self.labels:
            self.labels = True  # a second source appeared: the lines from now on say whose
        self.lines.append(line)
        bar = self.verticalScrollBar()
        value = bar.value()
        self._scrolling = True
        try:
            # appendPlainText scrolls by itself when at the bottom; kept where it was else.
            if len(self.lines) == 1:
                self.setPlainText(line_text(line, self.labels))
            else:
                self.appendPlainText(line_text(line, self.labels))
            if self.following:
                bar.setValue(bar.maximum())
            else:
                bar.setValue(value)
        finally:
            self._scrolling = False
        if self._find and len(self._hits) < MAX_HITS:
            self._find_in(self.document().lastBlock().position())
        self._describe()

    def set_translation(self, index: int, text: str) -> None:
        """Line ``index``'s translation, under it (replacing one it had), wherever the view
        is: following, it stays at the bottom; scrolled up, the lines read stay in view."""
        said = " ".join(text.split())
        block = self.document().findBlockByNumber(index)
        if not said or not 0 <= index < len(self.lines) or not block.isValid():
            return
        replacing = index in self.translations
        self.translations[index] = said
        raw = block.text()
        cut = raw.find(SEPARATOR)
        bar = self.verticalScrollBar()
        self._scrolling = True
        try:
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + _units(raw if cut < 0 else raw[:cut]))
            start = cursor.position()
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            # Above the view, Qt keeps the lines in view where they were.
            cursor.insertText(SEPARATOR + INDENT + said, translation_format())
            if self.following:
                bar.setValue(bar.maximum())
        finally:
            self._scrolling = False
        if self._find:
            if replacing:
                self.find_all(self._find)
            elif len(self._hits) < MAX_HITS:
                self._find_between(start, cursor.position())

    def clear_lines(self) -> None:
        self.set_lines([], labels=False)

    def all_text(self) -> str:
        return self.toPlainText() + ("\n" if self.lines else "")

    def _describe(self) -> None:
        """The last line, for screen readers (and the tests that read the window as they
        do)."""
        self.setAccessibleDescription(line_text(self.lines[-1], self.labels) if self.lines else "")

    # -- following ----------------------------------------------------------------------

    def jump_to_live(self) -> None:
        bar = self.verticalScrollBar()
        self._scrolling = True
        try:
            bar.setValue(bar.maximum())
        finally:
            self._scrolling = False
        self._set_following(True)

    def scroll_to_line(self, index: int) -> None:
        """Line ``index`` in view (an opened search hit): following stops."""
        block = self.document().findBlockByNumber(index)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        self._set_following(False)
        self.setTextCursor(cursor)
        self.centerCursor()

    def _on_scrolled(self, value: int) -> None:
        if not self._scrolling:
            self._set_following(value >= self.verticalScrollBar().maximum())

    def _on_range(self, _low: int, high: int) -> None:
        if self.following and not self._scrolling:
            self.verticalScrollBar().setValue(high)

    def _set_following(self, following: bool) -> None:
        if following != self.following:
            self.following = following
            self.following_changed.emit(following)

    # -- find ---------------------------------------------------------------------------

    def find_all(self, text: str) -> int:
        """Highlight every hit of ``text`` (case aside for Latin letters); their count."""
        self._find = text
        self._hits = []
        self.current_hit = -1
        self._find_in(0)
        return len(self._hits)

    def _find_in(self, position: int) -> None:
        """The hits from ``position`` on, added and highlighted."""
        before = len(self._hits)
        if self._find:
            document = self.document()
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            while len(self._hits) < MAX_HITS:
                cursor = document.find(self._find, cursor, QTextDocument.FindFlag(0))
                if cursor.isNull():
                    break
                cursor.setKeepPositionOnInsert(True)  # a translation after it: not in it
                self._hits.append(cursor)
        if position == 0 or len(self._hits) > before:  # a new line without hits: as it was
            self._paint_hits()

    def _find_between(self, start: int, end: int) -> None:
        """The hits in a translation put between earlier hits, kept in order."""
        document = self.document()
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        found = False
        while len(self._hits) < MAX_HITS:
            cursor = document.find(self._find, cursor, QTextDocument.FindFlag(0))
            if cursor.isNull() or cursor.selectionEnd() > end:
                break
            cursor.setKeepPositionOnInsert(True)
            at = bisect.bisect_left(
                self._hits, cursor.selectionStart(), key=lambda hit: hit.selectionStart()
            )
            self._hits.insert(at, cursor)
            if at <= self.current_hit:
                self.current_hit += 1
            found = True
        if found:
            self._paint_hits()

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def next_hit(self, backwards: bool = False) -> int:
        """The next hit after the cursor (or before it), selected and in view; its index
        (-1: none)."""
        if not self._hits:
            return -1
        if self.current_hit < 0:
            position = self.textCursor().position()
            after = [i for i, hit in enumerate(self._hits) if hit.selectionStart() >= position]
            if backwards:
                before = [i for i, h in enumerate(self._hits) if h.selectionEnd() <= position]
                self.current_hit = before[-1] if before else len(self._hits) - 1
            else:
                self.current_hit = after[0] if after else 0
        else:
            step = -1 if backwards else 1
            self.current_hit = (self.current_hit + step) % len(self._hits)
        self._set_following(False)
        self.setTextCursor(self._hits[self.current_hit])
        self.centerCursor()
        self._paint_hits()
        return self.current_hit

    def highlighted(self) -> list[str]:
        """The text of each highlighted hit (tests)."""
        return [selection.cursor.selectedText() for selection in self.extraSelections()]

    def _paint_hits(self) -> None:
        hit, current = QTextCharFormat(), QTextCharFormat()
        hit.setBackground(_HIT)
        hit.setForeground(QColor("#000000"))
        current.setBackground(_CURRENT_HIT)
        current.setForeground(QColor("#000000"))
        selections = []
        for i, cursor in enumerate(self._hits):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = current if i == self.current_hit else hit
            selections.append(selection)
        self.setExtraSelections(selections)

    # -- text size ----------------------------------------------------------------------

    def set_point_size(self, points: int) -> None:
        font = QFont(self.font())
        font.setPointSize(points)
        self.setFont(font)
