"""The `captioner` command, run as a user runs it (a subprocess), on real audio."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from captioner.text.script import Script, convert_script
from captioner.transcript.events import read_events
from captioner.transcript.metrics import character_error_rate
from tests.support.cli import assert_no_traceback, captioner
from tests.support.data import speech, write_wav, zh_clip, zh_stream

pytestmark = pytest.mark.model


@pytest.mark.kernels
def test_transcribe_prints_the_whole_file_in_simplified():
    path, reference = zh_clip(61)
    result = captioner("transcribe", str(path))
    assert result.returncode == 0, result.stderr
    assert character_error_rate(result.stdout, reference) < 0.2
    assert convert_script(result.stdout, Script.SIMPLIFIED) == result.stdout


@pytest.mark.kernels
def test_transcribe_traditional_script():
    path, _ = zh_clip(61)
    result = captioner("transcribe", str(path), "--script", "traditional")
    assert result.returncode == 0, result.stderr
    assert "關閉" in result.stdout


@pytest.mark.kernels
def test_live_transcription_streams_partials_and_finals_as_jsonl(tmp_path):
    audio, reference = zh_stream([61, 72])  # right from a file under every kernel set
    wav = write_wav(tmp_path / "two.wav", audio)
    events_path = tmp_path / "events.jsonl"
    result = captioner("transcribe", str(wav), "--live", "--events", str(events_path))
    assert result.returncode == 0, result.stderr
    lines = events_path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        assert set(json.loads(line)) == {"t", "type", "text", "start", "end"}
    events = read_events(events_path)
    assert {e.type for e in events} == {"partial", "final"}
    assert [e.t for e in events] == sorted(e.t for e in events)
    finals = [e for e in events if e.type == "final"]
    first_final = events.index(finals[0])
    assert any(e.type == "partial" and e.text for e in events[:first_final])
    confirmed = "".join(e.text for e in finals)
    assert character_error_rate(confirmed, reference) < 0.25
    # stdout carries the confirmed lines, in order
    assert result.stdout.split() == [e.text for e in finals]
    # streamed at real-time pace: the last final cannot come before the audio ended
    assert finals[-1].t >= audio.shape[0] / 16000 - 1.0


def test_unreadable_file_is_a_clear_error(tmp_path):
    notes = tmp_path / "notes.wav"
    notes.write_text("this is not audio", encoding="utf-8")
    result = captioner("transcribe", str(notes))
    assert result.returncode == 2
    assert "Cannot read" in result.stderr and "notes.wav" in result.stderr
    assert_no_traceback(result)


def test_missing_file_is_a_clear_error(tmp_path):
    result = captioner("transcribe", str(tmp_path / "nothing.mp3"), "--live")
    assert result.returncode == 2
    assert "Audio file not found" in result.stderr
    assert_no_traceback(result)


def test_missing_model_is_a_clear_error(tmp_path):
    path, _ = zh_clip(2)
    result = captioner("transcribe", str(path), "--model", str(tmp_path / "no-model"))
    assert result.returncode == 2
    assert "Model folder not found" in result.stderr
    assert_no_traceback(result)


def test_unknown_input_device_is_a_clear_error(virtual_mic):
    result = captioner("listen", "--input", "no such microphone 12345", env=virtual_mic)
    assert result.returncode == 2
    assert "No input device is called 'no such microphone 12345'" in result.stderr
    assert "captioner devices" in result.stderr  # and says how to see the real ones
    assert_no_traceback(result)


@pytest.mark.skipif(
    Path("/proc/asound/cards").is_file()
    and "no soundcards" not in Path("/proc/asound/cards").read_text(),
    reason="this machine has sound cards, so it is never without an input device",
)
def test_no_input_device_at_all_is_a_clear_error(tmp_path):
    # PortAudio reaches inputs here only through PulseAudio: with no server, there are none.
    env = {"PULSE_SERVER": f"unix:{tmp_path}/no-server", "XDG_RUNTIME_DIR": str(tmp_path)}
    result = captioner("listen", env=env)
    assert result.returncode == 2
    assert "No microphone or other audio input device was found" in result.stderr
    assert_no_traceback(result)


def test_system_audio_without_a_sound_server_is_a_clear_error(tmp_path):
    env = {"PULSE_SERVER": f"unix:{tmp_path}/no-server", "XDG_RUNTIME_DIR": str(tmp_path)}
    result = captioner("listen", "--source", "system", env=env)
    assert result.returncode == 2
    assert "Capturing what the computer plays is not possible here" in result.stderr
    assert "sound server" in result.stderr
    assert_no_traceback(result)


def test_devices_lists_the_virtual_microphone(virtual_mic):
    result = captioner("devices", env=virtual_mic)
    assert result.returncode == 0, result.stderr
    assert "*" in result.stdout  # the default input is marked
    # and the outputs whose sound --source system captions: the virtual microphone's sink
    assert "Outputs" in result.stdout and "captioner_virt" in result.stdout


def test_flac_and_mp3_input_are_decoded(tmp_path):
    import av

    from captioner.audio.file_source import read_audio_file

    source = read_audio_file(speech("zh_biaobei_csmsc/000061.wav"))
    for codec, suffix in (("flac", ".flac"), ("mp3", ".mp3")):
        path = tmp_path / f"clip{suffix}"
        with av.open(str(path), "w") as out:
            stream = out.add_stream(codec, rate=44100)
            stream.layout = "stereo"
            frame = av.AudioFrame.from_ndarray(
                np.repeat(source[None, :], 2, axis=0).astype(np.float32),
                format="fltp",
                layout="stereo",
            )
            frame.sample_rate = 16000
            resampler = av.AudioResampler(format=stream.format.name, layout="stereo", rate=44100)
            for resampled in resampler.resample(frame) + resampler.resample(None):
                for packet in stream.encode(resampled):
                    out.mux(packet)
            for packet in stream.encode(None):
                out.mux(packet)
        decoded = read_audio_file(path)
        assert abs(decoded.shape[0] / 16000 - source.shape[0] / 16000) < 0.2
        result = captioner("transcribe", str(path))
        assert result.returncode == 0, result.stderr
        assert "港口" in result.stdout


def test_bench_prints_a_json_summary(tmp_path):
    audio, _ = zh_stream([2, 61, 72])
    wav = write_wav(tmp_path / "stream.wav", audio)
    ref = tmp_path / "stream.txt"
    ref.write_text("\n".join(zh_clip(n)[1] for n in (2, 61, 72)), encoding="utf-8")
    result = captioner(
        "bench", "--audio", str(wav), "--ref", str(ref), env={"CT2_FORCE_CPU_ISA": "AVX2"}
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    # The figures say which int8 kernels produced them (the text depends on it).
    assert summary["cpu_kernels"].startswith("AVX2, ")
    for key in (
        "cer",
        "offline_cer",
        "cer_ratio",
        "confirm_latency_s",
        "display_latency_s",
        "rtf",
        "max_lag_s",
        "dropped_audio_s",
        "peak_memory_mb",
    ):
        assert key in summary
    assert summary["utterances"] == 3 and summary["missed_utterances"] == 0
    assert summary["cer"] < 0.3
    assert summary["dropped_audio_s"] == 0
    assert summary["confirm_latency_s"]["median"] < 5


@pytest.mark.kernels
def test_vocabulary_file_terms_and_rules(tmp_path):
    path, _ = zh_clip(20)  # 霍思燕露背秀乳沟性感惹火: a name the base model does not know
    vocabulary = tmp_path / "words.txt"
    # The rule acts on the term the line before puts in, not on a word the model may write
    # another way under other CPU kernels.
    vocabulary.write_text("# 人名\n霍思燕\n霍思燕 => 霍思燕 (Huo Siyan)\n", encoding="utf-8")
    for mode in ([], ["--live"]):
        result = captioner("transcribe", str(path), *mode, "--vocabulary", str(vocabulary))
        assert result.returncode == 0, result.stderr
        assert "霍思燕 (Huo Siyan)" in result.stdout, (mode, result.stdout)
    missing = captioner("transcribe", str(path), "--vocabulary", str(tmp_path / "none.txt"))
    assert missing.returncode == 2
    assert "vocabulary file" in missing.stderr and "does not exist" in missing.stderr
    assert_no_traceback(missing)
