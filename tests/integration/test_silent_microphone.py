"""A muted microphone, for real: PulseAudio delivers exact zeros from a muted source, as
Windows does from a microphone its privacy settings block. The app's controller (real worker,
real model, real PortAudio capture) says so within seconds, and stops saying it once sound
flows again. In push-to-talk, before anyone presses the hotkey: that is when a newcomer
needs to hear it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from captioner.audio.silence import SILENT_AFTER_S
from captioner.control.captioning import CaptionController
from captioner.control.config import captioning_config
from captioner.control.problems import Problem
from captioner.control.state import CaptionState
from captioner.settings import Settings
from tests.support.data import zh_clip
from tests.support.pulse import load_null_sink, pactl, play

pytestmark = [pytest.mark.model, pytest.mark.mic]


@pytest.fixture
def own_microphone(virtual_mic, monkeypatch) -> Iterator[str]:
    """A microphone of this test's own: a null sink whose monitor is what this process
    records (PULSE_SOURCE), so that muting it touches nothing else on the same PulseAudio.
    Returns the sink's name."""
    name = f"captioner_muted_{os.getpid()}"
    module = load_null_sink(virtual_mic, name)
    monkeypatch.setenv("PULSE_SOURCE", f"{name}.monitor")
    yield name
    pactl(virtual_mic, "unload-module", module)


def test_a_muted_microphone_is_said_within_seconds_and_no_more_once_sound_flows(
    qtbot, own_microphone, virtual_mic
):
    pactl(virtual_mic, "set-source-mute", f"{own_microphone}.monitor", "1")
    settings = Settings()
    settings.transcripts.enabled = False
    settings.hotkey.mode = "hold"  # nobody presses the hotkey: the audio is still watched
    controller = CaptionController(captioning_config(settings))
    capturing: list[float] = []  # when capture began (the state first shows it)
    standing: list[tuple[float, str]] = []
    notices: list[Problem] = []
    controller.state_changed.connect(
        lambda state, _lag: (
            capturing.append(time.monotonic())
            if state is CaptionState.IDLE and not capturing
            else None
        )
    )
    controller.standing_changed.connect(lambda text: standing.append((time.monotonic(), text)))
    controller.problem.connect(notices.append)
    controller.start()
    try:
        qtbot.waitUntil(lambda: bool(capturing), timeout=120_000)  # the model loaded
        qtbot.waitUntil(lambda: bool(standing), timeout=(SILENT_AFTER_S + 5) * 1000)
        told_at, said = standing[0]
        assert told_at - capturing[0] < SILENT_AFTER_S + 2
        assert "delivers only silence" in said and "muted" in said, said
        assert [n.text for n in notices] == [said] and notices[0].severity == "warning"
        assert controller.state()[0] is CaptionState.IDLE  # the microphone itself works

        pactl(virtual_mic, "set-source-mute", f"{own_microphone}.monitor", "0")
        qtbot.wait(1000)
        assert standing[-1][1] == said  # unmuted, but nothing plays: still exact zeros
        speech, _ = zh_clip(61)
        player = play(speech, own_microphone, virtual_mic)
        try:
            started = time.monotonic()
            qtbot.waitUntil(lambda: standing[-1][1] == "", timeout=5_000)
            assert standing[-1][0] - started < 2  # cleared at the first sound
        finally:
            player.wait(timeout=60)
    finally:
        controller.shutdown()
    assert controller.standing.current() == ""
    assert len(notices) == 1
