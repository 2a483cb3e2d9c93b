"""The installed app, as built: a PyInstaller bundle from packaging/captioner.spec.

The bundle is built once per test session with the same command a release uses
(``python packaging/build.py``), into build/test-bundle; CAPTIONER_BUNDLE=DIR tests an
existing one instead. Its programs run with a clean environment (tests/support/bundle.py),
so a file the spec forgot to collect fails here and not on a user's machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.bundle import ROOT, missing_tool

BUILD = ROOT / "build" / "test-bundle"


@pytest.fixture(scope="session")
def bundle() -> Path:
    """dist/Captioner: Captioner and captioner-cli directly inside."""
    given = os.environ.get("CAPTIONER_BUNDLE")
    if given:
        return Path(given)
    from importlib.util import find_spec

    if find_spec("PyInstaller") is None:
        missing_tool("PyInstaller is not installed: pip install -e '.[bundle]'")
    shutil.rmtree(BUILD, ignore_errors=True)
    command = [sys.executable, str(ROOT / "packaging" / "build.py"), "--no-installer"]
    command += ["--dist", str(BUILD / "dist"), "--work", str(BUILD / "work")]
    if shutil.which("nice"):
        command = ["nice", "-n", "10", *command]  # the build must not starve a test's audio
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    print(result.stdout[result.stdout.find("bundle:") :])  # the figures, for the CI log
    return BUILD / "dist" / "Captioner"


@pytest.fixture
def home(tmp_path) -> Iterator[Path]:
    path = tmp_path / "home"
    path.mkdir()
    yield path
