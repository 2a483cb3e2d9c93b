"""The shared test data beside the checkout (``../shared``): real speech with references.

Tests that need it call these helpers; where it is missing they skip and say so, and CI
(CAPTIONER_REQUIRE_SHARED=1) fails instead. Tests that need none of it never ask.
"""

from __future__ import annotations

import os
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from captioner.audio import SAMPLE_RATE

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CAPTIONER_SHARED", ROOT.parent / "shared"))
SPEECH = SHARED / "testdata" / "speech"
FUNASR_DATA = SHARED / "testdata" / "funasr"
VIRTUAL_MIC = SHARED / "tools" / "virtual-mic.sh"


def missing_extra(message: str) -> None:
    """Skip for want of an optional extra (the base model, FunASR), saying which; CI, which
    installs everything (CAPTIONER_REQUIRE_EXTRAS=1), fails instead."""
    if os.environ.get("CAPTIONER_REQUIRE_EXTRAS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_shared() -> None:
    if SPEECH.is_dir():
        return
    message = f"shared test data not found at {SPEECH} (set CAPTIONER_SHARED)"
    if os.environ.get("CAPTIONER_REQUIRE_SHARED") == "1":
        pytest.fail(message)
    pytest.skip(message)


def speech(relative: str) -> Path:
    """A recording under ../shared/testdata/speech."""
    require_shared()
    return SPEECH / relative


def biaobei_meta() -> dict[str, str]:
    lines = speech("zh_biaobei_csmsc/meta.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def zh_clip(number: int) -> tuple[Path, str]:
    """A read Mandarin clip and its reference text."""
    key = f"{number:06d}"
    return speech(f"zh_biaobei_csmsc/{key}.wav"), biaobei_meta()[key]


def zh_stream(numbers: list[int], gap_s: float = 0.6) -> tuple[np.ndarray, str]:
    """Clips joined with silence, as the benchmark builds its stream."""
    from captioner.audio.file_source import read_audio_file

    parts, texts = [], []
    for n in numbers:
        path, text = zh_clip(n)
        parts += [read_audio_file(path), np.zeros(int(gap_s * SAMPLE_RATE), np.float32)]
        texts.append(text)
    return np.concatenate(parts), "".join(texts)


def varied_clip(name: str) -> tuple[Path, str]:
    """A clip of the varied (conversational, accented, quiet...) Mandarin set and its text."""
    rows = speech("zh_varied/SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]
    references = {row.split("\t")[0]: row.split("\t")[-1] for row in rows if row.strip()}
    return speech(f"zh_varied/{name}"), references[name]


def varied_stream(names: list[str], gap_s: float = 0.6) -> tuple[np.ndarray, str]:
    from captioner.audio.file_source import read_audio_file

    parts, texts = [], []
    for name in names:
        path, text = varied_clip(name)
        parts += [read_audio_file(path), np.zeros(int(gap_s * SAMPLE_RATE), np.float32)]
        texts.append(text)
    return np.concatenate(parts), "".join(texts)


def write_wav(path: Path, audio: np.ndarray) -> Path:
    """16 kHz mono 16-bit: what a user's recording might be."""
    pcm = np.clip(np.round(audio * 32768), -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(SAMPLE_RATE)
        f.writeframes(pcm.tobytes())
    return path


def play_into_mic(path: Path, env: dict[str, str]) -> None:
    """Play a file into the virtual microphone and wait until it has been played."""
    subprocess.run(
        ["paplay", "-d", "captioner_virt", str(path)],
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )
