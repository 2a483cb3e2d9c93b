"""Drawing caption text that reads on any background: outlined, shadowed, wrapped.

QTextLayout wraps the text (including Chinese, which breaks between any two characters);
each line's glyphs are turned into paths so they can be outlined as well as filled. A
translation line (under its confirmed line) is laid out in the same text, smaller, and
filled in its own colour.
"""

from __future__ import annotations

from collections.abc import Sequence
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

from captioner.settings import OverlaySettings, TranslationSettings
from captioner.ui.caption_text import CaptionLine

_LINE_BREAK = "\u2028"  # a line break within the layout's one paragraph

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
    translations: tuple[tuple[int, int], ...] = ()  # (start, length) of each translation
    translation_style: TranslationSettings | None = None


def translation_pixels(style: OverlaySettings, translation: TranslationSettings) -> int:
    return max(6, round(style.font_size * translation.size_ratio))


def layout_caption(
    confirmed: str,
    partial: str,
    style: OverlaySettings,
    width: float,
    max_lines: int,
    lines: Sequence[CaptionLine] = (),
    translation: TranslationSettings | None = None,
) -> CaptionLayout:
    """``lines``: the confirmed text line by line instead of ``confirmed``, each line's
    translation under it in ``translation``'s style, the partial on a line of its own; as
    many lines are kept as fit in the height of ``max_lines`` caption lines."""
    font = caption_font(style)
    translations: list[tuple[int, int]] = []
    if lines:
        confirmed = ""
        for line in lines:
            confirmed += line.text + _LINE_BREAK
            if line.translation:
                translations.append((len(confirmed), len(line.translation) + 1))
                confirmed += line.translation + _LINE_BREAK
        if not partial:
            confirmed = confirmed[: -len(_LINE_BREAK)]
            if translations and translations[-1][0] + translations[-1][1] > len(confirmed):
                start, length = translations[-1]
                translations[-1] = (start, length - 1)
    layout = QTextLayout(confirmed + partial, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setAlignment(_ALIGN[style.alignment])
    layout.setTextOption(option)
    formats = []
    if partial:
        italic = QTextCharFormat()
        italic.setFontItalic(True)
        part = QTextLayout.FormatRange()
        part.start, part.length, part.format = len(confirmed), len(partial), italic
        formats.append(part)
    if translations:
        small_font = QFont(font)
        small_font.setPixelSize(translation_pixels(style, translation or TranslationSettings()))
        small = QTextCharFormat()
        small.setFont(small_font)
        for start, length in translations:
            part = QTextLayout.FormatRange()
            part.start, part.length, part.format = start, length, small
            formats.append(part)
    if formats:
        layout.setFormats(formats)
    layout.beginLayout()
    laid: list[QTextLine] = []
    y = 0.0
    while True:
        text_line = layout.createLine()
        if not text_line.isValid():
            break
        text_line.setLineWidth(width)
        text_line.setPosition(QPointF(0, y))
        y += text_line.height()
        laid.append(text_line)
    layout.endLayout()
    height = laid[0].height() if laid else float(font.pixelSize()) * 1.3
    shown = laid[-max_lines:]
    if translations:  # lines of two sizes: the last ones that fit in max_lines caption lines
        room, used, first = max_lines * height + 0.5, 0.0, len(laid)
        while first > 0 and (first == len(laid) or used + laid[first - 1].height() <= room):
            first -= 1
            used += laid[first].height()
        shown = laid[first:]
    return CaptionLayout(layout, shown, len(confirmed), height, tuple(translations), translation)


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
    translated = list(caption.translations)
    confirmed = _between(0, caption.partial_from, translated)
    everything = caption.layout.text()
    text = _path(caption, offset, confirmed)
    partial = _path(caption, offset, [(caption.partial_from, len(everything))])
    translations = _path(caption, offset, translated)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if style.shadow:
        shift = max(1.5, style.font_size / 16)
        shadow = QColor(0, 0, 0, 150)
        for path in (text, partial, translations):
            painter.fillPath(path.translated(shift, shift), QBrush(shadow))
    if style.outline_width > 0:
        pen = QPen(QColor(style.outline_color), style.outline_width * 2)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for path in (text, partial):
            painter.strokePath(path, pen)
        if caption.translation_style is not None:
            pen.setWidthF(style.outline_width * 2 * min(1.0, caption.translation_style.size_ratio))
        painter.strokePath(translations, pen)
    painter.fillPath(text, QBrush(QColor(style.text_color)))
    painter.fillPath(partial, QBrush(QColor(style.partial_color)))
    if caption.translation_style is not None:
        painter.fillPath(translations, QBrush(QColor(caption.translation_style.color)))


def _between(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) ranges of [start, end) outside the (start, length) ``holes``."""
    ranges = []
    for hole_start, hole_length in sorted(holes):
        if hole_start > start:
            ranges.append((start, min(hole_start, end)))
        start = max(start, hole_start + hole_length)
    if start < end:
        ranges.append((start, end))
    return [(a, b - a) for a, b in ranges if b > a]


def _path(caption: CaptionLayout, offset: QPointF, ranges: list[tuple[int, int]]) -> QPainterPath:
    """Outline paths of the characters in ``ranges`` ((start, length)) on the visible lines."""
    path = QPainterPath()
    for line in caption.lines:
        for range_start, range_length in ranges:
            start = max(line.textStart(), range_start)
            end = min(line.textStart() + line.textLength(), range_start + range_length)
            if end > start:
                _add_glyphs(path, line, start, end - start, offset)
    return path


def _add_glyphs(
    path: QPainterPath, line: QTextLine, start: int, length: int, offset: QPointF
) -> None:
    for run in line.glyphRuns(start, length):
        raw = run.rawFont()
        for index, position in zip(run.glyphIndexes(), run.positions(), strict=True):
            glyph = raw.pathForGlyph(index)
            glyph.translate(position + offset)
            path.addPath(glyph)
