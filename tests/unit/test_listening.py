import pytest

from captioner.control.hotkey_spec import ComboTracker, HotkeyError, parse_hotkey
from captioner.control.listening import ListeningChange, ListeningController, ListeningMode


def test_hold_listens_while_pressed_and_repeat_changes_nothing():
    c = ListeningController(ListeningMode.HOLD)
    assert c.listening is False
    assert c.press() == ListeningChange(True)
    assert c.press() is None  # auto-repeat while held
    assert c.press() is None
    assert c.release() == ListeningChange(False)  # release: finish and confirm
    assert c.release() is None


def test_toggle_switches_on_each_press_not_on_release():
    c = ListeningController(ListeningMode.TOGGLE)
    assert c.press() == ListeningChange(True)
    assert c.release() is None
    assert c.press() == ListeningChange(False)
    assert c.press() is None  # repeat
    assert c.release() is None


def test_always_on_listens_and_a_press_pauses():
    c = ListeningController(ListeningMode.ALWAYS)
    assert c.listening is True
    assert c.press() == ListeningChange(False)
    c.release()
    assert c.press() == ListeningChange(True)


def test_commands_and_mode_changes():
    c = ListeningController(ListeningMode.HOLD)
    assert c.start() == ListeningChange(True)
    assert c.start() is None
    assert c.toggle() == ListeningChange(False)
    assert c.set_mode(ListeningMode.ALWAYS) == ListeningChange(True)
    assert c.set_mode(ListeningMode.HOLD) == ListeningChange(False)


def test_parse_hotkeys():
    assert str(parse_hotkey("Ctrl+Shift+Space")) == "ctrl+shift+space"
    assert str(parse_hotkey("<ctrl>+<alt>+h")) == "ctrl+alt+h"
    assert str(parse_hotkey("F9")) == "f9"
    assert str(parse_hotkey("win+`")) == "cmd+`"
    for bad in ("", "ctrl+", "ctrl+nosuchkey", "shift", "hyper+a", "ctrl+ctrl+a"):
        with pytest.raises(HotkeyError):
            parse_hotkey(bad)


def test_combo_tracker_edges_ignore_repeat_and_other_keys():
    t = ComboTracker(parse_hotkey("ctrl+shift+space"))
    assert not t.press("ctrl")
    assert not t.press("shift")
    assert t.press("space")
    assert not t.press("space")  # repeat
    assert not t.press("a")
    assert not t.release("a")
    assert t.release("shift")  # any key of the combo ends it
    assert not t.release("space")
    assert not t.press("shift")
    assert t.press("space")  # ctrl still held: active again
