"""The app icon, drawn rather than shipped: the character 字 with a state-coloured dot."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

_STATE_DOT = {"idle": "#8a8a8a", "listening": "#3ecf5b", "error": "#ff4d4d"}


def app_icon(state: str = "idle") -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#1f2a37"))
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
        font = QFont()
        font.setPixelSize(int(size * 0.68))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(0, 0, size, size * 0.95), int(Qt.AlignmentFlag.AlignCenter), "字")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(_STATE_DOT.get(state, _STATE_DOT["idle"])))
        dot = size * 0.32
        painter.drawEllipse(QRectF(size - dot - size * 0.04, size - dot - size * 0.04, dot, dot))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
