"""Running the installed app as built (tests/bundle): a clean environment, no Python.

The bundle's programs run with ``env -i`` plus what a user's session has; nothing of the
test's Python (no virtual environment, no PYTHONPATH) may reach them.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def missing_tool(message: str) -> None:
    """Skip for want of a tool, saying which; CI (CAPTIONER_REQUIRE_TOOLS=1) fails instead."""
    if os.environ.get("CAPTIONER_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def build_module() -> ModuleType:
    """packaging/build.py, imported (a script, not a package): each call a fresh module."""
    spec = importlib.util.spec_from_file_location("build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a user's session has, and nothing of Python's: env -i plus these."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DOCUMENTS_DIR": str(home / "documents"),
        **extra,
    }


def clean_command(program: Path, *args: str, env: dict[str, str]) -> list[str]:
    return ["env", "-i", *(f"{k}={v}" for k, v in env.items()), str(program), *args]


def run_clean(
    program: Path, *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        clean_command(program, *args, env=env),
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def python_paths_mapped(pid: int) -> list[str]:
    """Files of a running process that come from a Python installation, not the bundle."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return []
    paths = {line.split()[-1] for line in maps.splitlines() if "/" in line}
    return sorted(p for p in paths if "site-packages" in p or "/.venv/" in p)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
