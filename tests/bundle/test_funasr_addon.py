"""The FunASR engine in the installed app: an add-on folder beside the executables
(packaging/build.py --funasr-addon), built here from this environment's CPU torch as the
Windows workflow builds it from the CUDA one. Without it the engine says how to get it;
with it the bundled command line runs FunASR (random models: the pipeline, not words)."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from captioner import __version__
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
    # Unpacked by hand with Windows' "Extract All": one folder level more than meant.
    unpacked = bundle_copy / "addons" / f"Captioner-FunASR-{__version__}-cpu" / "funasr"
    addon = build_module().build_funasr_addon(unpacked, "cpu", link=True)
    assert (addon / "torch").is_dir() and (addon / "funasr").is_dir()
    assert (addon / "numpy").is_dir()  # the add-on has its own, which must not be used
    process = subprocess.Popen(
        clean_command(bundle_copy / "captioner-cli", "transcribe", aishell(),
                      *funasr_args(funasr_random_models), env=clean_env(home)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    mapped: list[str] = []
    numpy: list[str] = []
    try:
        while process.poll() is None:  # torch is loaded a few seconds in: look while it runs
            mapped = python_paths_mapped(process.pid) or mapped
            numpy = mapped_files(process.pid, "_multiarray_umath") or numpy
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.5)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert stdout.strip() and "Traceback" not in stderr
    assert mapped == [], mapped  # torch came from the add-on, not from this environment
    # The app's own packages come first: numpy is the bundle's, not the add-on's.
    assert numpy and all("/_internal/" in path and "/addons/" not in path for path in numpy)


def test_an_addon_of_another_version_is_not_used_and_the_reason_is_given(bundle_copy, home):
    addon = bundle_copy / "addons" / "funasr"
    marker = addon / "captioner-addon.json"
    if not marker.exists():
        build_module().build_funasr_addon(addon, "cpu", link=True)
    marker.unlink()  # hard-linked: write a new file, not through the link
    marker.write_text(json.dumps({"name": "funasr", "captioner": "0.0.1"}), encoding="utf-8")
    shutil.rmtree(bundle_copy / "addons" / f"Captioner-FunASR-{__version__}-cpu", True)
    result = run_clean(
        bundle_copy / "captioner-cli", "transcribe", aishell(), "--engine", "funasr",
        env=clean_env(home),
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "is for Captioner 0.0.1" in result.stderr and f"Captioner {__version__}" in result.stderr


def mapped_files(pid: int, name: str) -> list[str]:
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return []
    return sorted({line.split()[-1] for line in maps.splitlines() if name in line})
