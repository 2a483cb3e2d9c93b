"""Render the app icon files from the icon the app draws (captioner/ui/icons.py).

    python resources/make_icons.py        # rewrites resources/captioner.ico and .png

The app draws its icon at run time (字 on a rounded dark square, a state dot); Windows
needs it as files too: in the executables' resources, the installer, the shortcuts. This
script renders the same drawing (the idle state) so that the files cannot drift from the
design; run it after changing icons.py and commit its output with it.

The .ico holds every size Windows asks for (16-256 px): 16-48 as 32-bit bitmaps, which
every reader of .ico files accepts, 64-256 as PNG, as Windows' own icons do (a 256 px
bitmap would be 256 KiB).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_FROM = 64  # sizes from here up are stored PNG-compressed in the .ico


def render(size: int) -> bytes:
    """The idle icon at ``size`` px as straight (not premultiplied) BGRA rows, top first."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from captioner.ui.icons import app_icon

    image = app_icon("idle").pixmap(QSize(size, size)).toImage()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory, little-endian
    assert (image.width(), image.height()) == (size, size), "the icon has no pixmap this size"
    return bytes(image.constBits())[: size * size * 4]


def png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize

    from captioner.ui.icons import app_icon

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    app_icon("idle").pixmap(QSize(size, size)).toImage().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def bmp_entry(size: int) -> bytes:
    """An .ico bitmap image: header, BGRA rows bottom first, an all-clear AND mask."""
    rows = render(size)
    stride = size * 4
    pixels = b"".join(rows[y * stride : (y + 1) * stride] for y in reversed(range(size)))
    mask_stride = ((size + 31) // 32) * 4
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    return header + pixels + bytes(mask_stride * size)


def ico(sizes: tuple[int, ...] = ICO_SIZES) -> bytes:
    images = [png(size) if size >= PNG_FROM else bmp_entry(size) for size in sizes]
    offset = 6 + 16 * len(images)
    directory = struct.pack("<HHH", 0, 1, len(images))
    for size, data in zip(sizes, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an .ico directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return directory + b"".join(images)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(HERE.parent))
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # QPixmap needs one
    (HERE / "captioner.ico").write_bytes(ico())
    (HERE / "captioner.png").write_bytes(png(256))
    print(f"wrote {HERE / 'captioner.ico'} and {HERE / 'captioner.png'}")
    del app


if __name__ == "__main__":
    main()
