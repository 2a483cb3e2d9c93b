"""Running the `captioner` command as a user runs it: a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def captioner(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "captioner", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        # English messages, whatever the machine's language (a test may ask for another).
        env={**os.environ, "LC_ALL": "C.UTF-8", **(env or {})},
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def funasr_args(models: dict[str, Path]) -> list[str]:
    """The FunASR engine on model folders (tests/conftest.py: funasr_random_models), CPU."""
    return [
        *("--engine", "funasr", "--model", str(models["streaming"])),
        *("--second-pass", str(models["offline"]), "--vad-model", str(models["vad"])),
        *("--punctuation", str(models["punc"]), "--device", "cpu"),
    ]
