"""The bundled command line with a clean environment: what an installed app does on a
machine with no Python. Recognition goes through the bundled model, the Silero VAD asset,
OpenCC's tables (Simplified output) and, live, the transcript server's overlay page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from captioner import __version__
from captioner.asr.whisper.models import EMBEDDED_BASE_SIZE
from captioner.transcript.metrics import character_error_rate
from tests.support.bundle import (
    clean_command,
    clean_env,
    free_port,
    python_paths_mapped,
    run_clean,
)
from tests.support.data import zh_clip

# Not marked `kernels`: test_cpu_kernels.py reruns those with CT2_FORCE_CPU_ISA set, which
# env -i keeps from the bundle; here the bundle and the pip install run the same defaults.
pytestmark = [pytest.mark.bundle, pytest.mark.model]

CLIP = 61  # zh_biaobei_csmsc/000061.wav, a 6 s read sentence


def cli(bundle: Path) -> Path:
    return bundle / "captioner-cli"


def test_the_bundle_holds_both_programs_and_the_joined_model(bundle):
    assert (bundle / "Captioner").is_file() and (bundle / "captioner-cli").is_file()
    model = bundle / "_internal" / "models" / "whisper-base"
    assert (model / "model.bin").stat().st_size == EMBEDDED_BASE_SIZE
    internal = {p.name for p in (bundle / "_internal").iterdir()}
    # What the app never uses stays out (the FunASR engine is an add-on).
    assert not internal & {"torch", "funasr", "pytest", "_pytest", "ruff", "tests", "scipy"}
    qt = bundle / "_internal" / "PySide6" / "Qt"
    assert not list(qt.rglob("*WebEngine*"))
    assert (qt / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert list((qt / "plugins" / "imageformats").glob("*"))


def test_version(bundle, home):
    result = run_clean(cli(bundle), "--version", env=clean_env(home))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"captioner {__version__}"


def test_bundled_transcript_is_the_pip_installs(bundle, home):
    """Same clip, same model, same text: the bundle changes nothing in recognition."""
    wav, reference = zh_clip(CLIP)
    args = ("transcribe", str(wav), "--device", "cpu")
    bundled = run_clean(cli(bundle), *args, env=clean_env(home))
    assert bundled.returncode == 0, bundled.stderr
    pip = subprocess.run(
        [sys.executable, "-m", "captioner", *args], capture_output=True, text=True, check=True
    )
    bundled_text, pip_text = bundled.stdout.strip(), pip.stdout.strip()
    cer = character_error_rate(bundled_text, reference)
    print(f"bundled CLI CER {cer:.3f}, pip install CER "
          f"{character_error_rate(pip_text, reference):.3f}: {bundled_text}")  # fmt: skip
    assert bundled_text == pip_text
    assert cer < 0.25, bundled_text
    assert "們" not in bundled_text and "這" not in bundled_text  # OpenCC: Simplified


def test_the_installed_app_runs_from_folders_with_chinese_characters_and_spaces(bundle, tmp_path):
    """Installed under a Chinese user's folder (C:\\Users\\张三\\AppData\\Local\\Programs
    on Windows), with the user's home and the audio in such folders too."""
    user = tmp_path / "用户 张三"
    installed = user / "程序 文件" / "Captioner"
    shutil.copytree(bundle, installed, symlinks=True, copy_function=os.link)  # no copy
    home = user / "家 目录"
    home.mkdir()
    wav, reference = zh_clip(CLIP)
    clip = user / "会议 录音" / "第一 段.wav"
    clip.parent.mkdir()
    shutil.copy(wav, clip)
    moved = run_clean(
        cli(installed), "transcribe", str(clip), "--device", "cpu", env=clean_env(home)
    )
    assert moved.returncode == 0, moved.stderr
    there = run_clean(cli(bundle), "transcribe", str(wav), "--device", "cpu", env=clean_env(home))
    assert moved.stdout == there.stdout  # the same model, tables and VAD, found from there
    assert character_error_rate(moved.stdout, reference) < 0.25, moved.stdout


def test_bundled_vocabulary_puts_a_name_right_by_its_sound(bundle, home, tmp_path):
    """The vocabulary's pinyin tables (pypinyin's data files) are in the bundle."""
    wav, _ = zh_clip(20)  # 霍思燕露背秀乳沟性感惹火: the model writes the name otherwise
    words = tmp_path / "words.txt"
    words.write_text("霍思燕\n", encoding="utf-8")
    args = ("transcribe", str(wav), "--device", "cpu")
    plain = run_clean(cli(bundle), *args, env=clean_env(home))
    fixed = run_clean(cli(bundle), *args, "--vocabulary", str(words), env=clean_env(home))
    assert plain.returncode == 0 and fixed.returncode == 0, (plain.stderr, fixed.stderr)
    assert "霍思燕" not in plain.stdout and "霍思燕" in fixed.stdout, (plain.stdout, fixed.stdout)


def test_live_with_the_overlay_page_and_no_python_anywhere(bundle, home, tmp_path):
    """The live pipeline (VAD, partials, confirmed text) and --serve's overlay page."""
    wav, reference = zh_clip(CLIP)
    port = free_port()
    events = tmp_path / "events.jsonl"
    env = clean_env(home)
    process = subprocess.Popen(
        clean_command(cli(bundle), "transcribe", str(wav), "--live", "--device", "cpu",
                      "--events", str(events), "--serve", str(port), env=env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        page = None
        deadline = time.monotonic() + 60
        while page is None and time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/overlay", timeout=2) as r:
                    page = r.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        foreign = python_paths_mapped(process.pid)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert page is not None and "WebSocket" in page, stderr  # overlay.html was bundled
    assert foreign == [], foreign
    finals = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    assert any(e["type"] == "partial" for e in finals)
    confirmed = "".join(e["text"] for e in finals if e["type"] == "final")
    assert confirmed == "".join(stdout.split())
    assert character_error_rate(confirmed, reference) < 0.25, confirmed


@pytest.fixture
def broken_bundle(bundle, tmp_path) -> Path:
    """A copy of the bundle (hard links: cheap) whose model can be damaged."""
    copy = tmp_path / "Captioner"
    try:
        subprocess.run(["cp", "-al", str(bundle), str(copy)], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        shutil.copytree(bundle, copy, symlinks=True)
    return copy


def test_a_damaged_model_in_the_bundle_gives_the_clear_message(broken_bundle, home):
    model_bin = broken_bundle / "_internal" / "models" / "whisper-base" / "model.bin"
    model_bin.unlink()  # a new file, not the shared hard link
    model_bin.write_bytes(b"\0" * 1000)
    wav, _ = zh_clip(CLIP)
    result = run_clean(cli(broken_bundle), "transcribe", str(wav), env=clean_env(home))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: The embedded base model is damaged (1000 bytes, expected "
        f"{EMBEDDED_BASE_SIZE}). Reinstall Captioner to repair it."
    )


def test_a_missing_model_in_the_bundle_gives_the_clear_message(broken_bundle, home):
    (broken_bundle / "_internal" / "models" / "whisper-base" / "model.bin").unlink()
    wav, _ = zh_clip(CLIP)
    result = run_clean(cli(broken_bundle), "transcribe", str(wav), env=clean_env(home))
    assert result.returncode == 2
    assert "error: The embedded base model is missing" in result.stderr
    assert "(model.bin). Reinstall Captioner" in result.stderr
    assert not (home / "cache").exists() or not any((home / "cache").rglob("*.bin"))
