"""Trying the GPU where a crash cannot take the app down: in a child process.

A CUDA library that is missing or of the wrong version does not always raise. CTranslate2's
own cuDNN stub prints "Could not locate cudnn_ops64_9.dll ... Cannot load symbol" and ends
the process at the first cuDNN call (faster-whisper #1080, #1230): no exception, so no
fallback, and the app is gone without a word. So before a model is loaded on the GPU, a child
process loads one and encodes a moment of silence (the first cuDNN and cuBLAS calls). If the
child fails, dies or hangs, the model goes on the CPU and the user reads why; only when it
worked is the model loaded on the GPU in the app itself.

The child writes what native code prints (stderr, file descriptor 2) to a file, so that a
library that ended it is named in the reason.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from captioner.i18n import translate

TIMEOUT_S = 180.0  # a large model read from a slow disk for the first time
Probe = Callable[[str, str, str], None]  # (model folder, compute type, result file)


@dataclass(frozen=True)
class CudaCheck:
    works: bool
    failure: str = ""  # what went wrong, as CTranslate2 or the child's stderr said it


def probe_cuda(model: str, compute_type: str, result: str) -> None:
    """In the child: load ``model`` on the GPU and encode 0.1 s of silence."""
    from captioner.asr.whisper.faster_whisper_api import encode_silence
    from captioner.asr.whisper.libraries import use_pip_cuda_libraries
    from captioner.asr.whisper.opening import open_whisper_model

    use_pip_cuda_libraries()
    try:
        encode_silence(open_whisper_model(Path(model), "cuda", compute_type))
    except Exception as exc:  # reported to the parent, which explains it
        Path(result).write_text(json.dumps({"works": False, "failure": str(exc)}), "utf-8")
        return
    Path(result).write_text(json.dumps({"works": True}), "utf-8")


def _child(probe: Probe, model: str, compute_type: str, result: str, log: str) -> None:
    # Native libraries write to file descriptor 2 directly: keep what they say.
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(descriptor, 2)
    probe(model, compute_type, result)


def check_cuda(
    model: Path, compute_type: str, probe: Probe = probe_cuda, timeout_s: float = TIMEOUT_S
) -> CudaCheck:
    """Whether ``model`` loads and runs on the GPU, tried in a child process."""
    context = multiprocessing.get_context("spawn")  # a fresh process: nothing inherited
    with tempfile.TemporaryDirectory(prefix="captioner-cuda-") as folder:
        result, log = Path(folder, "result.json"), Path(folder, "stderr.txt")
        child = context.Process(
            target=_child,
            args=(probe, str(model), compute_type, str(result), str(log)),
            name="cuda-check",
            daemon=True,
        )
        child.start()
        child.join(timeout_s)
        if child.is_alive():
            child.kill()
            child.join()
            return CudaCheck(
                False,
                translate(
                    "recognition", "the GPU check did not finish within {seconds:.0f} s"
                ).format(seconds=timeout_s),
            )
        said = _tail(log)
        if result.is_file():
            answer = json.loads(result.read_text("utf-8"))
            failure = str(answer.get("failure", ""))
            return CudaCheck(bool(answer["works"]), "\n".join(filter(None, [failure, said])))
        return CudaCheck(
            False,
            translate(
                "recognition",
                "the GPU libraries ended the check process (exit code {code}). {said}",
            ).format(code=_exit_code(child.exitcode), said=said),
        )


def _tail(log: Path, lines: int = 6) -> str:
    try:
        text = log.read_text("utf-8", errors="replace")
    except OSError:
        return ""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def _exit_code(code: int | None) -> str:
    """As Windows shows it (0xC0000409 for an abort), or the signal on other systems."""
    if code is None:
        return "?"
    if code < 0:
        return f"signal {-code}"
    return f"0x{code:08X}" if code > 0xFFFF else str(code)
