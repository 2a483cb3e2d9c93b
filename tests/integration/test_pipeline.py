"""The live pipeline the app and the command line both run (captioner.control.pipeline),
on real recordings and the real model, without a window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

from captioner.control.captioning import recognizer_factory
from captioner.control.channels import ChannelSpec, Role, file_channel
from captioner.control.config import recognition_config
from captioner.control.listening import ListeningMode
from captioner.control.pipeline import LivePipeline
from captioner.settings import RecognitionSettings
from captioner.transcript.events import TranscriptEvent
from captioner.transcript.metrics import character_error_rate
from tests.support.data import write_wav, zh_stream

pytestmark = pytest.mark.model


def run(qtbot, pipeline: LivePipeline, timeout_ms: int = 120_000) -> list[TranscriptEvent]:
    finals: list[TranscriptEvent] = []
    pipeline.confirmed.connect(finals.append)
    with qtbot.waitSignal(pipeline.finished, timeout=timeout_ms):
        pipeline.start()
    pipeline.shutdown()
    return finals


def base() -> object:
    return recognizer_factory(recognition_config(RecognitionSettings()))


def test_a_recording_is_captioned_and_the_run_ends_with_it(qtbot, tmp_path):
    audio, reference = zh_stream([2, 61])
    wav = write_wav(tmp_path / "speech.wav", audio)
    saved: list[tuple[str, str | None]] = []
    pipeline = LivePipeline(
        [file_channel(wav, realtime=False)],
        base(),
        sinks=[lambda segment, label: saved.append((segment.text, label))],
    )
    finals = run(qtbot, pipeline)
    text = "".join(e.text for e in finals)
    assert character_error_rate(text, reference) < 0.3, text
    assert [t for t, _ in saved] == [e.text for e in finals]  # saved before it was shown


def test_push_to_talk_acts_on_the_controlled_channel_only(qtbot, tmp_path):
    # Two sides, as with source "both": nobody holds the hotkey, so the controlled side
    # (the microphone's role) confirms nothing while the other side is captioned, labelled.
    audio, reference = zh_stream([61])
    wav = write_wav(tmp_path / "speech.wav", audio)
    me = ChannelSpec(Role.MICROPHONE, file_channel(wav).make_source, "Me", True, ("me",))
    others = ChannelSpec(Role.SYSTEM, file_channel(wav).make_source, "Others", False, ("o",))
    pipeline = LivePipeline([me, others], base(), ListeningMode.HOLD)
    finals = run(qtbot, pipeline)
    assert {e.source for e in finals} == {"Others"}
    others_text = "".join(e.text for e in finals)
    assert character_error_rate(others_text, reference) < 0.3, others_text


def test_finish_confirms_what_each_channel_heard_then_ends_the_run(qtbot, tmp_path):
    audio, _ = zh_stream([71], gap_s=0.0)  # 5 s of speech without a pause at its end
    wav = write_wav(tmp_path / "speech.wav", audio[: int(audio.shape[0] * 0.7)])
    pipeline = LivePipeline([file_channel(wav)], base())
    finals: list[TranscriptEvent] = []
    pipeline.confirmed.connect(finals.append)
    pipeline.capturing.connect(lambda: QTimer.singleShot(2500, pipeline.finish))
    with qtbot.waitSignal(pipeline.finished, timeout=120_000):
        pipeline.start()
    pipeline.shutdown()
    assert finals and all(e.text for e in finals)  # confirmed before the end, not dropped
