"""The Transcripts tab: whether sessions are saved, where, and with their translations."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QPushButton

from captioner.settings import Settings
from captioner.ui.settings.fields import SettingsPage, check_box, text


class TranscriptsTab(SettingsPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.save_transcripts = self.add_field(
            None, check_box("transcripts.enabled", self.tr("Save every session as .txt and .srt"))
        )
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_folder)
        self.folder = self.add_field(self.tr("Folder"), text("transcripts.folder"), browse)
        self.folder.setPlaceholderText(self.tr("Documents/Captioner"))
        self.bilingual = self.add_field(
            None,
            check_box(
                "transcripts.bilingual",
                self.tr("Bilingual .srt: each translation under its line (when the session ends)"),
            ),
        )

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Transcripts folder"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)
