"""The FunASR engine on randomly initialised FunASR models, through the real AutoModel path.

The models (tests/conftest.py: funasr_random_models) have FunASR's real architecture, token
list and front end but random weights: the text is random characters, so these tests check
how audio moves through the models (chunking, caches, is_final, endpoints, second pass,
punctuation, reset, timestamps), never which words come out.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from captioner.asr.engine_core import display_text
from captioner.asr.funasr.pipeline import StreamState
from captioner.audio.file_source import read_audio_file
from captioner.text.normalize import normalize_for_scoring
from tests.support.data import zh_clip, zh_stream
from tests.support.engine_run import CHUNK, funasr_engine, stream

pytestmark = pytest.mark.model
SR = 16000


class Recorder:
    """Wraps a pipeline's model calls and records what each one was given."""

    def __init__(self, pipeline) -> None:
        self.stream_calls: list[tuple[int, int, bool, int]] = []  # (len, cache id, final, idx)
        self.second_passes: list[np.ndarray] = []
        stream_call, second_pass = pipeline.stream, pipeline.second_pass

        def stream_spy(state, audio, is_final=False):
            text = stream_call(state, audio, is_final)
            encoder = state.asr_cache.get("encoder", {})
            start_idx = int(encoder.get("start_idx", 0))
            self.stream_calls.append((audio.shape[0], id(state.asr_cache), is_final, start_idx))
            return text

        def second_pass_spy(audio):
            self.second_passes.append(audio.copy())
            return second_pass(audio)

        pipeline.stream = stream_spy
        pipeline.second_pass = second_pass_spy


def speech_span(audio: np.ndarray) -> tuple[float, float]:
    """First and last 25 ms frame above -20 dB: where the clip's speech is."""
    frames = (audio.shape[0] - 400) // 160 + 1
    energy = np.array([np.square(audio[i * 160 : i * 160 + 400]).sum() for i in range(frames)])
    loud = np.where(10 * np.log10(energy + 1e-6) >= -20)[0]
    return loud[0] * 0.01, (loud[-1] * 160 + 400) / SR


def test_streaming_model_gets_whole_steps_and_keeps_its_cache_within_an_utterance(
    funasr_random,
):
    engine = funasr_engine(funasr_random)
    spy = Recorder(engine.pipeline)
    audio, _ = zh_stream([16])  # one 3.6 s utterance
    run = stream(engine, audio)
    calls = spy.stream_calls
    assert len(calls) >= 4
    step = engine.pipeline.chunk_samples  # 600 ms
    assert all(length >= step for length, _, _, _ in calls)  # never less than a whole step
    assert len({cache for _, cache, _, _ in calls}) == 1  # one cache for the utterance
    positions = [start for _, _, _, start in calls]
    assert positions == sorted(positions) and positions[-1] > positions[0]  # carried on
    # The partial only grows within an utterance: streaming text is appended, not redone.
    texts = [p.text for _, p in run.partials if p.text]
    assert texts and all(b.startswith(a) for a, b in itertools.pairwise(texts))


def test_endpoint_confirms_the_punctuated_second_pass_and_clears_the_partial(funasr_random):
    engine = funasr_engine(funasr_random)
    spy = Recorder(engine.pipeline)
    clips = [2, 61, 72]
    audio, _ = zh_stream(clips)
    run = stream(engine, audio, finish=False)
    assert len(run.finals) == len(spy.second_passes) == len(clips)
    position, heard_audio = 0.0, list(spy.second_passes)
    for (at, segment), heard, clip in zip(run.finals, heard_audio, clips, strict=True):
        clip_audio = read_audio_file(zh_clip(clip)[0])
        begin, end = speech_span(clip_audio)
        # The second pass heard this clip's whole speech, and the segment is timed on it.
        assert segment.start <= position + begin + 0.05
        assert segment.end >= position + end - 0.05
        assert abs(heard.shape[0] / SR - (segment.end - segment.start)) < 0.01
        # Confirmed text is the offline pass over that audio, punctuated as one piece: it
        # ends with its sentence-final mark at once (not after the next sentence).
        expected = display_text(
            engine.pipeline.punctuate(engine.pipeline.second_pass(heard)), engine.options.script
        )
        assert segment.text == expected and segment.text[-1] in "。？"
        # It arrives within the endpoint delay (700 ms of silence, 100 ms VAD steps).
        assert at - segment.end < 1.0
        # The same update cleared the partial: no streaming fragment outlives its
        # confirmation.
        cleared = [p for t, p in run.partials if t == at]
        assert cleared and cleared[-1].text == ""
        position += clip_audio.shape[0] / SR + 0.6


def test_is_final_flushes_the_streaming_tail(funasr_random):
    engine = funasr_engine(funasr_random)
    pipeline, state = engine.pipeline, StreamState()
    audio, _ = zh_stream([2], gap_s=0.0)
    piece = audio[: int(2.1 * SR)]  # 3.5 steps of 600 ms: half a step waits in the cache
    text = pipeline.stream(state, piece)
    waiting = state.asr_cache["prev_samples"].shape[0]
    assert 0 < waiting < pipeline.chunk_samples
    tail = pipeline.stream(state, np.zeros(0, dtype=np.float32), is_final=True)
    # The flush decodes what waited plus the look-ahead frames: characters that without
    # is_final would never be emitted (sherpa-onnx #1373 "last character dropped").
    assert tail
    assert state.asr_cache["encoder"]["start_idx"] == 0  # FunASR restarted the cache
    again = StreamState()
    assert pipeline.stream(again, piece) == text  # same audio, fresh cache: same text


def test_without_a_second_pass_the_flushed_streaming_text_is_confirmed(funasr_random):
    engine = funasr_engine(funasr_random, second_pass=False)
    spy = Recorder(engine.pipeline)
    audio, _ = zh_stream([16])
    run = stream(engine, audio, finish=False)
    assert len(run.finals) == 1
    last_partial = [p.text for at, p in run.partials if p.text][-1]
    confirmed = normalize_for_scoring(run.finals[0][1].text)
    assert confirmed.startswith(normalize_for_scoring(last_partial))
    assert len(confirmed) > len(normalize_for_scoring(last_partial))  # the flushed tail
    assert spy.stream_calls[-1][2] is True  # is_final at the endpoint
    assert spy.second_passes == []


def test_long_speech_without_a_pause_is_confirmed_in_bounded_pieces(funasr_random):
    clip = read_audio_file(zh_clip(71)[0])
    begin, end = speech_span(clip)
    speech = clip[int(begin * SR) : int(end * SR)]
    audio = np.concatenate([speech] * 6)  # 27 s of speech, no pause of 0.3 s anywhere
    engine = funasr_engine(funasr_random, max_utterance_s=8.0)
    run = stream(engine, audio, finish=False)
    assert len(run.finals) >= 3
    for at, segment in run.finals[:-1]:
        # Confirmed while the speaker goes on, at most 8 s after the piece began: cut at
        # the quietest point of the last 3 s.
        assert at - segment.start <= 8.0 + 0.1
        assert 0.25 <= at - segment.end <= 3.0
    pieces = [s for _, s in run.finals]
    for left, right in itertools.pairwise(pieces):
        assert right.start == pytest.approx(left.end, abs=0.01)  # cut, nothing lost


def test_streams_sharing_the_models_do_not_leak_into_each_other(funasr_random):
    """Two streams interleaved chunk by chunk over the same loaded models give exactly what
    each gives alone: all per-stream state is in the stream's own caches."""
    first, _ = zh_stream([2, 61])
    second, _ = zh_stream([18, 36])
    alone_first = stream(funasr_engine(funasr_random), first)
    alone_second = stream(funasr_engine(funasr_random), second)
    a, b = funasr_engine(funasr_random), funasr_engine(funasr_random)
    texts = {"a": "", "b": ""}
    for i in range(0, max(first.shape[0], second.shape[0]), CHUNK):
        for name, engine, audio in (("a", a, first), ("b", b, second)):
            if i < audio.shape[0]:
                engine.feed(audio[i : i + CHUNK])
                texts[name] += "".join(s.text for s in engine.update().confirmed)
    texts["a"] += "".join(s.text for s in a.finish().confirmed)
    texts["b"] += "".join(s.text for s in b.finish().confirmed)
    assert texts["a"] == alone_first.text and texts["b"] == alone_second.text
    assert alone_first.text != alone_second.text


def test_finish_then_more_speech_starts_a_new_utterance(funasr_random):
    """Push-to-talk: release mid-sentence, press again; the next utterance starts clean and
    its times continue the stream clock."""
    audio, _ = zh_stream([18])
    engine = funasr_engine(funasr_random)
    half = audio[: audio.shape[0] // 2]
    stream(engine, half, finish=False)
    released = engine.finish()
    assert len(released.confirmed) == 1 and not engine.in_speech
    run = stream(engine, audio)
    fresh = stream(funasr_engine(funasr_random), audio)
    assert run.text == fresh.text
    assert run.finals[0][1].start >= half.shape[0] / SR


def test_partials_off_under_load_still_confirm(funasr_random):
    engine = funasr_engine(funasr_random)
    spy = Recorder(engine.pipeline)
    engine.set_load_level(3)
    audio, _ = zh_stream([2, 61])
    run = stream(engine, audio)
    assert spy.stream_calls == [] and len(run.finals) == 2
    assert all(p.text == "" for _, p in run.partials)


def test_partials_resume_with_the_next_utterance_when_the_load_eases(funasr_random):
    engine = funasr_engine(funasr_random)
    spy = Recorder(engine.pipeline)
    first, _ = zh_stream([16])
    mid = int(1.5 * SR)
    stream(engine, first[:mid], finish=False)
    engine.set_load_level(3)
    stream(engine, first[mid : mid + SR], finish=False)
    calls_before = len(spy.stream_calls)
    engine.set_load_level(0)
    rest = stream(engine, first[mid + SR :], finish=False)  # the same utterance goes on
    assert len(spy.stream_calls) == calls_before  # no burst to catch up on the utterance
    assert len(rest.finals) == 1
    second = stream(engine, zh_stream([2])[0], finish=False)
    assert any(p.text for _, p in second.partials)  # the next utterance streams again


def test_vad_restarts_after_long_silence_and_times_stay_right(funasr_random):
    engine = funasr_engine(funasr_random, vad_restart_s=2.0)
    silence = np.zeros(5 * SR, dtype=np.float32)
    clip = read_audio_file(zh_clip(61)[0])
    begin, end = speech_span(clip)
    run = stream(engine, np.concatenate([silence, clip, silence[:SR]]))
    assert engine.vad_restarts >= 1  # the VAD cache was restarted during the silence
    ((_, segment),) = run.finals
    assert segment.start == pytest.approx(5 + begin, abs=0.3)
    assert segment.end == pytest.approx(5 + end, abs=0.5)


def test_sensevoice_can_be_the_second_pass(funasr_random_models):
    from captioner.asr.config import FunasrConfig
    from captioner.asr.funasr.loading import load_funasr

    loaded = load_funasr(
        FunasrConfig(
            streaming_model=str(funasr_random_models["streaming"]),
            second_pass=str(funasr_random_models["sensevoice"]),
            vad_model=str(funasr_random_models["vad"]),
            punctuation=str(funasr_random_models["punc"]),
        ),
        device="cpu",
    )
    engine = funasr_engine(loaded)
    spy = Recorder(engine.pipeline)
    audio, _ = zh_stream([2, 61])
    run = stream(engine, audio)
    assert len(run.finals) == 2
    heard_audio = list(spy.second_passes)
    for (_, segment), heard in zip(run.finals, heard_audio, strict=True):
        raw = loaded.second_pass.generate(input=heard, language="zh", use_itn=False)[0]["text"]
        expected = display_text(engine.pipeline.punctuate(raw), engine.options.script)
        assert segment.text == expected and segment.text[-1] in "。？"
