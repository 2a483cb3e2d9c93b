from itertools import pairwise

from captioner.asr.load_control import LoadController


def run(controller: LoadController, lags: list[float], dt: float = 0.1) -> list[int]:
    return [controller.observe(lag, i * dt) for i, lag in enumerate(lags)]


def test_decode_spikes_that_recover_do_not_lower_quality():
    lags = [1.3 if i % 40 < 10 else 0.05 for i in range(600)]
    assert max(run(LoadController(), lags)) == 0


def test_lag_that_keeps_growing_raises_the_level_step_by_step_to_the_max():
    levels = run(LoadController(max_level=3), [0.5 + i * 0.02 for i in range(400)])
    assert levels[0] == 0
    assert levels[-1] == 3
    assert all(b - a in (0, 1) for a, b in pairwise(levels))


def test_level_comes_back_down_after_a_calm_period():
    controller = LoadController(calm_s=5.0)
    run(controller, [2.0] * 60)
    assert controller.level >= 1
    raised = controller.level
    levels = [controller.observe(0.1, 6.0 + i * 0.1) for i in range(200)]
    assert levels[-1] < raised


def test_a_status_is_passed_on_when_it_shows_something_new_or_its_lag_moved():
    from captioner.asr.session import StatusReport

    report = StatusReport(interval_s=1.0)
    assert report.due(("listening",), 0.1, now=0.0)  # the first
    assert not report.due(("listening",), 0.2, now=0.1)  # lag moved too little
    assert report.due(("speech",), 0.2, now=0.2)  # shows something new: at once
    assert not report.due(("speech",), 0.9, now=0.5)  # moved, but within the interval
    assert report.due(("speech",), 0.9, now=1.3)
    assert not report.due(("speech",), 1.0, now=5.0)  # sent 0.9: moved only 0.1
