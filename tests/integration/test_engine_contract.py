"""Engine contract, run against every engine.

Every structural property (append-only confirmed text with ordered times, partials before
confirmation, finish, reset, timestamps, script, silence) is checked for every engine.
Accuracy (what the words are) is checked only for engines running real weights: FunASR's
weights cannot be downloaded on CI machines, so its engine runs here on randomly initialised
models (tests/conftest.py: funasr_random_models) whose text is random characters; its
accuracy is measured with real weights by `captioner bench --engine funasr` (docs/funasr.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from captioner.asr.recognizer import Recognizer
from captioner.asr.whisper.engine import WhisperStreamingOptions
from captioner.text.script import Script, convert_script
from captioner.transcript.metrics import character_error_rate
from tests.support.data import zh_stream
from tests.support.engine_run import funasr_engine, stream, whisper_engine

pytestmark = pytest.mark.model


@dataclass
class EngineFactory:
    make: Callable[..., Recognizer]
    real_weights: bool  # False: random weights, the words mean nothing (structure only)

    def __call__(self, **options) -> Recognizer:
        return self.make(**options)


@pytest.fixture(
    params=[pytest.param("whisper", marks=pytest.mark.kernels), "funasr-random-weights"]
)
def make_engine(request) -> EngineFactory:
    if request.param == "whisper":
        whisper_base = request.getfixturevalue("whisper_base")
        return EngineFactory(
            lambda **options: whisper_engine(
                whisper_base.model, WhisperStreamingOptions(**options)
            ),
            real_weights=True,
        )
    if request.param == "funasr-random-weights":
        loaded = request.getfixturevalue("funasr_random")
        return EngineFactory(lambda **options: funasr_engine(loaded, **options), False)
    raise AssertionError(request.param)


def test_speech_becomes_confirmed_simplified_text(make_engine):
    audio, reference = zh_stream([2, 61, 72])
    run = stream(make_engine(), audio)
    if make_engine.real_weights:
        assert character_error_rate(run.text, reference) < 0.25
    assert convert_script(run.text, Script.SIMPLIFIED) == run.text  # nothing Traditional
    assert len(run.finals) >= 3


def test_traditional_output_when_chosen(make_engine):
    audio, _ = zh_stream([61])  # 曼萨尼约港口被关闭
    run = stream(make_engine(script=Script.TRADITIONAL), audio)
    if make_engine.real_weights:
        assert "關閉" in run.text
    assert run.text
    assert convert_script(run.text, Script.TRADITIONAL) == run.text


def test_partials_come_before_the_utterance_is_confirmed(make_engine):
    audio, _ = zh_stream([16])  # 3.6 s
    run = stream(make_engine(), audio)
    first_final_at = run.finals[0][0]
    shown = [p for at, p in run.partials if p.text and at < first_final_at]
    assert shown, "no partial text was shown before the confirmation"


def test_confirmed_segments_are_append_only_and_timed_in_order(make_engine):
    audio, _ = zh_stream([2, 16, 61, 72])
    run = stream(make_engine(), audio)
    segments = [s for _, s in run.finals]
    for s in segments:
        assert 0 <= s.start <= s.end <= audio.shape[0] / 16000 + 0.5
    starts = [s.start for s in segments]
    assert starts == sorted(starts)
    arrival = [at for at, _ in run.finals]
    assert arrival == sorted(arrival)
    # After the last confirmation the partial is empty: nothing unconfirmed lingers.
    assert run.partials[-1][1].text == ""


def test_finish_confirms_speech_still_in_progress(make_engine):
    audio, _ = zh_stream([71], gap_s=0.0)  # 5 s
    half = audio[: int(audio.shape[0] * 0.7)]
    engine = make_engine()
    run = stream(engine, half, finish=False)
    assert run.text == ""  # no pause yet: nothing confirmed
    update = engine.finish()
    assert "".join(s.text for s in update.confirmed)
    assert update.partial is not None and update.partial.text == ""


def test_silence_and_noise_produce_nothing(make_engine):
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(16000 * 6) * 0.003).astype(np.float32)
    run = stream(make_engine(), audio)
    assert run.text == ""
    assert all(p.text == "" for _, p in run.partials)


def test_reset_leaks_nothing_into_the_next_stream(make_engine):
    first, _ = zh_stream([18])
    second, _ = zh_stream([36])
    engine = make_engine()
    stream(engine, first[: first.shape[0] // 2], finish=False)  # mid-utterance
    engine.reset()
    after_reset = stream(engine, second)
    fresh = stream(make_engine(), second)
    assert after_reset.text == fresh.text
    # The clock keeps running across a reset: times are after the audio fed before it.
    offset = (first.shape[0] // 2) / 16000
    assert after_reset.finals[0][1].start >= offset
