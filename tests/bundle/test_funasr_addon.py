"""The FunASR engine in the installed app: an add-on folder beside the executables
(packaging/build.py --funasr-addon), built here from this environment's CPU torch as the
Windows workflow builds it from the CUDA one. Without it the engine says how to get it;
with it the bundled command line runs FunASR (random models: the pipeline, not words)."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest

from tests.support.bundle import (
    build_module,
    clean_command,
    clean_env,
    python_paths_mapped,
    run_clean,
)
from tests.support.cli import funasr_args
from tests.support.data import speech

pytestmark = [pytest.mark.bundle, pytest.mark.model]


def aishell() -> str:
    return str(speech("zh_aishell1/BAC009S0764W0122.wav"))


@pytest.fixture(scope="module")
def bundle_copy(bundle, tmp_path_factory) -> Path:
    """A hard-linked copy of the bundle, so that an add-on can be put beside it."""
    copy = tmp_path_factory.mktemp("with-addon") / "Captioner"
    subprocess.run(["cp", "-al", str(bundle), str(copy)], check=True)
    return copy


def test_without_the_addon_the_engine_says_how_to_get_it(bundle_copy, home):
    result = run_clean(
        bundle_copy / "captioner-cli", "transcribe", aishell(), "--engine", "funasr",
        env=clean_env(home),
    )  # fmt: skip
    assert result.returncode == 2
    assert "FunASR add-on" in result.stderr and "pip install" not in result.stderr


def test_with_the_addon_the_bundled_cli_runs_funasr(bundle_copy, funasr_random_models, home):
    addon = build_module().build_funasr_addon(bundle_copy / "addons" / "funasr", link=True)
    assert (addon / "torch").is_dir() and (addon / "funasr").is_dir()
    process = subprocess.Popen(
        clean_command(bundle_copy / "captioner-cli", "transcribe", aishell(),
                      *funasr_args(funasr_random_models), env=clean_env(home)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    mapped: list[str] = []
    try:
        while process.poll() is None:  # torch is loaded a few seconds in: look while it runs
            mapped = python_paths_mapped(process.pid) or mapped
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.5)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert stdout.strip() and "Traceback" not in stderr
    assert mapped == [], mapped  # torch came from the add-on, not from this environment
