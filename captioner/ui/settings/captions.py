"""The Captions tab: the caption style with a live preview, and the interface's language."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from captioner.settings import OverlaySettings, Settings, copy_settings
from captioner.ui.caption_painter import layout_caption, paint_caption
from captioner.ui.settings.choices import choice
from captioner.ui.settings.fields import (
    SettingsPage,
    check_box,
    colour,
    decimal,
    font,
    fraction,
    whole,
)

_SAMPLE_CONFIRMED = "欢迎使用实时字幕。今天我们讨论"
_SAMPLE_PARTIAL = "本地语音识别"


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


class CaptionsTab(SettingsPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.interface_language = self.add_field(
            self.tr("Interface language (on restart)"), choice("interface.language")
        )
        self._shown = copy_settings(settings)  # what the preview shows: the fields as they are
        self.preview = CaptionPreview(self._shown.overlay)
        self.form.addRow(self.preview)
        self.font_family = self.add_field(self.tr("Font"), font("overlay.font_family"))
        line = self.font_family.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Automatic: a system font with Chinese characters"))
        self.font_size = self.add_field(self.tr("Size (px)"), whole("overlay.font_size"))
        self.text_color = self.add_field(self.tr("Text colour"), colour("overlay.text_color"))
        self.partial_color = self.add_field(
            self.tr("Partial text colour"), colour("overlay.partial_color")
        )
        self.outline_color = self.add_field(
            self.tr("Outline colour"), colour("overlay.outline_color")
        )
        self.outline_width = self.add_field(
            self.tr("Outline width"), decimal("overlay.outline_width", 0.5)
        )
        self.shadow = self.add_field("", check_box("overlay.shadow", self.tr("Drop shadow")))
        self.background_color = self.add_field(
            self.tr("Background"), colour("overlay.background_color")
        )
        self.opacity = self.add_field(
            self.tr("Background opacity"), fraction("overlay.background_opacity")
        )
        self.alignment = self.add_field(self.tr("Alignment"), choice("overlay.alignment"))
        self.overlay_width = self.add_field(self.tr("Width (px)"), whole("overlay.width"))
        self.lines = self.add_field(self.tr("Lines"), whole("overlay.lines"))
        self.clear_after = self.add_field(
            self.tr("Clear after silence"), decimal("overlay.clear_after_s", 1)
        )
        self.clear_after.setSuffix(self.tr(" s (0: never)"))
        self.confirmed_only = self.add_field(
            "",
            check_box(
                "overlay.confirmed_only",
                self.tr("Show only confirmed text (no changing partial)"),
            ),
        )
        for field in self.fields:
            field.changed.connect(self._update_preview)

    def _update_preview(self) -> None:
        self.store(self._shown)
        self.preview.update()
