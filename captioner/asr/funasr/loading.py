"""Loading the FunASR models (optional: `pip install "captioner[funasr]"`) on the best device.

funasr and torch are imported only here and only when the FunASR engine is chosen, so the
Whisper path works without them. FunASR prints to stdout and configures the root logger
when imported and when models are built; both are contained, since the CLI prints captions
on stdout and the app owns its logging.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from captioner.addons import addon_problems
from captioner.asr.config import NONE, DeviceChoice, FunasrConfig
from captioner.asr.downloads import ProgressCallback
from captioner.asr.funasr.models import resolve_funasr_model
from captioner.asr.funasr.pipeline import FunasrPipeline
from captioner.errors import CaptionerError, ModelError
from captioner.frozen import is_frozen
from captioner.i18n import translate

TORCH_CUDA_INDEX = "https://download.pytorch.org/whl/cu128"


def install_hint() -> str:
    """How to get the FunASR engine, in the interface's language (asked when shown: the
    translation is installed after this module is imported)."""
    if is_frozen():  # the installed app has no pip: the engine is an add-on (packaging/README.md)
        if addon_problems:  # one is there, but of another version (or damaged)
            return " ".join(addon_problems)
        return translate(
            "recognition",
            "Add it with the FunASR add-on (Captioner-FunASR-*.zip, for NVIDIA GPUs): "
            "Settings, Recognition, Engine FunASR, 'Install the FunASR add-on from its zip'.",
        )
    return translate(
        "recognition",
        'Install it with: pip install "captioner[funasr]". With an NVIDIA GPU, install the '
        "CUDA build of PyTorch first: pip install torch --index-url {index}",
    ).format(index=TORCH_CUDA_INDEX)


class FunasrMissing(CaptionerError):
    """funasr or torch is not installed."""


@contextlib.contextmanager
def quiet_funasr() -> Iterator[None]:
    """Keep FunASR's prints off stdout, its logging.basicConfig off the root logger, and
    its load-time warnings ("trust_remote_code: False") out of the user's terminal."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    disabled = root.manager.disable
    if not handlers:
        root.addHandler(logging.NullHandler())  # makes FunASR's basicConfig() a no-op
    logging.disable(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        logging.disable(disabled)
        root.handlers[:] = handlers
        root.setLevel(level)


def import_funasr() -> Any:
    """funasr's AutoModel class, or a message saying how to install the FunASR engine."""
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise FunasrMissing(
            translate(
                "recognition", "The FunASR engine needs PyTorch, which is not installed. {hint}"
            ).format(hint=install_hint())
        ) from exc
    try:
        with quiet_funasr():
            from funasr import AutoModel
    except ImportError as exc:
        raise FunasrMissing(
            translate(
                "recognition", "The FunASR engine is not installed ({module}). {hint}"
            ).format(module=exc.name or exc, hint=install_hint())
        ) from exc
    return AutoModel


def funasr_available() -> bool:
    """Whether the FunASR engine can be used (for settings: offer it or say how to install)."""
    from importlib import util

    return all(util.find_spec(name) is not None for name in ("torch", "funasr"))


@dataclass
class FunasrModelPaths:
    streaming: Path
    second_pass: Path | None
    vad: Path
    punctuation: Path | None


def resolve_all(
    settings: FunasrConfig,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> FunasrModelPaths:
    def resolve(spec: str) -> Path:
        return resolve_funasr_model(spec, settings.hub, progress=progress, cancel=cancel)

    return FunasrModelPaths(
        streaming=resolve(settings.streaming_model),
        second_pass=None if settings.second_pass == NONE else resolve(settings.second_pass),
        vad=resolve(settings.vad_model),
        punctuation=None if settings.punctuation == NONE else resolve(settings.punctuation),
    )


def choose_device(device: DeviceChoice) -> tuple[str, str | None]:
    """The torch device to use, and a notice when the GPU asked for cannot be used."""
    import torch

    if device == "cpu":
        return "cpu", None
    if torch.cuda.is_available():
        return "cuda:0", None
    if device == "auto" and torch.version.cuda is None and not _nvidia_gpu_present():
        return "cpu", None  # no GPU and a CPU build of torch: nothing to report
    if torch.version.cuda is None:
        why = translate(
            "recognition",
            "this PyTorch ({version}) is a CPU-only build. Install the CUDA build: "
            "pip install torch --index-url {index}",
        ).format(version=torch.__version__, index=TORCH_CUDA_INDEX)
    else:
        why = translate(
            "recognition", "PyTorch found no usable NVIDIA GPU (check the NVIDIA driver)"
        )
    return "cpu", gpu_not_used(why)


def gpu_not_used(why: str) -> str:
    """The notice when FunASR runs on the CPU although a GPU was wanted."""
    return translate(
        "recognition", "GPU not used for FunASR: {why}. Running on the CPU instead (slower)."
    ).format(why=why)


def _nvidia_gpu_present() -> bool:
    import shutil

    return shutil.which("nvidia-smi") is not None


@dataclass
class LoadedFunasr:
    streaming: Any  # funasr.AutoModel instances (imported lazily)
    second_pass: Any | None
    vad: Any
    punctuation: Any | None
    paths: FunasrModelPaths
    device: str
    notice: str | None = None


def load_funasr(
    settings: FunasrConfig,
    device: DeviceChoice = "auto",
    cpu_threads: int = 0,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> LoadedFunasr:
    auto_model = import_funasr()
    paths = resolve_all(settings, progress, cancel)
    torch_device, notice = choose_device(device)
    if torch_device != "cpu":
        try:
            return _build(auto_model, paths, torch_device, cpu_threads, notice)
        except (RuntimeError, OSError, ValueError) as exc:
            notice = gpu_not_used(str(exc).strip().splitlines()[0])
    try:
        return _build(auto_model, paths, "cpu", cpu_threads, notice)
    except (RuntimeError, OSError, ValueError, KeyError, IndexError, AssertionError) as exc:
        raise ModelError(
            translate("recognition", "Could not load the FunASR models: {exc}").format(exc=exc)
        ) from exc


def _build(
    auto_model: Any, paths: FunasrModelPaths, device: str, cpu_threads: int, notice: str | None
) -> LoadedFunasr:
    import os

    options = {
        "device": device,
        "ncpu": cpu_threads or os.cpu_count() or 4,
        "disable_update": True,  # no version check over the network
        "disable_pbar": True,
        "disable_log": True,
        "log_level": "ERROR",
        # FunASR's front end adds training-time dither noise at inference too (its default
        # 1.0): without it the same audio always gives the same text.
        "frontend_conf": {"dither": 0.0},
    }

    def build(path: Path | None) -> Any:
        if path is None:
            return None
        with quiet_funasr():
            return auto_model(model=str(path), **options)

    loaded = LoadedFunasr(
        streaming=build(paths.streaming),
        second_pass=build(paths.second_pass),
        vad=build(paths.vad),
        punctuation=build(paths.punctuation),
        paths=paths,
        device=device,
        notice=notice,
    )
    # CUDA libraries load on first use: run every model once so a missing one fails here,
    # at load time (and falls back to the CPU), not in the middle of the first sentence.
    with quiet_funasr():
        FunasrPipeline(
            loaded.streaming, loaded.vad, loaded.second_pass, loaded.punctuation
        ).warm_up()
    return loaded
