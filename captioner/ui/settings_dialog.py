"""The settings window: audio input, recognition, hotkey, caption style, translation,
transcripts, feed.

Each tab is a widget of its own (captioner/ui/settings/); this window puts them together,
reads them back into new Settings, and applies them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from captioner.errors import CaptionerError
from captioner.settings import Settings, copy_settings
from captioner.ui.settings.audio import AudioTab
from captioner.ui.settings.captions import CaptionsTab
from captioner.ui.settings.feed import FeedTab
from captioner.ui.settings.fields import SettingsPage
from captioner.ui.settings.hotkey import HotkeyTab
from captioner.ui.settings.recognition import RecognitionTab
from captioner.ui.settings.transcripts import TranscriptsTab
from captioner.ui.settings.translation import TranslationTab


class SettingsDialog(QDialog):
    applied = Signal(object)  # a new Settings

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Captioner settings"))
        # The caption bar stays on top of everything; in the same layer, the dialog (shown
        # and raised after it) is above it instead of under it.
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.settings = copy_settings(settings)
        self.audio = AudioTab(self.settings)
        self.recognition = RecognitionTab(self.settings)
        self.hotkey = HotkeyTab(self.settings)
        self.captions = CaptionsTab(self.settings)
        self.translation = TranslationTab(self.settings)
        self.transcripts = TranscriptsTab(self.settings)
        self.feed = FeedTab(self.settings)
        self.pages: list[SettingsPage] = []
        self.tabs = QTabWidget()
        for page, title in (
            (self.audio, self.tr("Audio")),
            (self.recognition, self.tr("Recognition")),
            (self.hotkey, self.tr("Hotkey")),
            (self.captions, self.tr("Captions")),
            (self.translation, self.tr("Translation")),
            (self.transcripts, self.tr("Transcripts")),
            (self.feed, self.tr("Live feed")),
        ):
            self.tabs.addTab(page, title)
            self.pages.append(page)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def collect(self) -> Settings:
        """The settings as the tabs now show them (ValueError, such as HotkeyError, for a
        value a setting cannot take)."""
        settings = copy_settings(self.settings)
        for page in self.pages:
            page.store(settings)
        return settings

    def apply(self) -> bool:
        try:
            new = self.collect()
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        # What is kept outside the settings (the translation key): said in words if it
        # cannot be, the settings applied all the same.
        problems = []
        for page in self.pages:
            try:
                page.save_outside()
            except CaptionerError as exc:
                problems.append(str(exc))
        self.error.setText(" ".join(problems))
        self.settings = new
        self.applied.emit(copy_settings(new))
        return not problems

    def _ok(self) -> None:
        if self.apply():
            self.accept()

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self.audio.listen()

    def done(self, result: int) -> None:  # Qt override: the meter's stream closes with us
        self.audio.meter.stop()
        super().done(result)
