"""The settings window: audio input, recognition, hotkey, caption style, transcripts, feed."""

from __future__ import annotations

import secrets
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from captioner.asr.funasr.loading import funasr_available, install_hint
from captioner.asr.whisper.models import WHISPER_REPOS
from captioner.audio.devices import list_input_devices
from captioner.control.global_hotkey import platform_limitations
from captioner.control.hotkey_spec import HotkeyError, parse_hotkey
from captioner.errors import AudioDeviceError
from captioner.frozen import bundle_variant, install_dir
from captioner.settings import OverlaySettings, Settings, copy_settings
from captioner.ui.addon_dialog import AddonDialog
from captioner.ui.caption_painter import layout_caption, paint_caption
from captioner.ui.level_meter import LevelMeter

_SAMPLE_CONFIRMED = "欢迎使用实时字幕。今天我们讨论"
_SAMPLE_PARTIAL = "本地语音识别"


def hotkey_from_sequence(sequence: QKeySequence) -> str:
    """Qt's "Ctrl+Shift+Space" as our "ctrl+shift+space"."""
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText).split(",")[0]
    return text.replace("Meta", "cmd").lower()


class CaptionPreview(QWidget):
    """The caption style on a light-to-dark background, as it will look over any window."""

    def __init__(self, style: OverlaySettings) -> None:
        super().__init__()
        self.style_settings = style
        self.setMinimumHeight(140)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        gradient = QLinearGradient(0, 0, self.width(), 0)
        gradient.setColorAt(0, QColor("#f4f4f4"))
        gradient.setColorAt(1, QColor("#202020"))
        painter.fillRect(self.rect(), gradient)
        style = self.style_settings
        background = QColor(style.background_color)
        background.setAlphaF(style.background_opacity)
        box = QRectF(self.rect()).adjusted(10, 10, -10, -10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(box, 10, 10)
        partial = "" if style.confirmed_only else _SAMPLE_PARTIAL
        area = box.adjusted(12, 12, -12, -12)
        layout = layout_caption(_SAMPLE_CONFIRMED, partial, style, area.width(), style.lines)
        paint_caption(painter, area, layout, style)
        painter.end()


class ColorButton(QPushButton):
    changed = Signal(str)

    def __init__(self, color: str) -> None:
        super().__init__()
        self.color = color
        self.clicked.connect(self._choose)
        self._show()

    def _choose(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self)
        if chosen.isValid():
            self.color = chosen.name()
            self._show()
            self.changed.emit(self.color)

    def _show(self) -> None:
        self.setText(self.color)
        self.setStyleSheet(f"background: {self.color}; color: {_contrast(self.color)};")


def _contrast(color: str) -> str:
    return "#000000" if QColor(color).lightness() > 140 else "#ffffff"


class SettingsDialog(QDialog):
    applied = Signal(object)  # a new Settings

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Captioner settings"))
        # The caption bar stays on top of everything; in the same layer, the dialog (shown
        # and raised after it) is above it instead of under it.
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.settings = copy_settings(settings)
        tabs = QTabWidget()
        tabs.addTab(self._audio_tab(), self.tr("Audio"))
        tabs.addTab(self._recognition_tab(), self.tr("Recognition"))
        tabs.addTab(self._hotkey_tab(), self.tr("Hotkey"))
        tabs.addTab(self._captions_tab(), self.tr("Captions"))
        tabs.addTab(self._files_tab(), self.tr("Transcripts"))
        tabs.addTab(self._server_tab(), self.tr("Live feed"))
        self.tabs = tabs
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
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 560)

    # -- tabs ---------------------------------------------------------------------------------

    def _audio_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.input = QComboBox()
        self.input.addItem("System default", None)
        try:
            devices = list_input_devices()
        except AudioDeviceError as exc:
            devices = []
            self.input.setToolTip(str(exc))
        for d in devices:
            self.input.addItem(f"{d.name} ({d.host_api})", d.name)
        current = self.settings.audio.input
        index = self.input.findData(current)
        if index < 0 and current is not None:
            self.input.addItem(f"{current} (not connected)", current)
            index = self.input.count() - 1
        self.input.setCurrentIndex(max(index, 0))
        self.meter = LevelMeter()
        self.input.currentIndexChanged.connect(
            lambda _: self.meter.listen_to(self.input.currentData())
        )
        form.addRow(self.tr("Microphone"), self.input)
        form.addRow(self.tr("Level"), self.meter)
        self._source_rows(form)
        return page

    def _source_rows(self, form: QFormLayout) -> None:
        """What is captioned: the microphone, what the computer plays, or both, labelled."""
        self.source = QComboBox()
        for name, label in (
            ("mic", self.tr("The microphone")),
            ("system", self.tr("What the computer plays")),
            ("both", self.tr("Both: me (microphone) and others (computer)")),
        ):
            self.source.addItem(label, name)
        self.source.setCurrentIndex(max(self.source.findData(self.settings.audio.source), 0))
        form.addRow(self.tr("Caption"), self.source)
        self.output = QComboBox()
        self.output.addItem(self.tr("Default output (follows it when it changes)"), None)
        try:
            from captioner.audio.loopback import list_output_devices

            outputs = list_output_devices()
        except AudioDeviceError as exc:
            outputs = []
            self.output.setToolTip(str(exc))
        for o in outputs:
            self.output.addItem(o.name, o.id)
        current = self.settings.audio.output
        index = self.output.findData(current)
        if index < 0 and current is not None:
            self.output.addItem(self.tr("{0} (not connected)").format(current), current)
            index = self.output.count() - 1
        self.output.setCurrentIndex(max(index, 0))
        form.addRow(self.tr("Output device"), self.output)
        self.me_name = QLineEdit(self.settings.audio.me_name)
        self.others_name = QLineEdit(self.settings.audio.others_name)
        form.addRow(self.tr("My label"), self.me_name)
        form.addRow(self.tr("Others' label"), self.others_name)

    def _recognition_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        r = self.settings.recognition
        self.engine = _combo(
            [
                (self.tr("Whisper (faster-whisper)"), "whisper"),
                (self.tr("FunASR Paraformer"), "funasr"),
            ],
            r.engine,
        )
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItems(list(WHISPER_REPOS))
        self.model.setCurrentText(r.model)
        browse = QPushButton(self.tr("Folder…"))
        browse.clicked.connect(self._choose_model_folder)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(browse)
        self.device = _combo(
            [
                (self.tr("Automatic (GPU if available)"), "auto"),
                (self.tr("NVIDIA GPU (CUDA)"), "cuda"),
                (self.tr("CPU"), "cpu"),
            ],
            r.device,
        )
        self.compute = _combo(
            [
                (self.tr("Automatic"), "auto"),
                (self.tr("float16"), "float16"),
                (self.tr("int8_float16"), "int8_float16"),
                (self.tr("int8"), "int8"),
                (self.tr("float32"), "float32"),
            ],
            r.compute_type,
        )
        self.language = _combo(
            [
                (self.tr("Mandarin Chinese"), "zh"),
                (self.tr("Cantonese"), "yue"),
                (self.tr("English"), "en"),
                (self.tr("Japanese"), "ja"),
                (self.tr("Detect automatically"), "auto"),
            ],
            r.language,
        )
        self.script = _combo(
            [
                (self.tr("Simplified (简体)"), "simplified"),
                (self.tr("Traditional (繁體)"), "traditional"),
                (self.tr("As recognised"), "original"),
            ],
            r.script,
        )
        form.addRow(self.tr("Engine"), self.engine)
        form.addRow(self.tr("Model"), model_row)
        form.addRow(self.tr("Run on"), self.device)
        if bundle_variant() == "cpu":  # this installer's build has no CUDA libraries
            cpu_only = QLabel(
                self.tr(
                    "This is the CPU version of Captioner. To run on an NVIDIA GPU, install "
                    "the GPU version (Captioner-Setup-*-gpu.exe)."
                )
            )
            cpu_only.setWordWrap(True)
            form.addRow("", cpu_only)
        form.addRow(self.tr("Compute type"), self.compute)
        self.second_pass = _combo(
            [
                (self.tr("Paraformer-zh (most accurate)"), "paraformer-zh"),
                (self.tr("SenseVoiceSmall"), "sensevoice"),
                (self.tr("None (streaming text only)"), "none"),
            ],
            r.funasr_second_pass,
        )
        self.chunk = _combo(
            [(self.tr("600 ms"), "600"), (self.tr("480 ms (faster partials)"), "480")],
            str(r.funasr_chunk_ms),
        )
        self.funasr_note = QLabel(
            ""
            if funasr_available()
            else self.tr("FunASR is not installed. {INSTALL_HINT}").format(
                INSTALL_HINT=install_hint()
            )
        )
        self.funasr_note.setWordWrap(True)
        self.funasr_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mirror = QLineEdit(r.download_mirror)
        self.mirror.setPlaceholderText(
            self.tr("huggingface.co (or a mirror such as https://hf-mirror.com)")
        )
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Chinese script"), self.script)
        self.vocabulary = QPlainTextEdit("\n".join(r.vocabulary))
        self.vocabulary.setPlaceholderText(self.tr("霍思燕\n派森 => Python"))
        self.vocabulary.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.vocabulary.setToolTip(
            self.tr(
                "One entry per line. A name or term of three or more characters (or in "
                "Latin letters) replaces what sounds like it in the text; "
                "'wrong => right' replaces text in what is shown and saved."
            )
        )
        form.addRow(self.tr("Vocabulary"), self.vocabulary)
        form.addRow(self.tr("Model download from"), self.mirror)
        form.addRow(self.tr("FunASR second pass"), self.second_pass)
        form.addRow(self.tr("FunASR streaming step"), self.chunk)
        self.funasr_box = funasr_box = QWidget()
        funasr_layout = QVBoxLayout(funasr_box)
        funasr_layout.setContentsMargins(0, 0, 0, 0)
        funasr_layout.addWidget(self.funasr_note)
        self.install_addon = QPushButton(self.tr("Install the FunASR add-on from its zip…"))
        self.install_addon.clicked.connect(self._choose_addon_zip)
        # The installed app gets the engine as an add-on; a pip install gets it from pip.
        self.install_addon.setVisible(install_dir() is not None and not funasr_available())
        funasr_layout.addWidget(self.install_addon)
        form.addRow(funasr_box)
        # Only the chosen engine's fields: Whisper's model, compute type and download mirror,
        # or FunASR's second pass, streaming step and (when missing) how to install it.
        self._recognition_form = form
        self._engine_rows: dict[str, tuple[QWidget | QLayout, ...]] = {
            "whisper": (model_row, self.compute, self.mirror),
            "funasr": (self.second_pass, self.chunk, funasr_box),
        }
        self.engine.currentIndexChanged.connect(lambda _: self._show_engine_fields())
        self._show_engine_fields()
        return page

    def _show_engine_fields(self) -> None:
        chosen = self.engine.currentData()
        for engine, rows in self._engine_rows.items():
            for row in rows:
                self._recognition_form.setRowVisible(row, engine == chosen)

    def _hotkey_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        h = self.settings.hotkey
        self.mode = _combo(
            [
                (self.tr("Hold to talk"), "hold"),
                (self.tr("Press to start / stop"), "toggle"),
                (self.tr("Always on (voice detection)"), "always"),
            ],
            h.mode,
        )
        self.keys = QLineEdit(h.keys)
        self.capture = QKeySequenceEdit()
        self.capture.setMaximumSequenceLength(1)
        self.capture.keySequenceChanged.connect(self._record_hotkey)
        note = QLabel(
            platform_limitations() or self.tr("The hotkey works while other apps have focus.")
        )
        note.setWordWrap(True)
        form.addRow(self.tr("Mode"), self.mode)
        form.addRow(self.tr("Hotkey"), self.keys)
        form.addRow(self.tr("Press it here to record"), self.capture)
        form.addRow(note)
        return page

    def _captions_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        o = self.settings.overlay
        self.preview = CaptionPreview(o)
        self.font_family = QFontComboBox()
        if o.font_family:
            self.font_family.setCurrentText(o.font_family)
        else:
            self.font_family.setCurrentIndex(-1)
            self.font_family.setEditText("")
        line = self.font_family.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Automatic: a system font with Chinese characters"))
        self.font_size = _spin(8, 160, o.font_size)
        self.text_color = ColorButton(o.text_color)
        self.partial_color = ColorButton(o.partial_color)
        self.outline_color = ColorButton(o.outline_color)
        self.background_color = ColorButton(o.background_color)
        self.outline_width = _double(0, 12, o.outline_width, 0.5)
        self.shadow = QCheckBox(self.tr("Drop shadow"))
        self.shadow.setChecked(o.shadow)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(round(o.background_opacity * 100))
        self.alignment = _combo(
            [(self.tr("Centre"), "center"), (self.tr("Left"), "left"), (self.tr("Right"), "right")],
            o.alignment,
        )
        self.overlay_width = _spin(200, 8000, o.width)
        self.lines = _spin(1, 10, o.lines)
        self.clear_after = _double(0, 3600, o.clear_after_s, 1)
        self.clear_after.setSuffix(self.tr(" s (0: never)"))
        self.confirmed_only = QCheckBox(self.tr("Show only confirmed text (no changing partial)"))
        self.confirmed_only.setChecked(o.confirmed_only)
        for spin in (self.font_size, self.overlay_width, self.lines):
            spin.valueChanged.connect(self._preview)
        for double in (self.outline_width, self.clear_after):
            double.valueChanged.connect(self._preview)
        for button in (
            self.text_color,
            self.partial_color,
            self.outline_color,
            self.background_color,
        ):
            button.changed.connect(self._preview)
        self.font_family.currentTextChanged.connect(self._preview)
        self.shadow.toggled.connect(self._preview)
        self.confirmed_only.toggled.connect(self._preview)
        self.opacity.valueChanged.connect(self._preview)
        self.alignment.currentIndexChanged.connect(self._preview)
        self.interface_language = _combo(
            [
                (self.tr("As the system"), "system"),
                ("English", "en"),
                ("简体中文", "zh_CN"),
            ],
            self.settings.interface.language,
        )
        form.addRow(self.tr("Interface language (on restart)"), self.interface_language)
        form.addRow(self.preview)
        form.addRow(self.tr("Font"), self.font_family)
        form.addRow(self.tr("Size (px)"), self.font_size)
        form.addRow(self.tr("Text colour"), self.text_color)
        form.addRow(self.tr("Partial text colour"), self.partial_color)
        form.addRow(self.tr("Outline colour"), self.outline_color)
        form.addRow(self.tr("Outline width"), self.outline_width)
        form.addRow("", self.shadow)
        form.addRow(self.tr("Background"), self.background_color)
        form.addRow(self.tr("Background opacity"), self.opacity)
        form.addRow(self.tr("Alignment"), self.alignment)
        form.addRow(self.tr("Width (px)"), self.overlay_width)
        form.addRow(self.tr("Lines"), self.lines)
        form.addRow(self.tr("Clear after silence"), self.clear_after)
        form.addRow("", self.confirmed_only)
        return page

    def _files_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        t = self.settings.transcripts
        self.save_transcripts = QCheckBox(self.tr("Save every session as .txt and .srt"))
        self.save_transcripts.setChecked(t.enabled)
        self.folder = QLineEdit(t.folder)
        self.folder.setPlaceholderText(self.tr("Documents/Captioner"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow(self.save_transcripts)
        form.addRow(self.tr("Folder"), row)
        return page

    def _server_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        s = self.settings.server
        self.serve = QCheckBox(self.tr("Offer the live transcript to other apps (OBS, scripts)"))
        self.serve.setChecked(s.enabled)
        self.host = QLineEdit(s.host)
        self.port = _spin(1, 65535, s.port)
        self.token = QLineEdit(s.token)
        self.token.setPlaceholderText(
            self.tr("required when listening on other addresses than 127.0.0.1")
        )
        generate = QPushButton(self.tr("Generate"))
        generate.clicked.connect(lambda: self.token.setText(secrets.token_urlsafe(18)))
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(generate)
        self.origins = QLineEdit(", ".join(s.allowed_origins))
        self.origins.setPlaceholderText(
            self.tr("e.g. https://my-dashboard.example (comma-separated)")
        )
        form.addRow(self.serve)
        form.addRow(self.tr("Address"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Token"), token_row)
        form.addRow(self.tr("Allowed web pages"), self.origins)
        return page

    # -- reading the form back -------------------------------------------------------------

    def collect(self) -> Settings:
        """The settings as the form now shows them (raises HotkeyError for a bad hotkey)."""
        s = copy_settings(self.settings)
        s.audio.input = self.input.currentData()
        s.audio.source = self.source.currentData()
        s.audio.output = self.output.currentData()
        s.audio.me_name = self.me_name.text().strip() or "Me"
        s.audio.others_name = self.others_name.text().strip() or "Others"
        r = s.recognition
        r.engine = self.engine.currentData()
        r.model = self.model.currentText().strip() or "base"
        r.device = self.device.currentData()
        r.compute_type = self.compute.currentData()
        r.language = self.language.currentData()
        r.script = self.script.currentData()
        r.download_mirror = self.mirror.text().strip()
        lines = self.vocabulary.toPlainText().splitlines()
        r.vocabulary = [line.strip() for line in lines if line.strip()]
        r.funasr_second_pass = self.second_pass.currentData()
        r.funasr_chunk_ms = 480 if self.chunk.currentData() == "480" else 600
        s.interface.language = self.interface_language.currentData()
        s.hotkey.mode = self.mode.currentData()
        s.hotkey.keys = str(parse_hotkey(self.keys.text()))
        self._collect_overlay(s.overlay)
        s.transcripts.enabled = self.save_transcripts.isChecked()
        s.transcripts.folder = self.folder.text().strip()
        v = s.server
        v.enabled = self.serve.isChecked()
        v.host = self.host.text().strip() or "127.0.0.1"
        v.port = self.port.value()
        v.token = self.token.text().strip()
        v.allowed_origins = [o.strip() for o in self.origins.text().split(",") if o.strip()]
        return s

    def _collect_overlay(self, o: OverlaySettings) -> None:
        o.font_family = self.font_family.currentText().strip()
        o.font_size = self.font_size.value()
        o.text_color = self.text_color.color
        o.partial_color = self.partial_color.color
        o.outline_color = self.outline_color.color
        o.background_color = self.background_color.color
        o.outline_width = self.outline_width.value()
        o.shadow = self.shadow.isChecked()
        o.background_opacity = self.opacity.value() / 100
        o.alignment = self.alignment.currentData()
        o.width = self.overlay_width.value()
        o.lines = self.lines.value()
        o.clear_after_s = self.clear_after.value()
        o.confirmed_only = self.confirmed_only.isChecked()

    def apply(self) -> bool:
        try:
            new = self.collect()
        except HotkeyError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.settings = new
        self.applied.emit(copy_settings(new))
        return True

    def _ok(self) -> None:
        if self.apply():
            self.accept()

    def _record_hotkey(self, sequence: QKeySequence) -> None:
        if not sequence.isEmpty():
            self.keys.setText(hotkey_from_sequence(sequence))

    def _preview(self) -> None:
        self._collect_overlay(self.preview.style_settings)
        self.preview.update()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Transcripts folder"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

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

    def _choose_model_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("CTranslate2 Whisper model folder"))
        if chosen:
            self.model.setCurrentText(chosen)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self.meter.listen_to(self.input.currentData())

    def done(self, result: int) -> None:  # Qt override: the meter's stream closes with us
        self.meter.stop()
        super().done(result)


def _combo(items: list[tuple[str, str]], current: str) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    index = combo.findData(current)
    if index < 0:
        combo.addItem(current, current)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
    return combo


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _double(low: float, high: float, value: float, step: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setValue(value)
    return spin
