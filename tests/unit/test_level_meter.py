"""When the level meter says the microphone is too quiet."""

from captioner.ui.level_meter import FLOOR_DB, QUIET_READINGS, too_quiet


def test_input_is_too_quiet_only_after_enough_readings_that_all_stay_low():
    enough = QUIET_READINGS
    assert too_quiet([-45.0] * enough)
    assert not too_quiet([-45.0] * 3)  # too early to say
    assert not too_quiet([-45.0] * enough + [-12.0])  # someone spoke at a normal level
    assert not too_quiet([FLOOR_DB] * enough)  # nothing at all: a muted device, not quiet
