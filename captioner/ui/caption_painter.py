"""Drawing caption text that reads on any background: outlined, shadowed, wrapped.

QTextLayout wraps the text (including Chinese, which breaks between any two characters);
each line's glyphs are turned into paths so they can be outlined as well as filled.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPainterPath,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)

from captioner.settings import OverlaySettings

# Fonts that carry Chinese glyphs, tried in order when the user chose none.
_CJK_FONTS = (
    "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei",
)  # fmt: skip


def caption_font(style: OverlaySettings) -> QFont:
    family = style.font_family
    if not family:
        available = set(QFontDatabase.families())
        family = next((f for f in _CJK_FONTS if f in available), "")
    font = QFont(family) if family else QFont()
    font.setPixelSize(style.font_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


@dataclass(frozen=True)
class CaptionLayout:
    layout: QTextLayout
    lines: list[QTextLine]  # the visible lines, last ones of the text
    partial_from: int  # character index where the partial text starts
    line_height: float


def layout_caption(
    confirmed: str, partial: str, style: OverlaySettings, width: float, max_lines: int
) -> CaptionLayout:
    font = caption_font(style)
    layout = QTextLayout(confirmed + partial, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setAlignment(_ALIGN[style.alignment])
    layout.setTextOption(option)
    if partial:
        italic = QTextCharFormat()
        italic.setFontItalic(True)
        part = QTextLayout.FormatRange()
        part.start, part.length, part.format = len(confirmed), len(partial), italic
        layout.setFormats([part])
    layout.beginLayout()
    lines: list[QTextLine] = []
    y = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += line.height()
        lines.append(line)
    layout.endLayout()
    height = lines[0].height() if lines else float(font.pixelSize()) * 1.3
    return CaptionLayout(layout, lines[-max_lines:], len(confirmed), height)


_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}


def paint_caption(
    painter: QPainter, area: QRectF, caption: CaptionLayout, style: OverlaySettings
) -> None:
    """Paint the visible lines bottom-aligned in ``area``."""
    if not caption.lines:
        return
    first_y = caption.lines[0].y()
    block = sum(line.height() for line in caption.lines)
    offset = QPointF(area.x(), area.bottom() - block - first_y)
    text, partial = _path(caption, offset, confirmed=True), _path(caption, offset, confirmed=False)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if style.shadow:
        shift = max(1.5, style.font_size / 16)
        shadow = QColor(0, 0, 0, 150)
        for path in (text, partial):
            painter.fillPath(path.translated(shift, shift), QBrush(shadow))
    if style.outline_width > 0:
        pen = QPen(QColor(style.outline_color), style.outline_width * 2)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for path in (text, partial):
            painter.strokePath(path, pen)
    painter.fillPath(text, QBrush(QColor(style.text_color)))
    painter.fillPath(partial, QBrush(QColor(style.partial_color)))


def _path(caption: CaptionLayout, offset: QPointF, confirmed: bool) -> QPainterPath:
    """Outline paths of the confirmed (or partial) characters on the visible lines."""
    path = QPainterPath()
    for line in caption.lines:
        start, length = line.textStart(), line.textLength()
        if confirmed:
            length = min(length, caption.partial_from - start)
        else:
            skip = max(0, caption.partial_from - start)
            start, length = start + skip, length - skip
        if length <= 0:
            continue
        for run in line.glyphRuns(start, length):
            raw = run.rawFont()
            for index, position in zip(run.glyphIndexes(), run.positions(), strict=True):
                glyph = raw.pathForGlyph(index)
                glyph.translate(position + offset)
                path.addPath(glyph)
    return path
