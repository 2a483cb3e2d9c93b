from captioner.ui.placement import (
    Rect,
    ScreenInfo,
    clamp_into,
    default_rect,
    place,
    remember,
    screen_containing,
)

LAPTOP = ScreenInfo("Built-in 1920x1080", Rect(0, 0, 1920, 1040))
MONITOR = ScreenInfo("DELL 2560x1440", Rect(1920, 0, 2560, 1400))


def test_default_is_centred_near_the_bottom_of_the_primary_screen():
    rect, screen = place({}, [LAPTOP, MONITOR], LAPTOP, 900, 120)
    assert screen == LAPTOP
    assert rect.x == (1920 - 900) // 2 and rect.width == 900
    assert 1040 - 200 < rect.y + rect.height <= 1040


def test_position_is_remembered_per_screen_relative_to_it():
    saved = remember({}, MONITOR, Rect(2000, 1200, 800, 100))
    saved = remember(saved, LAPTOP, Rect(100, 900, 700, 100))
    # The laptop was used last:
    assert place(saved, [LAPTOP, MONITOR], LAPTOP, 900, 120) == (Rect(100, 900, 700, 100), LAPTOP)
    # The monitor moved to the left of the laptop: same place on the monitor.
    moved = ScreenInfo(MONITOR.key, Rect(-2560, 0, 2560, 1400))
    saved = remember(saved, MONITOR, Rect(2000, 1200, 800, 100))
    rect, screen = place(saved, [LAPTOP, moved], LAPTOP, 900, 120)
    assert screen == moved and rect == Rect(-2560 + 80, 1200, 800, 100)


def test_overlay_of_a_disconnected_monitor_comes_back_to_a_connected_screen():
    saved = remember({}, MONITOR, Rect(3000, 1300, 800, 100))
    rect, screen = place(saved, [LAPTOP], LAPTOP, 900, 120)
    assert screen == LAPTOP
    assert rect == default_rect(LAPTOP, 900, 120)


def test_off_screen_rectangles_are_pulled_back_and_shrunk():
    assert clamp_into(Rect(1800, 1000, 400, 100), LAPTOP) == Rect(1520, 940, 400, 100)
    assert clamp_into(Rect(-50, -50, 3000, 100), LAPTOP) == Rect(0, 0, 1920, 100)


def test_screen_containing_uses_the_centre():
    assert screen_containing(Rect(1800, 10, 400, 100), [LAPTOP, MONITOR]) == MONITOR
    assert screen_containing(Rect(-900, 10, 400, 100), [LAPTOP, MONITOR]) is None
