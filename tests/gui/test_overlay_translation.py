"""The translation line under each confirmed line, drawn: offscreen (the overlay's own
rendering) and in a real X session (what the screen shows, compositor included)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from PySide6.QtGui import QColor, QImage

from captioner.settings import OverlaySettings, TranslationSettings
from captioner.ui.overlay import OverlayWindow

TRANSLATION = TranslationSettings(enabled=True, color="#ffe08a", size_ratio=0.7)


def rows_with(image: QImage, colour: QColor, tolerance: int = 60) -> list[int]:
    """The rows (y) holding pixels near ``colour``."""
    found = []
    for y in range(image.height()):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - colour.red()) + abs(c.green() - colour.green())
                + abs(c.blue() - colour.blue())
            ) < tolerance:  # fmt: skip
                found.append(y)
                break
    return found


@pytest.fixture
def overlay(qtbot):
    window = OverlayWindow(OverlaySettings(lines=3, outline_width=0, shadow=False), TRANSLATION)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_translation_is_drawn_under_its_line_smaller_and_in_its_colour(overlay):
    white, yellow = QColor("#ffffff"), QColor(TRANSLATION.color)
    overlay.add_confirmed("今天讲港口", final=1)
    overlay.show_partial("下一句")  # the next partial began before the translation came
    assert rows_with(overlay.grab().toImage(), yellow) == []
    overlay.add_translation(1, "Today: the port")
    image = overlay.grab().toImage()
    source, translated = rows_with(image, white), rows_with(image, yellow)
    assert translated and source
    assert min(translated) > min(source)  # under its line
    source_rows = [y for y in source if y < min(translated)]
    assert max(translated) - min(translated) < max(source_rows) - min(source_rows)  # smaller
    overlay.add_translation(99, "no such line")  # nothing happens


def test_the_translation_style_follows_the_settings(overlay):
    overlay.add_confirmed("今天讲港口", final=1)
    overlay.add_translation(1, "Today: the port")
    overlay.apply_translation_style(TranslationSettings(enabled=True, color="#40c0ff"))
    image = overlay.grab().toImage()
    assert rows_with(image, QColor("#40c0ff")) and not rows_with(image, QColor("#ffe08a"))


def test_with_translations_the_bar_keeps_its_height_and_shows_the_newest(overlay):
    height = overlay.height()
    for n in range(1, 7):
        overlay.add_confirmed(f"第{n}句话在这里", final=n)
        overlay.add_translation(n, f"Sentence {n} is here")
    assert overlay.height() == height
    assert rows_with(overlay.grab().toImage(), QColor(TRANSLATION.color))


_SHOW = textwrap.dedent("""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from captioner.settings import OverlaySettings, TranslationSettings
    from captioner.ui.overlay import OverlayWindow

    app = QApplication([])
    window = OverlayWindow(
        OverlaySettings(lines=3, clear_after_s=0),
        TranslationSettings(enabled=True, color="#ffe08a"),
    )
    window.move(100, 100)
    window.show()
    window.add_confirmed("今天讲港口的事情", final=1)
    window.show_partial("下一句")
    window.add_translation(1, "Today: about the port")
    QTimer.singleShot(500, lambda: print("shown", flush=True))
    QTimer.singleShot(30_000, app.quit)  # the test ends it before
    app.exec()
""")


@pytest.mark.gui
def test_on_screen_the_translation_line_shows_under_the_caption(x_desktop, tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", _SHOW],
        env={**os.environ, **x_desktop.env}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "shown"
        deadline = time.monotonic() + 10
        while not x_desktop.find_windows("Captioner") and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # mapped and composited
        (window,) = x_desktop.find_windows("Captioner")
        x, y, w, h = x_desktop.geometry(window)
        shot = QImage(str(x_desktop.screenshot(tmp_path / "screen.png")))
        bar = shot.copy(x, y, w, h)
        white, yellow = rows_with(bar, QColor("#ffffff"), 40), rows_with(bar, QColor("#ffe08a"))
        assert white and yellow
        assert min(yellow) > min(white)  # under the confirmed line
    finally:
        process.terminate()
        process.wait(timeout=10)
