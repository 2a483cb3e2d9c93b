"""The settings file's problems, one by one: the caption bar has room for one line only
("17 settings were reset to their defaults …"); this window's details list each of them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from captioner.settings import SettingsStore


def settings_problems_box(store: SettingsStore) -> QMessageBox | None:
    """A window with the summary and, under Qt's own "Show Details…", every warning; None
    when the summary says everything already (one warning, or none)."""
    summary = store.summary()
    if summary is None or len(store.warnings) < 2:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("SettingsProblems", "Captioner"),
        summary,
        QMessageBox.StandardButton.Close,
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "SettingsProblems", "The details list each setting that was reset, and why."
        )
    )
    box.setDetailedText("\n".join(store.warnings))
    box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)  # above the caption bar
    return box
