"""Find in the shown session: every hit highlighted as the user types, Enter for the next,
Shift+Enter for the previous, Escape to close."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class _FindEdit(QLineEdit):
    previous = Signal()
    close_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.previous.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    changed = Signal(str)  # the text to find ("" : none)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = _FindEdit()
        self.edit.setPlaceholderText(self.tr("Find in this session"))
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Hits found"))
        previous = QToolButton()
        previous.setText(self.tr("Previous"))
        previous.setToolTip(self.tr("Previous hit (Shift+Enter)"))
        following = QToolButton()
        following.setText(self.tr("Next"))
        following.setToolTip(self.tr("Next hit (Enter)"))
        close = QToolButton()
        close.setText(self.tr("Close"))
        close.setToolTip(self.tr("Close the find bar (Escape)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.edit, self.count, previous, following, close):
            layout.addWidget(widget)
        self.edit.textChanged.connect(self.changed)
        self.edit.returnPressed.connect(self.next_requested)
        self.edit.previous.connect(self.previous_requested)
        self.edit.close_requested.connect(self.close_bar)
        previous.clicked.connect(self.previous_requested)
        following.clicked.connect(self.next_requested)
        close.clicked.connect(self.close_bar)

    def open_bar(self, text: str | None = None) -> None:
        self.show()
        if text is not None:
            self.edit.setText(text)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.edit.clear()
        self.closed.emit()

    def show_count(self, hits: int, current: int = -1) -> None:
        self._show_count(hits, current)
        self.count.setAccessibleDescription(self.count.text())  # for screen readers

    def _show_count(self, hits: int, current: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif hits == 0:
            self.count.setText(self.tr("No hits"))
        elif current >= 0:
            self.count.setText(self.tr("{n} of {total}").format(n=current + 1, total=hits))
        else:
            self.count.setText(self.tr("{total} found").format(total=hits))
