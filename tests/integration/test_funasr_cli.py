"""`captioner ... --engine funasr` as a user runs it, on randomly initialised model folders,
and what happens when the FunASR extra is not installed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.cli import captioner, funasr_args
from tests.support.data import speech, zh_clip

pytestmark = pytest.mark.model
AISHELL = "zh_aishell1/BAC009S0764W0122.wav"  # under ../shared/testdata/speech


def run_python(code: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout
    )


def captioner_without(modules: list[str], *args: str) -> subprocess.CompletedProcess:
    """Run the CLI in a process where importing ``modules`` fails, as if not installed."""
    blocked = "; ".join(f"sys.modules[{m!r}] = None" for m in modules)
    return run_python(
        f"import sys; {blocked}; from captioner.cli import main; sys.exit(main({list(args)!r}))"
    )


def test_transcribe_and_live_with_funasr_model_folders(funasr_random_models, tmp_path):
    args = funasr_args(funasr_random_models)
    offline = captioner("transcribe", str(speech(AISHELL)), *args)
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout.strip() and "Traceback" not in offline.stderr
    assert offline.stderr.strip() == ""  # FunASR's prints and warnings are contained
    events = tmp_path / "events.jsonl"
    live = captioner("transcribe", str(speech(AISHELL)), "--live", "--events", str(events), *args)
    assert live.returncode == 0, live.stderr
    kinds = [json.loads(line)["type"] for line in events.read_text().splitlines()]
    assert "partial" in kinds and "final" in kinds
    assert kinds.index("partial") < kinds.index("final")


def test_bench_runs_with_funasr(funasr_random_models, tmp_path):
    path, text = zh_clip(61)
    ref = tmp_path / "ref.txt"
    ref.write_text(text + "\n", encoding="utf-8")
    result = captioner(
        "bench", "--audio", str(path), "--ref", str(ref), *funasr_args(funasr_random_models)
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["engine"] == "funasr" and summary["device"] == "cpu"
    assert summary["final_passes"] == 1 and summary["errors"] == []
    assert summary["rtf"] > 0 and summary["offline_cer"] is not None


@pytest.mark.parametrize(
    ("missing", "says"),
    [(["torch"], "needs PyTorch"), (["funasr"], "FunASR engine is not installed")],
)
def test_without_the_funasr_extra_the_cli_says_how_to_install_it(missing, says):
    result = captioner_without(missing, "transcribe", str(speech(AISHELL)), "--engine", "funasr")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert says in result.stderr
    assert 'pip install "captioner[funasr]"' in result.stderr
    assert "download.pytorch.org/whl/cu" in result.stderr  # the CUDA build of torch


def test_whisper_works_without_torch_or_funasr():
    result = captioner_without(["torch", "funasr"], "transcribe", str(zh_clip(61)[0]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_the_settings_can_tell_whether_funasr_is_installed():
    code = "from captioner.asr.funasr.loading import funasr_available as f; print(f())"
    assert run_python(code).stdout.strip() == "True"
    blocked = run_python("import sys; sys.modules['funasr'] = None; " + code)
    assert blocked.stdout.strip() == "False"
