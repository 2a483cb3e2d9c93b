"""Tried as a newcomer would: no microphone at all, the interface in Simplified Chinese. The
caption bar keeps saying that there is no microphone, after the notice's time on the bar,
instead of telling to hold a hotkey that cannot work. Read off the screen, as the user reads
it: the bar is compared with the two things it could be showing, drawn by the same code."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from captioner.control.state import CaptionState
from captioner.settings import OverlaySettings
from captioner.ui.overlay import OverlayWindow

pytestmark = [pytest.mark.model, pytest.mark.mic, pytest.mark.gui]

NO_MICROPHONE_ZH = (
    "没有找到麦克风或其他音频输入设备。请接上一个，或检查操作系统是否允许此应用使用麦克风。"
    " 有可用的麦克风时，字幕会自动恢复。"
)
HOLD_TO_TALK_ZH = "按住 Ctrl+Shift+Space 说话"
ERROR_NOTICE_S = 12  # how long an error's notice has the status row (CaptionerApp.show_problem)


def drawn(qtbot, size: tuple[int, int], problem: str, hint: str) -> QImage:
    """What the bar looks like, drawn here by the overlay's own code, over black."""
    overlay = OverlayWindow(OverlaySettings())
    qtbot.addWidget(overlay)
    overlay.resize(*size)
    overlay.set_state(CaptionState.ERROR)
    overlay.set_hint(hint)
    overlay.set_problem(problem)
    return over_black(overlay.grab().toImage())


def over_black(image: QImage) -> QImage:
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.fill(QColor("black"))
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


def text_pixels(image: QImage) -> set[tuple[int, int]]:
    """Where the light text is (captions, hint, problem, notes)."""
    return {
        (x, y)
        for y in range(image.height())
        for x in range(0, image.width())
        if image.pixelColor(x, y).lightness() > 150
    }


def unlike(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> float:
    """0 for the same text, 1 for nothing in common."""
    return len(a ^ b) / max(1, len(a | b))


def test_with_no_microphone_the_bar_keeps_saying_so_not_to_hold_the_hotkey(
    start_app, x_desktop, qtbot, tmp_path
):
    app = start_app(
        {"hotkey": {"mode": "hold"}, "interface": {"language": "zh_CN"}},
        more_env={"PULSE_SERVER": f"unix:{tmp_path}/no-pulseaudio-here"},  # no input device
        wait=False,
    )
    app.wait_title(lambda title: title.endswith("error"), timeout=120)
    time.sleep(ERROR_NOTICE_S + 2)  # the notice's time is over; retries found no microphone
    shot = QImage(str(x_desktop.screenshot(tmp_path / "screen.png")))
    x, y, width, height = x_desktop.geometry(app.overlay())
    bar = shot.copy(x, y, width, height)
    bar.save(str(tmp_path / "bar.png"))
    shown = text_pixels(bar)
    problem = text_pixels(drawn(qtbot, (width, height), NO_MICROPHONE_ZH, HOLD_TO_TALK_ZH))
    hold = text_pixels(drawn(qtbot, (width, height), "", HOLD_TO_TALK_ZH))
    assert len(shown) > 500, "the bar shows no text"
    assert unlike(shown, problem) < 0.25, unlike(shown, problem)
    assert unlike(shown, hold) > 0.75, unlike(shown, hold)
    app.quit()

    # The session's log (packaging/entry.py and crash_safety share it): one file, one session.
    (log,) = (app.home / "state").rglob("*.log")
    text = log.read_text(encoding="utf-8")
    assert log.name == "captioner.log" and text.count("=== Captioner ") == 1
