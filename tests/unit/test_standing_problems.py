"""What the caption bar keeps saying while a problem stands, and the order of importance."""

from __future__ import annotations

from captioner.control.problems import Standing, StandingProblems


def test_nothing_stands_at_first():
    assert StandingProblems().current() == ""


def test_the_most_pressing_problem_is_the_one_said():
    problems = StandingProblems()
    assert problems.set(Standing.SYSTEM_CAPTURE_FAILED, "the speakers are gone")
    assert problems.current() == "the speakers are gone"
    assert problems.set(Standing.MICROPHONE_SILENT, "the microphone is muted")
    assert problems.current() == "the microphone is muted"
    assert problems.set(Standing.CAPTURE_FAILED, "no microphone")
    assert problems.current() == "no microphone"
    assert problems.clear(Standing.CAPTURE_FAILED, Standing.MICROPHONE_SILENT)
    assert problems.current() == "the speakers are gone"


def test_only_changes_are_reported():
    problems = StandingProblems()
    assert problems.set(Standing.CAPTURE_FAILED, "no microphone")
    assert not problems.set(Standing.CAPTURE_FAILED, "no microphone")  # the retry, again
    assert problems.set(Standing.CAPTURE_FAILED, "no microphone called X")
    assert problems.clear(Standing.CAPTURE_FAILED)
    assert not problems.clear(Standing.CAPTURE_FAILED, Standing.MICROPHONE_SILENT)
    assert problems.current() == ""
