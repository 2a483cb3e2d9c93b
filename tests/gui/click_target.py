"""A plain window that records where it was clicked (the thing under the overlay)."""

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QWidget


class Target(QWidget):
    def __init__(self, log: str, colour: str, label: str) -> None:
        super().__init__()
        self.log = log
        self.colour = QColor(colour)
        self.label = label
        self.setWindowTitle("click-target")

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.colour)
        painter.setPen(QColor("#808080") if self.colour.lightness() > 128 else QColor("#cccccc"))
        font = painter.font()
        font.setPixelSize(40)
        painter.setFont(font)
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), self.label)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        with open(self.log, "a", encoding="utf-8") as f:
            p = event.globalPosition().toPoint()
            f.write(f"{p.x()} {p.y()}\n")


app = QApplication(sys.argv[:1])
window = Target(
    sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "#ffffff", " ".join(sys.argv[3:])
)
window.setGeometry(0, 0, 1280, 720)
window.show()
app.exec()
