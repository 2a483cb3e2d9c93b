"""faster-whisper engine specifics: agreement on long speech, English, load levels, CUDA."""

from __future__ import annotations

import numpy as np
import pytest

from captioner.asr.vad import SileroVad, SpeechSegmenter
from captioner.asr.whisper.engine import WhisperStreamingOptions
from captioner.asr.whisper.loading import load_whisper
from captioner.asr.whisper.repeats import MIN_REPEAT_CHARS, shared_run
from captioner.audio.file_source import read_audio_file
from captioner.errors import ModelError
from captioner.text.script import Script, convert_script
from captioner.text.vocabulary import parse_entries
from captioner.transcript.metrics import character_error_rate
from tests.support.data import speech, varied_stream, zh_clip, zh_stream
from tests.support.engine_run import SimulatedCpu, stream, whisper_engine

pytestmark = pytest.mark.model


def continuous_speech(numbers: list[int], gap_s: float = 0.12) -> tuple[np.ndarray, str]:
    """Clips with their silences cut out and ``gap_s`` between them: one long utterance
    (while the gaps are shorter than the VAD's end of utterance)."""
    parts, texts = [], []
    for n in numbers:
        path, text = zh_clip(n)
        clip = read_audio_file(path)
        padded = np.concatenate([clip, np.zeros(16000, np.float32)])
        events = SpeechSegmenter().feed(SileroVad()(padded))
        start, end = events[0].sample, min(events[-1].sample, clip.shape[0])
        parts += [clip[start:end], np.zeros(int(gap_s * 16000), np.float32)]
        texts.append(text)
    return np.concatenate(parts), "".join(texts)


@pytest.mark.kernels
def test_long_speech_without_pauses_is_confirmed_while_it_goes_on(whisper_base):
    audio, reference = continuous_speech([2, 16, 18, 36, 59, 61, 72])
    duration = audio.shape[0] / 16000
    assert duration > 16
    options = WhisperStreamingOptions(agreement_after_s=4.0, max_utterance_s=12.0)
    engine = whisper_engine(whisper_base.model, options)
    largest_buffer = 0.0
    run = None
    # After each cut: what vouches for the rest until its own partial (shared with the piece).
    vouching = []
    cut = engine.confirm_up_to

    def confirm_up_to(at):
        segments = cut(at)
        heard = convert_script(engine._utterance.heard, Script.SIMPLIFIED)  # as shown
        vouching.append(shared_run(heard, "".join(s.text for s in segments)))
        return segments

    engine.confirm_up_to = confirm_up_to
    for i in range(0, audio.shape[0], 16000):
        run = stream(engine, audio[i : i + 16000], finish=False, run=run)
        largest_buffer = max(largest_buffer, engine.buffered_seconds)
    early = [s for at, s in run.finals if at < duration - 1.0]
    assert early, "nothing was confirmed before the speech ended"
    run.finals += [(duration, s) for s in engine.finish().confirmed]
    # Work stays bounded: the buffer holds at most the utterance limit plus the context.
    assert largest_buffer <= options.max_utterance_s + options.context_s + 1.5
    assert character_error_rate(run.text, reference) < 0.3
    # The confirmed piece never vouches for the rest's second pass (which would let one that
    # writes the piece again, its context, pass as heard).
    assert vouching and all(len(run) < MIN_REPEAT_CHARS for run in vouching), vouching


@pytest.mark.kernels
def test_a_cut_in_a_pause_reuses_its_second_pass(whisper_base):
    # Short pauses (0.3 s: the utterance goes on) start a second pass that speech then makes
    # useless, unless the long utterance is cut in that pause. Then it is confirmed as is.
    audio, reference = continuous_speech([2, 16, 18, 36, 59, 61, 72], gap_s=0.3)
    engine = whisper_engine(whisper_base.model, WhisperStreamingOptions(agreement_after_s=4.0))
    run = stream(engine, np.concatenate([np.zeros(16000, np.float32), audio]))
    assert engine.stats.inner_pauses_reused >= 1
    assert character_error_rate(run.text, reference) < 0.3, run.text


def test_a_second_pass_hears_at_most_its_limit_of_audio(whisper_base):
    # Context (15 s) and a long utterance together would need a 25 or 30 s encoder window,
    # twice the encoding time of 20 s on the 2-core CPU: the default limit is 19.5 s of
    # audio. Here a lower limit, which read clips of up to 6.7 s and their context reach.
    audio, _ = zh_stream([11, 12, 13, 14, 15, 16])
    options = WhisperStreamingOptions(max_pass_audio_s=9.5)
    engine = whisper_engine(whisper_base.model, options)
    heard: list[float] = []  # seconds of audio each beam-search (second) pass heard
    decode = engine.decoder.decode

    def recording_decode(audio, offset_s, settings, *args, **kwargs):
        if settings.beam_size > 1:
            heard.append(audio.shape[0] / 16000)
        return decode(audio, offset_s, settings, *args, **kwargs)

    engine.decoder.decode = recording_decode  # type: ignore[method-assign]
    stream(engine, audio)
    assert max(heard) <= 9.5 + 0.01, heard
    assert sum(h > 5.0 for h in heard) >= 3, heard  # context was heard, up to the limit


def test_partials_of_long_speech_leave_the_worker_idle_half_the_time(whisper_base):
    # On a CPU where a partial of long speech takes longer than the 0.5 s step (here 0.3 s
    # plus 0.05 s per second of audio, up to 1.3 s), partials every step kept the worker
    # nearly always busy: a pause waited for the decode in progress before its second pass
    # could start. 19 s of speech, not cut.
    audio, _ = continuous_speech([2, 16, 18, 36, 59, 61, 72])
    options = WhisperStreamingOptions(agreement_after_s=30.0, max_utterance_s=30.0)
    slow = SimulatedCpu(base_s=0.3, per_audio_s=0.05)
    engine = whisper_engine(whisper_base.model, options, cpu=slow)
    partial_seconds: list[float] = []
    decode = engine.decoder.decode

    def timed_decode(audio, offset_s, settings, *args, **kwargs):
        began = slow.now
        result = decode(audio, offset_s, settings, *args, **kwargs)
        if settings.beam_size == 1:
            partial_seconds.append(slow.now - began)
        return result

    engine.decoder.decode = timed_decode  # type: ignore[method-assign]
    run = stream(engine, audio, finish=False)
    assert len(run.partials) >= 5
    assert max(partial_seconds) > options.step_s  # the case this is about
    # All but the last decode are followed by at least as much audio as they took.
    assert sum(partial_seconds[:-1]) <= 0.5 * audio.shape[0] / 16000, partial_seconds


@pytest.mark.kernels
def test_an_utterance_right_after_another_is_not_confirmed_as_a_repeat_of_it(whisper_base):
    # The second pass hears the audio before the utterance as context. On this pair it
    # confirmed the next utterance as the previous sentence again, or with it in front.
    audio, reference = varied_stream(["funasr_asr_example.wav", "paddlespeech_zh.wav"])
    engine = whisper_engine(whisper_base.model)
    finals = [s.text for _, s in stream(engine, audio).finals]
    for i, text in enumerate(finals[1:], start=1):
        repeated = shared_run(text, "".join(finals[:i]))
        assert len(repeated) < 5, f"{text!r} repeats {repeated!r} of {finals[:i]}"
    assert character_error_rate("".join(finals), reference) < 0.2, finals


@pytest.mark.kernels
def test_agreement_policy_confirms_by_agreement_alone(whisper_base):
    audio, reference = continuous_speech([61, 72, 76])
    engine = whisper_engine(whisper_base.model, WhisperStreamingOptions(policy="agreement"))
    run = stream(engine, audio)
    assert len(run.finals) >= 2  # pieces confirmed as hypotheses agreed, not one at the end
    assert character_error_rate(run.text, reference) < 0.35


@pytest.mark.kernels
def test_english_with_tiny_en(whisper_tiny_en):
    audio = read_audio_file(speech("en_librispeech/1089-134686-0001.wav"))
    audio = np.concatenate([audio, np.zeros(16000, np.float32)])
    engine = whisper_engine(whisper_tiny_en.model, WhisperStreamingOptions(language="en"))
    run = stream(engine, audio)
    reference = (
        "AFTER EARLY NIGHTFALL THE YELLOW LAMPS WOULD LIGHT UP HERE AND THERE THE "
        "SQUALID QUARTER OF THE BROTHELS"
    )
    words = run.text.lower().replace(",", "").replace(".", "").split()
    expected = reference.lower().split()
    assert len(set(words) & set(expected)) >= len(expected) * 0.7
    assert " " in run.text  # English keeps its word spacing


@pytest.mark.kernels
def test_higher_load_levels_still_transcribe(whisper_base):
    audio, reference = zh_stream([2, 61])
    engine = whisper_engine(whisper_base.model)
    engine.set_load_level(3)  # no partials, cheapest second pass
    run = stream(engine, audio)
    assert not [p for _, p in run.partials if p.text]
    # Degraded on purpose (greedy, shorter window), but still recognisably the speech.
    assert character_error_rate(run.text, reference) < 0.5


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_whisper(str(tmp_path / "no-such-model"))


def test_corrupt_model_file_is_a_clear_error(tmp_path):
    (tmp_path / "model.bin").write_bytes(b"not a model")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="Could not load"):
        load_whisper(str(tmp_path), device="cpu")


def test_language_detection_decides_the_first_decode_once_per_utterance(whisper_base):
    # With --language auto the start-of-transcript tokens must be the detected language's:
    # they were built before detection, so each utterance's first decode was in English.
    from captioner.asr.whisper.decoding import DecodeSettings, WhisperDecoder

    path, reference = zh_clip(61)
    audio = read_audio_file(path)
    decoder = WhisperDecoder(whisper_base.model, None)
    first = decoder.decode(audio, 0.0, DecodeSettings())
    assert decoder.detected == "zh"
    assert character_error_rate(convert_script(first.text, Script.SIMPLIFIED), reference) < 0.3
    decoder.decode(audio[: audio.shape[0] // 2], 0.0, DecodeSettings())
    assert decoder.detections == 1  # once per utterance, not on every decode
    decoder.new_utterance()
    decoder.decode(audio, 0.0, DecodeSettings())
    assert decoder.detections == 2


@pytest.mark.kernels
def test_vocabulary_puts_a_name_right(whisper_base):
    # A person's name the base model writes as other words (或试验 / 或是愿); with the name in
    # the vocabulary it is written right, under every CPU kernel set.
    audio, reference = zh_stream([20])
    plain = stream(whisper_engine(whisper_base.model), audio).text
    options = WhisperStreamingOptions(vocabulary=parse_entries(["霍思燕"]))
    biased = stream(whisper_engine(whisper_base.model, options), audio).text
    assert "霍思燕" not in plain, plain
    assert "霍思燕" in biased, biased
    assert character_error_rate(biased, reference) < character_error_rate(plain, reference)


def test_a_replacement_rule_changes_what_the_engine_wrote(whisper_base):
    # The rule is given what this machine's kernels wrote (the clip ends in 惹火, written
    # 惹火 or 热火 by kernel): rules act on the text, whatever the model heard.
    audio, _ = zh_stream([20])
    plain = stream(whisper_engine(whisper_base.model), audio).text.rstrip("。，")
    wrote = plain[-2:]
    options = WhisperStreamingOptions(vocabulary=parse_entries([f"{wrote} => 火辣"]))
    ruled = stream(whisper_engine(whisper_base.model, options), audio).text
    assert ruled.rstrip("。，") == plain.replace(wrote, "火辣"), (plain, ruled)


@pytest.mark.kernels
def test_a_quiet_speaker_right_after_another_is_heard(whisper_base):
    # The quiet clip of the varied set (-59 dBFS RMS, like a microphone turned down) right
    # after another speaker: the VAD's state kept it below the threshold and none of it was
    # confirmed. Now the VAD starts afresh in the silence between them and the quiet
    # utterance is lifted before decoding.
    audio, reference = varied_stream(["funasr_asr_example.wav", "glmasr_example_zh.wav"])
    finals = [s.text for _, s in stream(whisper_engine(whisper_base.model), audio).finals]
    assert character_error_rate(finals[0], "欢迎大家来体验达摩院推出的语音识别模型") < 0.15, finals
    quiet = "".join(finals[1:])
    assert "非常" in quiet and "准确" in quiet, finals
    assert character_error_rate("".join(finals), reference) < 0.45, finals
