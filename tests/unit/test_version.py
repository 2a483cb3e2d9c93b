"""One version, written once in captioner/__init__.py, read by everything else."""

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import captioner

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_reads_the_version_from_the_package():
    tomllib = pytest.importorskip("tomllib", reason="Python 3.11 reads TOML")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "captioner.__version__"}


def test_installed_metadata_and_command_line_agree():
    assert metadata.version("captioner") == captioner.__version__
    out = subprocess.run(
        [sys.executable, "-m", "captioner", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == f"captioner {captioner.__version__}"
