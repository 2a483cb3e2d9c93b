"""The installed app, as built: a PyInstaller bundle from packaging/captioner.spec.

The bundle is built once per test session with the same command a release uses
(``python packaging/build.py``), into build/test-bundle; CAPTIONER_BUNDLE=DIR tests an
existing one instead. Its programs run with a clean environment (``env -i``): no virtual
environment, no PYTHONPATH, no site-packages anywhere, so a file the spec forgot to
collect fails here and not on a user's machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gui.conftest import x_desktop  # noqa: F401 - the GUI smoke test's desktop

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "test-bundle"


def _missing(message: str) -> None:
    if os.environ.get("CAPTIONER_REQUIRE_TOOLS") == "1":  # CI: must not skip
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def bundle() -> Path:
    """dist/Captioner: Captioner and captioner-cli directly inside."""
    given = os.environ.get("CAPTIONER_BUNDLE")
    if given:
        return Path(given)
    from importlib.util import find_spec

    if find_spec("PyInstaller") is None:
        _missing("PyInstaller is not installed: pip install -e '.[bundle]'")
    shutil.rmtree(BUILD, ignore_errors=True)
    command = [sys.executable, str(ROOT / "packaging" / "build.py"), "--no-installer"]
    command += ["--dist", str(BUILD / "dist"), "--work", str(BUILD / "work")]
    if shutil.which("nice"):
        command = ["nice", "-n", "10", *command]  # the build must not starve a test's audio
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    print(result.stdout[result.stdout.find("bundle:") :])  # the figures, for the CI log
    return BUILD / "dist" / "Captioner"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a user's session has, and nothing of Python's: env -i plus these."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DOCUMENTS_DIR": str(home / "documents"),
        **extra,
    }
    return env


def run_clean(
    program: Path, *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["env", "-i", *(f"{k}={v}" for k, v in env.items()), str(program), *args],
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


@pytest.fixture
def home(tmp_path) -> Iterator[Path]:
    path = tmp_path / "home"
    path.mkdir()
    yield path
