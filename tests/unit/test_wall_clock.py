from captioner.asr.types import Segment
from captioner.control.wall_clock import WallClock


def feed_span(clock: WallClock, recognizer_from: float, wall_from: float, seconds: float) -> None:
    """Audio handed over in 0.1 s ticks, as the worker does while listening."""
    steps = round(seconds / 0.1)
    for i in range(1, steps + 1):
        clock.fed(recognizer_from + i * 0.1, wall_from + i * 0.1)


def test_pauses_between_presses_are_put_back():
    clock = WallClock()
    feed_span(clock, 0.0, 2.0, 3.0)  # held from 2 s to 5 s
    feed_span(clock, 3.0, 20.0, 4.0)  # released, then held again from 20 s to 24 s
    assert clock.segment(Segment("一", 0.5, 2.5)) == Segment("一", 2.5, 4.5)
    assert clock.segment(Segment("二", 3.2, 6.0)) == Segment("二", 20.2, 23.0)


def test_a_new_recogniser_starts_its_clock_again():
    clock = WallClock()
    feed_span(clock, 0.0, 0.0, 5.0)
    clock.restart()
    feed_span(clock, 0.0, 30.0, 2.0)
    assert clock.wall(1.0) == 31.0


def test_nothing_fed_yet_leaves_times_as_they_are():
    assert WallClock().segment(Segment("x", 1.0, 2.0)) == Segment("x", 1.0, 2.0)
