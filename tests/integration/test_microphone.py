"""The real capture path: PortAudio reading the PulseAudio virtual microphone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from captioner.asr.session import StreamingSession
from captioner.asr.whisper.engine import WhisperStreamingRecognizer
from captioner.audio.microphone import MicrophoneSource
from captioner.audio.source import SourceReader
from captioner.transcript.events import read_events
from captioner.transcript.metrics import character_error_rate
from tests.support.data import play_into_mic, write_wav, zh_clip, zh_stream

pytestmark = [pytest.mark.model, pytest.mark.mic]


def test_listen_captions_what_the_microphone_hears(virtual_mic, tmp_path):
    audio, reference = zh_stream([61, 72])  # right from a file under every kernel set
    wav = write_wav(tmp_path / "speech.wav", np.concatenate([audio, np.zeros(8000, np.float32)]))
    events_path = tmp_path / "events.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "captioner", "listen", "--events", str(events_path)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **virtual_mic},
    )
    try:
        line = process.stderr.readline()
        while line and "Captioning" not in line:
            line = process.stderr.readline()
        assert "Captioning" in line, "listen never started capturing"
        play_into_mic(wav, virtual_mic)
        time.sleep(2.0)  # let the last utterance end and be confirmed
        process.send_signal(signal.SIGINT)  # Ctrl+C: confirm what is pending and stop
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    finals = [e for e in read_events(events_path) if e.type == "final"]
    confirmed = "".join(e.text for e in finals)
    assert character_error_rate(confirmed, reference) < 0.25, confirmed
    assert stdout.split() == [e.text for e in finals]
    assert "Traceback" not in stderr


def test_device_rate_capture_is_mixed_down_and_resampled(virtual_mic, whisper_base):
    """Capturing at 48 kHz stereo (as many Windows devices insist) still recognises."""
    path, reference = zh_clip(61)
    source = MicrophoneSource(None, sample_rate=48000, channels=2)
    assert (source.sample_rate, source.channels) == (48000, 2)
    session = StreamingSession(SourceReader(source), WhisperStreamingRecognizer(whisper_base.model))
    source.start()
    confirmed = []
    try:
        player = subprocess.Popen(
            ["paplay", "-d", "captioner_virt", str(path)], env={**os.environ, **virtual_mic}
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not confirmed:
            update, status = session.step()
            confirmed += update.confirmed
            time.sleep(0.02)
        player.wait(timeout=10)
    finally:
        source.stop()
    assert source.error is None
    assert status.dropped_s == 0
    text = "".join(s.text for s in confirmed)
    assert character_error_rate(text, reference) < 0.25, text
