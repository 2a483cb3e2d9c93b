"""The Recognition tab: the engine and the fields of the chosen one, language, vocabulary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from captioner.asr.config import EngineName
from captioner.asr.funasr.loading import funasr_available, install_hint
from captioner.asr.whisper.models import WHISPER_REPOS
from captioner.frozen import bundle_variant, install_dir
from captioner.settings import Settings
from captioner.ui.addon_dialog import AddonDialog
from captioner.ui.settings.choices import choice
from captioner.ui.settings.fields import SettingsPage, editable, lines, text


class RecognitionTab(SettingsPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        # Only the chosen engine's rows: Whisper's model, compute type and download mirror,
        # or FunASR's second pass, streaming step and (when missing) how to install it.
        self._engine_rows: list[tuple[EngineName, int]] = []
        self.engine = self.add_field(self.tr("Engine"), choice("recognition.engine"))
        browse = QPushButton(self.tr("Folder…"))
        browse.clicked.connect(self._choose_model_folder)
        models = editable("recognition.model", list(WHISPER_REPOS))
        self.model = self.add_field(self.tr("Model"), models, browse)
        self._only_for("whisper")
        self.device = self.add_field(self.tr("Run on"), choice("recognition.device"))
        if bundle_variant() == "cpu":  # this installer's build has no CUDA libraries
            cpu_only = QLabel(
                self.tr(
                    "This is the CPU version of Captioner. To run on an NVIDIA GPU, install "
                    "the GPU version (Captioner-Setup-*-gpu.exe)."
                )
            )
            cpu_only.setWordWrap(True)
            self.form.addRow("", cpu_only)
        self.compute = self.add_field(self.tr("Compute type"), choice("recognition.compute_type"))
        self._only_for("whisper")
        self.language = self.add_field(self.tr("Language"), choice("recognition.language"))
        self.script = self.add_field(self.tr("Chinese script"), choice("recognition.script"))
        self.vocabulary = self.add_field(self.tr("Vocabulary"), lines("recognition.vocabulary"))
        self.vocabulary.setPlaceholderText(self.tr("霍思燕\n派森 => Python"))
        self.vocabulary.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.vocabulary.setToolTip(
            self.tr(
                "One entry per line. A name or term of three or more characters (or in "
                "Latin letters) replaces what sounds like it in the text; "
                "'wrong => right' replaces text in what is shown and saved."
            )
        )
        self.mirror = self.add_field(
            self.tr("Model download from"), text("recognition.download_mirror")
        )
        self._only_for("whisper")
        self.mirror.setPlaceholderText(
            self.tr("huggingface.co (or a mirror such as https://hf-mirror.com)")
        )
        self.second_pass = self.add_field(
            self.tr("FunASR second pass"), choice("recognition.funasr_second_pass")
        )
        self._only_for("funasr")
        self.chunk = self.add_field(
            self.tr("FunASR streaming step"), choice("recognition.funasr_chunk_ms")
        )
        self._only_for("funasr")
        self.funasr_box = self._funasr_box()
        self.form.addRow(self.funasr_box)
        self._only_for("funasr")
        self.engine.currentIndexChanged.connect(lambda _: self._show_engine_fields())
        self._show_engine_fields()

    def _funasr_box(self) -> QWidget:
        """Why FunASR cannot run yet, and in the installed app the add-on's install button."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.funasr_note = QLabel(
            ""
            if funasr_available()
            else self.tr("FunASR is not installed. {INSTALL_HINT}").format(
                INSTALL_HINT=install_hint()
            )
        )
        self.funasr_note.setWordWrap(True)
        self.funasr_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.funasr_note)
        self.install_addon = QPushButton(self.tr("Install the FunASR add-on from its zip…"))
        self.install_addon.clicked.connect(self._choose_addon_zip)
        # The installed app gets the engine as an add-on; a pip install gets it from pip.
        self.install_addon.setVisible(install_dir() is not None and not funasr_available())
        layout.addWidget(self.install_addon)
        return box

    def _only_for(self, engine: EngineName) -> None:
        """The row just added shows only while ``engine`` is chosen."""
        self._engine_rows.append((engine, self.form.rowCount() - 1))

    def _show_engine_fields(self) -> None:
        chosen = self.engine.currentData()
        for engine, row in self._engine_rows:
            self.form.setRowVisible(row, engine == chosen)

    def _choose_model_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("CTranslate2 Whisper model folder"))
        if chosen:
            self.model.setCurrentText(chosen)

    def _choose_addon_zip(self) -> None:
        folder = install_dir()
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("The FunASR add-on (Captioner-FunASR-*.zip)"), "", "*.zip"
        )
        if not chosen or folder is None:
            return
        dialog = AddonDialog(Path(chosen), folder, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.installed.connect(lambda _: self._addon_installed())
        dialog.start()

    def _addon_installed(self) -> None:
        available = funasr_available()
        self.funasr_note.setText("" if available else self.funasr_note.text())
        self.install_addon.setVisible(not available)
