"""Loading a Whisper model on the best device, falling back to the CPU with a clear reason."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from captioner.asr.config import DeviceChoice
from captioner.asr.downloads import ProgressCallback
from captioner.asr.whisper.cuda_check import CudaCheck, check_cuda
from captioner.asr.whisper.faster_whisper_api import encode_silence
from captioner.asr.whisper.kernels import first_cpu_load
from captioner.asr.whisper.libraries import use_pip_cuda_libraries
from captioner.asr.whisper.models import (
    find_local_whisper_model,
    is_model_dir,
    resolve_whisper_model,
)
from captioner.asr.whisper.opening import open_whisper_model
from captioner.errors import ModelError
from captioner.frozen import bundle_variant, is_frozen
from captioner.i18n import translate

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


@dataclass
class LoadedWhisper:
    model: WhisperModel  # imported lazily: it pulls in ctranslate2
    path: Path
    device: str
    compute_type: str
    notice: str | None = None  # what the user should know, e.g. why CUDA was not used


def cuda_device_count() -> int:
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except RuntimeError:
        return 0


def default_compute_type(device: str) -> str:
    return "float16" if device == "cuda" else "int8"


def load_whisper(
    spec: str,
    device: DeviceChoice = "auto",
    compute_type: str = "auto",
    cpu_threads: int = 0,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    mirror: str | None = None,
    check: Callable[[Path, str], CudaCheck] = check_cuda,
) -> LoadedWhisper:
    """Load ``spec`` (downloading it first, from ``mirror`` if given) on ``device``.

    The GPU is used only after ``check`` (a child process: :mod:`cuda_check`) found that the
    model runs there; the CPU variant of the installed app never tries it."""
    path = resolve_whisper_model(spec, progress=progress, cancel=cancel, mirror=mirror)
    notice = None
    if bundle_variant() == "cpu":
        if device == "cuda":
            notice = translate(
                "recognition",
                "GPU not used: this is the CPU version of Captioner. Running on the CPU. "
                "Install the GPU version (Captioner-Setup-*-gpu.exe) to use an NVIDIA GPU.",
            )
    elif device == "cuda" or (device == "auto" and cuda_device_count() > 0):
        ct = default_compute_type("cuda") if compute_type == "auto" else compute_type
        checked = check(_check_model(path), ct)
        if checked.works:
            use_pip_cuda_libraries()
            try:
                model = _load(path, "cuda", ct, cpu_threads)
                return LoadedWhisper(model, path, "cuda", ct)
            except (RuntimeError, OSError, ValueError) as exc:
                notice = explain_cuda_failure(str(exc))
        else:
            notice = explain_cuda_failure(checked.failure)
    ct = default_compute_type("cpu") if compute_type in ("auto", "float16") else compute_type
    try:
        model = _load(path, "cpu", ct, cpu_threads)
    except (RuntimeError, OSError, ValueError) as exc:
        raise ModelError(
            translate("recognition", "Could not load the Whisper model in '{path}': {exc}").format(
                path=path, exc=exc
            )
        ) from exc
    return LoadedWhisper(model, path, "cpu", ct, notice)


def _check_model(path: Path) -> Path:
    """The model the GPU check loads: the base model where it is at hand (the libraries
    are what is checked, and base loads in a second), else the user's."""
    base = find_local_whisper_model("base")
    return base if base is not None and is_model_dir(base) else path


def gpu_unused_by_cpu_variant() -> bool:
    """The installed app is the CPU variant, and this computer has an NVIDIA GPU it could
    use with the GPU variant."""
    return bundle_variant() == "cpu" and cuda_device_count() > 0


def _load(path: Path, device: str, compute_type: str, cpu_threads: int) -> WhisperModel:
    def load() -> WhisperModel:
        return open_whisper_model(path, device, compute_type, cpu_threads)

    model = first_cpu_load(load) if device == "cpu" else load()
    # cuBLAS and cuDNN are loaded on first use: a missing library fails here, at load time,
    # and not in the middle of the user's first sentence.
    encode_silence(model)
    return model


_MISSING_LIBRARY = re.compile(r"((?:lib)?(cublas\w*|cudnn\w*|cudart\w*)[\w.]*)", re.IGNORECASE)


def explain_cuda_failure(message: str) -> str:
    """Turn a CTranslate2/CUDA error into what was missing and how to fix it."""
    lowered = message.lower()
    windows = sys.platform == "win32"
    if "driver version is insufficient" in lowered or "no cuda-capable device" in lowered:
        what = translate(
            "recognition",
            "no usable NVIDIA GPU driver was found (the CUDA driver is missing or too old)",
        )
        fix = translate("recognition", "Install or update the NVIDIA driver to use the GPU.")
    elif "sublibrary_version_mismatch" in lowered:
        what = translate("recognition", "the cuDNN libraries found are of different releases")
        fix = (
            translate(
                "recognition",
                "Reinstall the GPU version of Captioner (Captioner-Setup-*-gpu.exe).",
            )
            if is_frozen()
            else translate(
                "recognition",
                "Install the cuDNN release CTranslate2 was built with "
                '(pip install "captioner[cuda]" installs it).',
            )
        )
    elif "out of memory" in lowered:
        what = translate("recognition", "the GPU ran out of memory")
        fix = translate("recognition", "Close other GPU programs or choose a smaller model.")
    elif (match := _MISSING_LIBRARY.search(message)) is not None:
        library = match.group(1)
        family = match.group(2).lower()
        kind = (
            "cuDNN 9"
            if family.startswith("cudnn")
            else "CUDA 12 cuBLAS"
            if family.startswith("cublas")
            else translate("recognition", "CUDA 12 runtime")
        )
        what = translate(
            "recognition", "the NVIDIA {kind} library ({library}) could not be loaded"
        ).format(kind=kind, library=library)
        package = "nvidia-cudnn-cu12==9.*" if family.startswith("cudnn") else "nvidia-cublas-cu12"
        if is_frozen():
            fix = translate(
                "recognition",
                "Install the GPU version of Captioner (Captioner-Setup-*-gpu.exe), which has it.",
            )
        elif windows:
            fix = translate(
                "recognition",
                "Install it (pip install {package}) or put its DLLs in a folder on PATH.",
            ).format(package=package)
        else:
            fix = translate(
                "recognition",
                "Install it (pip install {package}) and add its lib folder to LD_LIBRARY_PATH.",
            ).format(package=package)
    else:
        what = translate("recognition", "CUDA failed: {message}").format(message=message.strip())
        fix = translate("recognition", "Check the NVIDIA driver and CUDA 12 libraries.")
    return translate(
        "recognition", "GPU not used: {what}. Running on the CPU instead (slower). {fix}"
    ).format(what=what, fix=fix)
