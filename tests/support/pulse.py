"""PulseAudio for the system-audio tests: sinks standing in for speakers and microphones.

The virtual microphone (shared/tools/virtual-mic.sh) makes one null sink, captioner_virt: the
default output, so its monitor is "what the computer plays". A second null sink stands in for
the microphone (the default input becomes its monitor), so each side hears only what is
played into it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SPEAKERS = "captioner_virt"  # the default output (tools/virtual-mic.sh)
MIC = "captioner_mic2"  # a second null sink: the microphone of these tests


def pactl(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        ["pactl", *args], env={**os.environ, **env}, check=True, capture_output=True, text=True
    ).stdout.strip()


def load_null_sink(env: dict[str, str], name: str) -> str:
    """A null sink (16 kHz mono, as the virtual microphone's); returns its module index."""
    return pactl(
        env, "load-module", "module-null-sink", f"sink_name={name}", "rate=16000", "channels=1"
    )


def play(path: Path, sink: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["paplay", "-d", sink, str(path)], env={**os.environ, **env})
