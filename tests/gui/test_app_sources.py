"""The app's audio source choice: what the computer plays, both sides labelled, unplug/replug.

Real PulseAudio sinks (tests/support/pulse.py), real speech, the embedded base model, the real
app composition with offscreen windows, its real transcript files and live feed.
"""

from __future__ import annotations

import asyncio
import os
import subprocess

import numpy as np
import pytest

from captioner.app.desktop import CaptionerApp
from captioner.settings import SettingsStore
from captioner.transcript.metrics import character_error_rate
from tests.support.data import write_wav, zh_stream
from tests.support.pulse import MIC, SPEAKERS, load_null_sink, pactl, play

pytestmark = [pytest.mark.model, pytest.mark.mic]


@pytest.fixture
def make_app(qtbot, tmp_path):
    apps = []

    def make(**overrides) -> CaptionerApp:
        path = tmp_path / "settings.json"
        path.write_text("{}", encoding="utf-8")
        overrides.setdefault("transcripts.folder", str(tmp_path / "transcripts"))
        app = CaptionerApp(SettingsStore(path, overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()
    # The live feed starts and stops its server in asyncio tasks, and the loop that runs
    # them runs only in the real app: cancel what is left, so no coroutine dies pending.
    loop = asyncio.get_event_loop()
    if pending := [task for task in asyncio.all_tasks(loop) if not task.done()]:
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


class Shown:
    """What the app's controller hands the overlay."""

    def __init__(self, app: CaptionerApp) -> None:
        self.confirmed: list[str] = []
        self.problems: list[str] = []
        app.controller.confirmed_text.connect(self.confirmed.append)
        app.controller.problem.connect(lambda p: self.problems.append(p.text))

    def text(self) -> str:
        return "".join(self.confirmed)


def speech_wav(tmp_path, name: str, clips: list[int]) -> tuple[os.PathLike, str]:
    audio, reference = zh_stream(clips)
    pad = np.zeros(8000, np.float32)
    return write_wav(tmp_path / f"{name}.wav", np.concatenate([audio, pad])), reference


def wait_capturing(qtbot, app: CaptionerApp) -> None:
    qtbot.waitUntil(lambda: app.overlay.state.value == "listening", timeout=90_000)


def test_both_sources_are_labelled_on_screen_in_transcripts_and_in_the_feed(
    make_app, qtbot, separate_mic, tmp_path, free_tcp_port
):
    others_wav, others_ref = speech_wav(tmp_path, "others", [2, 61])
    me_wav, me_ref = speech_wav(tmp_path, "me", [72])
    app = make_app(
        **{
            "audio.source": "both",
            "audio.me_name": "我",
            "audio.others_name": "对方",
            "hotkey.mode": "always",
            "server.enabled": True,
            "server.port": free_tcp_port,
        }
    )
    shown = Shown(app)
    app.start()
    wait_capturing(qtbot, app)
    pipeline = app.controller.pipeline
    qtbot.waitUntil(lambda: len(pipeline.channels) == 2, timeout=5_000)
    qtbot.waitUntil(lambda: pipeline.channels[1].worker.model_info is not None, timeout=90_000)
    # The live feed's server (its asyncio loop runs only in the real app, tested on an X
    # desktop in test_desktop.py): what both workers publish on it.
    server = app.feed.server
    assert server is not None
    published = []
    publish_final = server.publish_final

    def spy(event) -> None:
        published.append(event)
        publish_final(event)

    server.publish_final = spy
    qtbot.wait(1000)
    players = [play(others_wav, SPEAKERS, separate_mic), play(me_wav, MIC, separate_mic)]
    try:
        qtbot.waitUntil(lambda: all(p.poll() is not None for p in players), timeout=60_000)

        def both_confirmed() -> bool:
            said = shown.text()
            return "对方: " in said and "我: " in said and said.count(": ") >= 3

        qtbot.waitUntil(both_confirmed, timeout=30_000)
        qtbot.wait(3000)  # the last words of both sides
    finally:
        for player in players:
            player.kill()
    # On screen: every confirmed line names its side, and each side says its own words.
    assert all(line.startswith(("我: ", "对方: ")) for line in shown.confirmed), shown.confirmed

    def side(lines: list[str], who: str) -> str:
        return "".join(line.split(": ", 1)[1] for line in lines if line.startswith(who + ": "))

    assert character_error_rate(side(shown.confirmed, "对方"), others_ref) < 0.45
    assert character_error_rate(side(shown.confirmed, "我"), me_ref) < 0.45
    # The transcript files say the same, labelled, line by line.
    app.controller.sink.close()
    (txt,) = (tmp_path / "transcripts").glob("*.txt")
    assert txt.read_text(encoding="utf-8").splitlines() == shown.confirmed
    (srt,) = (tmp_path / "transcripts").glob("*.srt")
    assert "对方: " in srt.read_text(encoding="utf-8")
    # The live feed gets the same texts, each with its source.
    assert [f"{e.source}: {e.text}" for e in published] == shown.confirmed
    # The tray pauses what the computer plays (push-to-talk is the microphone's).
    assert app.menu.system_action.isVisible()
    app.menu.system_action.trigger()
    assert app.controller.system_paused and "Resume" in app.menu.system_action.text()
    before = len(shown.confirmed)
    play(others_wav, SPEAKERS, separate_mic).wait(timeout=60)
    qtbot.wait(2500)
    assert shown.confirmed[before:] == []


def test_tray_switches_to_what_the_computer_plays_and_back(make_app, qtbot, separate_mic, tmp_path):
    wav, reference = speech_wav(tmp_path, "speech", [61])
    app = make_app(**{"hotkey.mode": "hold"})
    shown = Shown(app)
    app.start()
    qtbot.waitUntil(lambda: app.overlay.state.value == "idle", timeout=90_000)
    # Push-to-talk with nobody pressing: the microphone path captions nothing. The tray's
    # "What the computer plays" captions the speakers whenever something plays.
    app.menu.source_actions["system"].trigger()
    assert app.settings.audio.source == "system"
    wait_capturing(qtbot, app)
    assert app.menu.source_actions["system"].isChecked()
    qtbot.wait(2000)
    play(wav, SPEAKERS, separate_mic).wait(timeout=60)
    try:
        qtbot.waitUntil(lambda: character_error_rate(shown.text(), reference) < 0.3, timeout=30_000)
    except Exception:
        raise AssertionError((shown.confirmed, shown.problems)) from None
    assert all(": " not in line for line in shown.confirmed)  # one source: no labels
    # Back to the microphone: push-to-talk again, so what plays is not captioned.
    app.menu.source_actions["mic"].trigger()
    qtbot.waitUntil(lambda: app.overlay.state.value == "idle", timeout=30_000)
    before = len(shown.confirmed)
    play(wav, SPEAKERS, separate_mic).wait(timeout=60)
    qtbot.wait(2000)
    assert len(shown.confirmed) == before


def test_system_audio_recovers_when_the_output_device_is_unplugged_and_back(
    make_app, qtbot, virtual_mic, tmp_path
):
    """A chosen output device (a USB headset, say) is unplugged, then plugged in again."""
    headset = "captioner_headset"
    module = load_null_sink(virtual_mic, headset)
    wav, reference = speech_wav(tmp_path, "speech", [2, 61])
    app = make_app(**{"audio.source": "system", "audio.output": headset})
    shown = Shown(app)
    try:
        app.start()
        wait_capturing(qtbot, app)
        pactl(virtual_mic, "unload-module", module)  # unplugged
        qtbot.waitUntil(lambda: app.overlay.state.value == "error", timeout=30_000)
        # told which device ("Null Output" is how PulseAudio names a null sink)
        assert any("Null Output" in p or headset in p for p in shown.problems), shown.problems
        module = load_null_sink(virtual_mic, headset)  # plugged in again
        wait_capturing(qtbot, app)  # the app's retry reopened it
        qtbot.wait(1000)
        play(wav, headset, virtual_mic).wait(timeout=60)
        try:
            qtbot.waitUntil(
                lambda: character_error_rate(shown.text(), reference) < 0.3, timeout=30_000
            )
        except Exception:
            raise AssertionError((shown.confirmed, shown.problems)) from None
    finally:
        subprocess.run(["pactl", "unload-module", module], env={**os.environ, **virtual_mic})
