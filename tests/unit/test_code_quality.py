import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tool(name: str) -> str:
    """A command installed with the test extra, in this environment."""
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


pytestmark = pytest.mark.quality


def test_ruff_finds_nothing():
    result = run(tool("ruff"), "check", "--no-cache", str(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_ruff_formatted():
    result = run(tool("ruff"), "format", "--check", "--no-cache", str(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr


def test_types_check():
    # mypy --strict over captioner/ ([tool.mypy] in pyproject.toml).
    result = run(tool("mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_keep_the_layers_and_have_no_cycles():
    # The contracts in pyproject.toml: the data path's layers, the two engines independent,
    # no Qt below control, no cycles between sibling modules or packages.
    result = run(tool("lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout
