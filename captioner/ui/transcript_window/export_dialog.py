"""Export the shown session: the format and whether each line keeps its time, its side's
label and its translation (bilingual), then where (QFileDialog). A write that fails is said
in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QWidget,
)

from captioner.errors import why_not_written
from captioner.transcript.export import FORMATS, Format, render
from captioner.transcript.store import Line, SessionInfo


class ExportOptions(QDialog):
    def __init__(
        self, labels: bool, translations: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export session"))
        names = {
            "txt": self.tr("Plain text (.txt)"),
            "srt": self.tr("SubRip subtitles (.srt)"),
            "vtt": self.tr("WebVTT subtitles (.vtt)"),
            "md": self.tr("Markdown (.md)"),
        }
        self.format = QComboBox()
        for fmt in FORMATS:
            self.format.addItem(names[fmt], fmt)
        self.times = QCheckBox(self.tr("Each line's time"))
        self.times.setChecked(True)
        self.labels = QCheckBox(self.tr("Who spoke (Me / Others)"))
        self.labels.setChecked(labels)
        self.labels.setEnabled(labels)
        self.translations = QCheckBox(self.tr("Translations, each under its line"))
        self.translations.setChecked(translations)
        self.translations.setEnabled(translations)
        if not translations:
            self.translations.setToolTip(self.tr("This session has no translations."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.times)
        form.addRow(self.labels)
        form.addRow(self.translations)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(lambda _i: self._times_apply())
        self._times_apply()

    def chosen(self) -> Format:
        fmt: Format = self.format.currentData()
        return fmt

    def _times_apply(self) -> None:
        # Subtitles always keep their times (a cue without one is no cue).
        self.times.setEnabled(self.chosen() in ("txt", "md"))


def write_export(
    path: Path,
    info: SessionInfo,
    lines: list[Line],
    fmt: Format,
    times: bool,
    labels: bool,
    translations: Mapping[int, str] | None = None,
) -> str | None:
    """Writes the file (``translations``, line id -> text: bilingual); None, or why it could
    not be written (for the user)."""
    try:
        text = render(info, lines, fmt, times, labels, translations)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        return why_not_written(exc, path)
    return None
