"""The transcript window: the current session as it is captioned (or a past one, read-only),
past sessions and search across them, find, copy, text size and export.

The window reads the library only through ``LibraryTasks`` (its own thread): opening the
library, listing and reading sessions, searching. Live lines come from the caption
controller's ``confirmed_line`` signal; they were committed to the library before it. Their
translations come later (``translated_line``: the final's number), each put under its line.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from captioner.transcript.events import TranscriptEvent
from captioner.transcript.export import Format, session_title
from captioner.transcript.store import Library, Line, SessionInfo
from captioner.ui.transcript_window.export_dialog import ExportOptions, write_export
from captioner.ui.transcript_window.find_bar import FindBar
from captioner.ui.transcript_window.sessions import SessionsPanel
from captioner.ui.transcript_window.tasks import LibrarySource, LibraryTasks
from captioner.ui.transcript_window.trash import session_files, to_trash
from captioner.ui.transcript_window.view import TranscriptView

MIN_POINTS, MAX_POINTS = 6, 72


def _key(line: Line) -> tuple[float, str | None, str]:
    return (line.start, line.source, line.text)


def _by_index(lines: list[Line], translations: Mapping[int, str]) -> dict[int, str]:
    """The library's translations (line id -> text) by the lines' places in ``lines``."""
    return {n: translations[line.id] for n, line in enumerate(lines) if line.id in translations}


_Read = tuple[SessionInfo | None, list[Line], dict[int, str]]


class TranscriptWindow(QWidget):
    font_size_changed = Signal(int)  # the user changed the text size (to keep it)

    def __init__(
        self,
        library: LibrarySource,
        current_session: Callable[[], int | None] = lambda: None,
        font_size: int = 13,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Transcript — Captioner"))
        self.resize(960, 640)
        self.tasks = LibraryTasks(library, self)
        self.tasks.failed.connect(self._on_failed)
        self._current_session = current_session
        self.live_lines: list[Line] = []
        self.live_session: int | None = None  # the session being captioned, once known
        self._live_started: float | None = None
        self._live_loaded = False
        self.live_translations: dict[int, str] = {}  # live line index -> its translation
        self._live_finals: dict[int, int] = {}  # a final's number -> its live line's index
        # Arrived while the live session was being read: lines (with their final's number)
        # and translations (by the final's number).
        self._waiting: list[tuple[Line, int | None]] = []
        self._waiting_translations: dict[int, str] = {}
        self.shown: SessionInfo | None = None  # a past session shown (None: the live one)
        self._build(font_size)
        self.load_live()

    # -- layout -------------------------------------------------------------------------

    def _build(self, font_size: int) -> None:
        self.view = TranscriptView()
        self.view.set_point_size(font_size)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.live_button = QPushButton(self.tr("Back to the live session"))
        self.font_size = QSpinBox()
        self.font_size.setRange(MIN_POINTS, MAX_POINTS)
        self.font_size.setValue(font_size)
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setToolTip(self.tr("Text size (Ctrl+plus, Ctrl+minus)"))
        find_button = QPushButton(self.tr("Find…"))
        find_button.setToolTip(self.tr("Find in this session (Ctrl+F)"))
        self.copy_button = QPushButton(self.tr("Copy all"))
        self.export_button = QPushButton(self.tr("Export…"))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.live_button)
        top.addWidget(QLabel(self.tr("Text size")))
        top.addWidget(self.font_size)
        for button in (find_button, self.copy_button, self.export_button):
            top.addWidget(button)
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.jump_button = QPushButton(self.tr("Jump to live ↓"))
        self.jump_button.hide()
        self.partial = QLabel()
        self.partial.setWordWrap(True)
        self.partial.setTextFormat(Qt.TextFormat.PlainText)
        self.partial.setStyleSheet("color: #808080; font-style: italic;")
        self.partial.setAccessibleName(self.tr("Not yet confirmed"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        text_side = QWidget()
        column = QVBoxLayout(text_side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.find_bar)
        column.addWidget(self.view, 1)
        column.addWidget(self.jump_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.partial)
        column.addWidget(self.message)
        self.sessions = SessionsPanel()
        splitter = QSplitter()
        splitter.addWidget(self.sessions)
        splitter.addWidget(text_side)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 660])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.live_button.clicked.connect(self.show_live)
        self.font_size.valueChanged.connect(self._on_font_size)
        find_button.clicked.connect(lambda: self.find_bar.open_bar())
        self.copy_button.clicked.connect(self.copy_all)
        self.export_button.clicked.connect(self.export)
        self.jump_button.clicked.connect(self.view.jump_to_live)
        self.view.following_changed.connect(lambda _f: self._show_jump())
        self.find_bar.changed.connect(self.find_text)
        self.find_bar.next_requested.connect(lambda: self._next_hit(False))
        self.find_bar.previous_requested.connect(lambda: self._next_hit(True))
        self.find_bar.closed.connect(lambda: self.find_text(""))
        self.sessions.open_requested.connect(self.open_session)
        self.sessions.search_requested.connect(self.search)
        self.sessions.rename_requested.connect(self.ask_rename)
        self.sessions.delete_requested.connect(self.ask_delete)
        for keys, action in (
            (QKeySequence.StandardKey.Find, lambda: self.find_bar.open_bar()),
            (QKeySequence.StandardKey.FindNext, lambda: self._next_hit(False)),
            (QKeySequence.StandardKey.FindPrevious, lambda: self._next_hit(True)),
            (QKeySequence.StandardKey.ZoomIn, lambda: self._step_font(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self._step_font(-1)),
            (QKeySequence("Ctrl+="), lambda: self._step_font(1)),
        ):
            QShortcut(keys, self).activated.connect(action)
        self._show_heading()

    # -- the live session ---------------------------------------------------------------

    def load_live(self) -> None:
        """Reads the session being captioned from the library (off the GUI thread); lines
        that arrive meanwhile wait, then join it without repeats."""
        session = self._current_session()

        def read(library: Library) -> _Read:
            if session is None:
                return None, [], {}
            return library.session(session), library.lines(session), library.translations(session)

        self.tasks.run(read, self._on_live_read)
        self.refresh_sessions()

    def _on_live_read(self, result: _Read | None) -> None:
        info, lines, translations = result if result is not None else (None, [], {})
        if info is not None:
            self.live_session, self._live_started = info.id, info.started
        self.live_lines = list(lines)
        self.live_translations = _by_index(lines, translations)
        # The lines that arrived meanwhile: the last read may hold them already.
        tail = max(0, len(lines) - len(self._waiting) - 1)
        read = {_key(line): n for n, line in enumerate(lines[tail:], tail)} if self._waiting else {}
        for line, final in self._waiting:
            index = read.get(_key(line))
            if index is None:
                index = len(self.live_lines)
                self.live_lines.append(line)
            if final is not None:
                self._live_finals[final] = index
        for final, text in self._waiting_translations.items():
            if final in self._live_finals:
                self.live_translations[self._live_finals[final]] = text
        self._waiting, self._waiting_translations = [], {}
        self._live_loaded = True
        if self.shown is None:
            self.view.set_lines(self.live_lines, translations=self.live_translations)
            self._show_heading()

    def add_event(self, event: TranscriptEvent) -> None:
        """A confirmed line of the session being captioned."""
        session = self._current_session()
        if session is not None and session != self.live_session:
            if self.live_session is not None:  # a new session began (another folder)
                self.live_lines = []
                self.live_translations, self._live_finals = {}, {}
                if self.shown is None:
                    self.view.clear_lines()
                self._live_started = None
            self.live_session = session
            self.refresh_sessions()  # listed, as "Now: …"
        if self._live_started is None:
            self._live_started = time.time() - event.end
        line = Line(0, session or 0, event.start, event.end, event.source, event.text)
        if not self._live_loaded:
            self._waiting.append((line, event.final))
            return
        if event.final is not None:
            self._live_finals[event.final] = len(self.live_lines)
        self.live_lines.append(line)
        if self.shown is None:
            self.view.append_line(line)

    def add_translation(self, final: int, text: str) -> None:
        """The translation of the live session's final number ``final``, under its line
        (which may be lines back by now); one whose line is not here is dropped."""
        if not text.strip():
            return
        if not self._live_loaded:
            self._waiting_translations[final] = text
            return
        index = self._live_finals.get(final)
        if index is None:
            return
        self.live_translations[index] = " ".join(text.split())
        if self.shown is None:
            self.view.set_translation(index, text)

    def show_partial(self, text: str) -> None:
        self.partial.setText(text)

    def show_live(self) -> None:
        self.shown = None
        self.view.set_lines(self.live_lines, translations=self.live_translations)
        self._show_heading()
        self.refresh_sessions()

    # -- past sessions ------------------------------------------------------------------

    def refresh_sessions(self) -> None:
        self.tasks.run(lambda library: library.sessions(), self._on_sessions)

    def _on_sessions(self, sessions: list[SessionInfo] | None) -> None:
        if sessions is None:
            self.sessions.set_sessions([])
            self.sessions.status.setText(self.tr("Saving transcripts is turned off in Settings."))
            return
        self.sessions.set_sessions(sessions, self.live_session)

    def open_session(self, session: int, line: int = 0, found: str = "") -> None:
        """Shows ``session`` (read-only), at line id ``line`` if given, ``found`` highlighted."""

        def read(library: Library) -> _Read:
            return library.session(session), library.lines(session), library.translations(session)

        def show(result: _Read | None) -> None:
            info, lines, translations = result if result is not None else (None, [], {})
            if info is None:
                self._say(self.tr("That session is no longer in the library."))
                self.refresh_sessions()
                return
            if info.id == self.live_session:
                self.show_live()
                keys = [_key(each) for each in lines if each.id == line]
                index = next(
                    (i for i, each in enumerate(self.live_lines) if _key(each) in keys), -1
                )
            else:
                self.shown = info
                self.view.set_lines(lines, translations=_by_index(lines, translations))
                self._show_heading()
                index = next((i for i, each in enumerate(lines) if each.id == line), -1)
            if found:
                self.find_bar.open_bar(found)
            if index >= 0:
                self.view.scroll_to_line(index)
                if found:
                    self._select_hit_in_line(index)

        self.tasks.run(read, show)

    def search(self, text: str) -> None:
        query = text.strip()
        if not query:
            return
        self.sessions.status.setText(self.tr("Searching…"))
        self.tasks.run(
            lambda library: library.search(query), lambda hits: self._on_hits(query, hits)
        )

    def _on_hits(self, query: str, hits: Any) -> None:
        self.sessions.set_hits(query, hits or [])

    def ask_rename(self, session: int) -> None:
        title, ok = QInputDialog.getText(self, self.tr("Rename session"), self.tr("Name:"))
        if ok:
            self.rename(session, title)

    def rename(self, session: int, title: str) -> None:
        def done(_: object) -> None:
            if self.shown is not None and self.shown.id == session:
                self.open_session(session)
            self.refresh_sessions()

        self.tasks.run(lambda library: library.rename(session, title), done)

    def ask_delete(self, session: int) -> None:
        if session == self.live_session:
            self._say(self.tr("The session being captioned cannot be deleted."))
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete session"),
            self.tr(
                "Delete this session from the library? Its .txt and .srt files go to the trash."
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(session)

    def delete(self, session: int) -> None:
        """From the library, its files to the trash (those that cannot go are said)."""

        def remove(library: Library) -> tuple[Path, list[Path]]:
            info = library.session(session)
            files = session_files(library.folder, info) if info is not None else []
            library.delete(session)
            return library.folder, to_trash(files)

        def done(result: tuple[Path, list[Path]] | None) -> None:
            if result is not None and result[1]:
                self._say(
                    self.tr(
                        "The session was deleted from the library; its files could not be "
                        "moved to the trash and are still in {folder}."
                    ).format(folder=result[0])
                )
            if self.shown is not None and self.shown.id == session:
                self.show_live()
            self.refresh_sessions()

        self.tasks.run(remove, done)

    # -- find, copy, size -------------------------------------------------------------------

    def find_text(self, text: str) -> None:
        hits = self.view.find_all(text)
        self.find_bar.show_count(hits)

    def _next_hit(self, backwards: bool) -> None:
        if not self.find_bar.isVisible():
            return
        current = self.view.next_hit(backwards)
        self.find_bar.show_count(self.view.hit_count, current)

    def _select_hit_in_line(self, index: int) -> None:
        block = self.view.document().findBlockByNumber(index)
        self.view.current_hit = -1
        cursor = self.view.textCursor()
        cursor.setPosition(block.position())
        self.view.setTextCursor(cursor)
        self._next_hit(False)

    def copy_all(self) -> None:
        QApplication.clipboard().setText(self.view.all_text())

    def _step_font(self, step: int) -> None:
        self.font_size.setValue(self.font_size.value() + step)

    def _on_font_size(self, points: int) -> None:
        self.view.set_point_size(points)
        self.font_size_changed.emit(points)

    # -- export -----------------------------------------------------------------------------

    def shown_session(self) -> tuple[SessionInfo, list[Line]]:
        """What is shown, as a session for export."""
        lines = list(self.view.lines)
        if self.shown is not None:
            return self.shown, lines
        started = self._live_started if self._live_started is not None else time.time()
        info = SessionInfo(
            self.live_session or 0, started, None, "", "", len(lines),
            lines[0].text if lines else "", lines[-1].end if lines else 0.0,
        )  # fmt: skip
        return info, lines

    def export(self) -> None:
        info, lines = self.shown_session()
        if not lines:
            self._say(self.tr("Nothing to export yet."))
            return
        options = ExportOptions(self.view.labels, bool(self.view.translations), self)
        if options.exec() != ExportOptions.DialogCode.Accepted:
            return
        fmt = options.chosen()
        name = session_title(info).replace(":", "-").replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export session"), f"{name}.{fmt}", f"*.{fmt}"
        )
        if path:
            self.export_to(
                Path(path),
                fmt,
                options.times.isChecked(),
                options.labels.isChecked(),
                options.translations.isChecked(),
            )

    def export_to(
        self,
        path: Path,
        fmt: Format,
        times: bool = True,
        labels: bool = True,
        translations: bool = False,
    ) -> bool:
        """``translations``: bilingual, each line's translation under it."""
        info, lines = self.shown_session()
        given: dict[int, str] | None = None
        if translations:
            # Numbered afresh: live lines have no id in the library.
            lines = [dataclasses.replace(line, id=n) for n, line in enumerate(lines, 1)]
            given = {n + 1: text for n, text in self.view.translations.items()}
        why = write_export(path, info, lines, fmt, times, labels, given)
        if why is not None:
            self._say(self.tr("The export could not be written: {why}.").format(why=why))
            return False
        self._say(self.tr("Exported to {path}.").format(path=path))
        return True

    # -- what the window says -----------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _on_failed(self, why: str) -> None:
        self._say(self.tr("The transcript library could not be read: {why}").format(why=why))

    def _show_heading(self) -> None:
        if self.shown is None:
            self.heading.setText(self.tr("Live: the current session"))
        else:
            self.heading.setText(
                self.tr("{session} (read-only)").format(session=session_title(self.shown))
            )
        self.live_button.setVisible(self.shown is not None)
        self.partial.setVisible(self.shown is None)
        self._show_jump()

    def _show_jump(self) -> None:
        self.jump_button.setVisible(self.shown is None and not self.view.following)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        self.refresh_sessions()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override: hidden, kept following
        self.find_bar.close_bar()
        super().closeEvent(event)
