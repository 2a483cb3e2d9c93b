"""Past sessions: the list (date and time, duration, source, first words), newest first,
and the hits of a search across all of them, listed by session and time."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from captioner.transcript.export import short_clock
from captioner.transcript.store import Hit, SessionInfo

_ID = Qt.ItemDataRole.UserRole
_LINE = Qt.ItemDataRole.UserRole + 1
FIRST_WORDS = 40  # characters of a session's first line in the list


def source_name(source: str) -> str:
    names = {
        "mic": QCoreApplication.translate("SessionsPanel", "Microphone"),
        "system": QCoreApplication.translate("SessionsPanel", "Computer audio"),
        "both": QCoreApplication.translate("SessionsPanel", "Me / Others"),
    }
    return names.get(source, source)


def session_label(info: SessionInfo) -> str:
    """ "2026-12-06 09:30 · 1:02:03 · Microphone · 今天我们讲…" (a title first, if any)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.started))
    words = info.first_words
    if len(words) > FIRST_WORDS:
        words = words[:FIRST_WORDS] + "…"
    parts = [info.title, when, short_clock(info.duration_s), source_name(info.source), words]
    return " · ".join(part for part in parts if part)


class SessionsPanel(QWidget):
    open_requested = Signal(int, int, str)  # session id, line id (0: the start), text found
    search_requested = Signal(str)
    rename_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search all sessions"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Past sessions"))
        self.list.setWordWrap(True)
        self.hits = QTreeWidget()
        self.hits.setHeaderHidden(True)
        self.hits.setAccessibleName(self.tr("Search hits"))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.hits)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._query = ""
        self.open_button = QPushButton(self.tr("Open"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.delete_button = QPushButton(self.tr("Delete…"))
        buttons = QHBoxLayout()
        for button in (self.open_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Past sessions")))
        layout.addWidget(self.search)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.search.returnPressed.connect(lambda: self.search_requested.emit(self.search.text()))
        self.search.textChanged.connect(self._on_search_text)
        self.list.itemActivated.connect(lambda _item: self._open_selected())
        self.hits.itemActivated.connect(lambda item, _column: self._open_hit(item))
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.open_button.clicked.connect(self._open_selected)
        self.rename_button.clicked.connect(lambda: self._emit_selected(self.rename_requested))
        self.delete_button.clicked.connect(lambda: self._emit_selected(self.delete_requested))
        self._enable()

    def set_sessions(self, sessions: list[SessionInfo], current: int | None = None) -> None:
        """Newest first, as the library gives them (the live one marked)."""
        selected = self.selected_session()
        self.list.clear()
        for info in sessions:
            label = session_label(info)
            if info.id == current:
                label = self.tr("Now: {session}").format(session=label)
            item = QListWidgetItem(label)
            item.setData(_ID, info.id)
            self.list.addItem(item)
            if info.id == selected:
                self.list.setCurrentItem(item)
        if not sessions:
            self.status.setText(self.tr("No saved sessions yet."))
        elif self.stack.currentWidget() is self.list:
            self.status.setText("")
        self._enable()

    def set_hits(self, query: str, hits: list[Hit]) -> None:
        """The hits of ``query``, grouped by session (newest first), each with its time."""
        self.hits.clear()
        groups: dict[int, QTreeWidgetItem] = {}
        for hit in hits:
            group = groups.get(hit.session.id)
            if group is None:
                group = QTreeWidgetItem([session_label(hit.session)])
                group.setData(0, _ID, hit.session.id)
                group.setData(0, _LINE, 0)
                self.hits.addTopLevelItem(group)
                groups[hit.session.id] = group
            said = f"{hit.line.source}: {hit.line.text}" if hit.line.source else hit.line.text
            item = QTreeWidgetItem([f"{short_clock(hit.line.start)}  {said}"])
            item.setData(0, _ID, hit.session.id)
            item.setData(0, _LINE, hit.line.id)
            group.addChild(item)
        self.hits.expandAll()
        self.stack.setCurrentWidget(self.hits)
        self._query = query
        if hits:
            self.status.setText(
                self.tr("{hits} lines in {sessions} sessions hold “{query}”.").format(
                    hits=len(hits), sessions=len(groups), query=query
                )
            )
        else:
            self.status.setText(self.tr("No session holds “{query}”.").format(query=query))

    def selected_session(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(_ID)) if item is not None else None

    def select_session(self, session: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(_ID) == session:
                self.list.setCurrentRow(row)

    def _on_search_text(self, text: str) -> None:
        if not text.strip():  # cleared: the list again
            self.stack.setCurrentWidget(self.list)
            self.status.setText("")

    def _open_selected(self) -> None:
        session = self.selected_session()
        if session is not None:
            self.open_requested.emit(session, 0, "")

    def _open_hit(self, item: QTreeWidgetItem) -> None:
        self.open_requested.emit(int(item.data(0, _ID)), int(item.data(0, _LINE)), self._query)

    def _emit_selected(self, signal: object) -> None:
        session = self.selected_session()
        if session is not None:
            signal.emit(session)  # type: ignore[attr-defined]

    def _enable(self) -> None:
        chosen = self.list.currentItem() is not None
        for button in (self.open_button, self.rename_button, self.delete_button):
            button.setEnabled(chosen)
