"""Which int8 kernels CTranslate2 chose on this CPU: they change the recognised text slightly.

CTranslate2 logs its choice (instruction set, GEMM library) once per process, at the first
model it loads, and only at INFO level, to the C++ standard error. There is no API for it, so
that first load is done with the level raised and the process's stderr briefly redirected
into a temporary file; anything else written meanwhile is passed on unchanged.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_ISA = re.compile(r"Selected ISA: (\w+)")
_S8 = re.compile(r"GEMM_S8 backend: (\w+)")
_LIBRARIES = {"MKL": "Intel MKL", "DNNL": "oneDNN", "RUY": "Ruy"}
_chosen: str | None = None


def cpu_kernels() -> str | None:
    """E.g. "AVX2, Intel MKL"; None until a model was loaded on the CPU in this process."""
    return _chosen


def parse_kernels(log: str) -> str | None:
    isa = _ISA.search(log)
    if isa is None:
        return None
    gemm = _S8.search(log)
    library = _LIBRARIES.get(gemm.group(1), gemm.group(1)) if gemm else None
    return f"{isa.group(1)}, {library}" if library else isa.group(1)


def first_cpu_load(load: Callable[[], T]) -> T:
    """Run ``load`` (which loads a model on the CPU), noting the kernels chosen if this is the
    process's first such load."""
    global _chosen
    if _chosen is not None:
        return load()
    import ctranslate2

    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no stderr at all (a windowed app): nothing to read
        return load()
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        previous = ctranslate2.get_log_level()
        ctranslate2.set_log_level(logging.INFO)
        try:
            return load()
        finally:
            ctranslate2.set_log_level(previous)
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            text = capture.read().decode("utf-8", errors="replace")
            _chosen = parse_kernels(text)
            other = [line for line in text.splitlines(keepends=True) if "[ctranslate2]" not in line]
            if other:
                sys.stderr.write("".join(other))
