"""Probes for the GPU check that fail the ways CUDA libraries fail, for real, in the child
process (captioner.asr.whisper.cuda_check runs them as it runs its own probe)."""

from __future__ import annotations

import os
import time

# What CTranslate2's cuDNN stub prints before it ends the process (faster-whisper #1230).
CUDNN_STUB_SAYS = (
    "Could not locate cudnn_ops64_9.dll. Please make sure it is in your library path!\n"
    "Invalid handle. Cannot load symbol cudnnCreateTensorDescriptor\n"
)


def cudnn_stub_aborts(model: str, compute_type: str, result: str) -> None:
    """Native code writes to file descriptor 2, then aborts the process."""
    os.write(2, CUDNN_STUB_SAYS.encode())
    os.abort()


def crashes_in_native_code(model: str, compute_type: str, result: str) -> None:
    """A read of address 0: the process dies of a segmentation fault (an access violation)."""
    import ctypes

    ctypes.string_at(0)


def hangs(model: str, compute_type: str, result: str) -> None:
    """A driver call that never returns."""
    time.sleep(3600)
