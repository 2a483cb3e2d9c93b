"""Window logic, offscreen (no X server): overlay, settings dialog, menu, download dialog."""

from __future__ import annotations

import sys
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QKeySequence

from captioner.control.global_hotkey import GlobalHotkey
from captioner.control.hotkey_spec import parse_hotkey
from captioner.control.listening import ListeningMode
from captioner.control.state import CaptionState
from captioner.settings import OverlaySettings, Settings
from captioner.ui.overlay import OverlayWindow
from captioner.ui.settings.hotkey import hotkey_from_sequence
from captioner.ui.settings_dialog import SettingsDialog
from captioner.ui.tray import AppMenu


def bright_pixels(image: QImage, colour: QColor | None = None) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if colour is None:
                count += c.lightness() > 200
            else:
                count += (
                    abs(c.red() - colour.red()) + abs(c.green() - colour.green())
                    + abs(c.blue() - colour.blue())
                ) < 30  # fmt: skip
    return count


@pytest.fixture
def overlay(qtbot):
    window = OverlayWindow(OverlaySettings(clear_after_s=1.0))
    qtbot.addWidget(window)
    window.show()
    return window


def test_overlay_draws_confirmed_and_partial_text_in_their_colours(overlay):
    empty = bright_pixels(overlay.grab().toImage())
    overlay.add_confirmed("引才要筛，用才也要筛。")
    with_confirmed = bright_pixels(overlay.grab().toImage())
    assert with_confirmed > empty + 200
    partial_colour = QColor(overlay.style_settings.partial_color)
    before = bright_pixels(overlay.grab().toImage(), partial_colour)
    overlay.show_partial("南越昆仑山与西藏接壤")
    assert bright_pixels(overlay.grab().toImage(), partial_colour) > before + 100


def test_confirmed_only_mode_hides_the_partial(overlay):
    overlay.apply_style(OverlaySettings(confirmed_only=True))
    partial_colour = QColor(overlay.style_settings.partial_color)
    before = bright_pixels(overlay.grab().toImage(), partial_colour)
    overlay.show_partial("南越昆仑山与西藏接壤")
    assert bright_pixels(overlay.grab().toImage(), partial_colour) <= before + 5


def test_text_goes_away_after_the_silence_setting(overlay, qtbot):
    overlay.add_confirmed("一会儿就消失")
    assert bright_pixels(overlay.grab().toImage()) > 100
    time.sleep(1.2)
    assert bright_pixels(overlay.grab().toImage()) < 20


def test_lock_makes_it_click_through_and_unfocusable(overlay):
    flags = overlay.windowFlags()
    assert flags & Qt.WindowType.WindowTransparentForInput
    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
    assert flags & Qt.WindowType.WindowStaysOnTopHint and flags & Qt.WindowType.Tool
    overlay.set_locked(False)
    assert not overlay.windowFlags() & Qt.WindowType.WindowTransparentForInput
    assert overlay.isVisible()  # changing flags did not leave it hidden


def accessible_text(widget) -> tuple[str, str]:
    """(name, description) as Qt's accessibility API reports them to screen readers."""
    from PySide6.QtGui import QAccessible

    interface = QAccessible.queryAccessibleInterface(widget)
    return (
        interface.text(QAccessible.Text.Name),
        interface.text(QAccessible.Text.Description),
    )


def test_state_lag_and_messages(overlay):
    overlay.set_state(CaptionState.LISTENING)
    assert overlay.windowTitle() == "Captioner · listening"
    overlay.set_state(CaptionState.PROCESSING, lag_s=3.4)
    assert overlay.reset_button.isVisible()  # one click to catch up
    overlay.set_state(CaptionState.LISTENING, lag_s=0.3)
    assert not overlay.reset_button.isVisible()
    overlay.add_confirmed("最后一句")
    # What was said stays out of the title (window lists, screen-sharing pickers show it);
    # screen readers get it through the accessibility API.
    assert overlay.windowTitle() == "Captioner · listening"
    assert accessible_text(overlay) == ("Captioner captions", "最后一句")
    overlay.show_message("Microphone unplugged.")
    assert overlay.message == "Microphone unplugged."


def test_lines_setting_sets_the_height(overlay):
    two = overlay.height_for_lines(2)
    three = overlay.height_for_lines(3)
    assert three > two
    overlay.apply_style(OverlaySettings(lines=3))
    assert overlay.visible_lines() == 3


def test_settings_dialog_round_trip(qtbot):
    settings = Settings()
    settings.recognition.script = "traditional"
    settings.hotkey.mode = "toggle"
    settings.overlay.font_size = 36
    settings.server.allowed_origins = ["https://a.example", "https://b.example"]
    settings.recognition.vocabulary = ["霍思燕", "派森 => Python"]
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.collect() == settings
    dialog.recognition.vocabulary.setPlainText("霍思燕\n\n  昆仑山 \n派森 => Python\n")
    assert dialog.collect().recognition.vocabulary == ["霍思燕", "昆仑山", "派森 => Python"]


def test_settings_dialog_applies_changes_and_refuses_a_bad_hotkey(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    applied = []
    dialog.applied.connect(applied.append)
    dialog.captions.font_size.setValue(44)
    dialog.captions.lines.setValue(3)
    mode = dialog.hotkey.mode
    mode.setCurrentIndex(mode.findData("always"))
    dialog.hotkey.keys.setText("ctrl+nosuchkey")
    assert dialog.apply() is False
    assert "nosuchkey" in dialog.error.text() and applied == []
    dialog.hotkey.keys.setText("Ctrl+Alt+H")  # the transcript window's own keys
    assert dialog.apply() is False
    assert "transcript window" in dialog.error.text() and applied == []
    dialog.hotkey.keys.setText("ctrl+alt+k")
    assert dialog.apply() is True
    (new,) = applied
    assert (new.overlay.font_size, new.overlay.lines, new.hotkey.mode) == (44, 3, "always")
    assert new.hotkey.keys == "ctrl+alt+k"
    assert dialog.captions.preview.style_settings.font_size == 44  # the live preview followed


def test_recorded_key_sequences_become_hotkeys():
    assert hotkey_from_sequence(QKeySequence("Ctrl+Shift+Space")) == "ctrl+shift+space"
    assert hotkey_from_sequence(QKeySequence("F9")) == "f9"


def test_menu_reflects_state_and_emits_actions(qtbot):
    menu = AppMenu()
    menu.update_state(True, ListeningMode.TOGGLE, overlay_visible=False, locked=True)
    assert menu.listen_action.text() == "Stop listening"
    assert menu.mode_actions[ListeningMode.TOGGLE].isChecked()
    assert menu.overlay_action.text() == "Show captions"
    chosen = []
    menu.mode_chosen.connect(chosen.append)
    menu.mode_actions[ListeningMode.ALWAYS].trigger()
    assert chosen == [ListeningMode.ALWAYS]
    with qtbot.waitSignal(menu.reset, timeout=1000):
        next(a for a in menu.menu.actions() if a.text().startswith("Reset")).trigger()


def test_a_hotkey_that_cannot_be_used_is_explained(qtbot, monkeypatch):
    """Without a keyboard hook (here: no X display at all) the user is told why and what
    to use instead."""
    monkeypatch.setenv("DISPLAY", ":4242")  # no X server there
    monkeypatch.delitem(sys.modules, "pynput", raising=False)
    monkeypatch.delitem(sys.modules, "pynput.keyboard", raising=False)
    hotkey = GlobalHotkey(parse_hotkey("ctrl+shift+space"))
    failures = []
    hotkey.failed.connect(failures.append)
    assert hotkey.start() is False
    (message,) = failures
    assert "ctrl+shift+space cannot be used" in message and "tray menu" in message
