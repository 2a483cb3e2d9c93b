"""Models and audio in folders named the way Chinese users' folders are (C:\\Users\\张三):
Chinese characters and spaces."""

from __future__ import annotations

import shutil
from functools import partial

import pytest

from captioner.asr.whisper import opening
from captioner.asr.whisper.loading import load_whisper
from captioner.asr.whisper.models import resolve_whisper_model
from captioner.asr.whisper.offline import transcribe_offline
from captioner.audio.file_source import read_audio_file
from captioner.native_paths import narrow_path
from captioner.text.script import Script
from captioner.transcript.metrics import character_error_rate
from tests.support.cli import captioner
from tests.support.data import zh_clip

pytestmark = pytest.mark.model


@pytest.fixture
def chinese_folder(tmp_path):
    folder = tmp_path / "用户 张三" / "我的 模型"
    folder.mkdir(parents=True)
    for part in resolve_whisper_model("base").iterdir():
        shutil.copy(part, folder / part.name)
    return folder


def test_a_model_no_native_path_can_reach_is_loaded_from_its_files(chinese_folder, monkeypatch):
    # Windows 10 1809 with a non-UTF-8 code page and no short names on the volume: no path
    # CTranslate2 could open. The model's files are read and handed over instead.
    windows = partial(
        narrow_path, platform="win32", code_page=lambda: 936, shorten=lambda path: path
    )
    monkeypatch.setattr(opening, "narrow_path", windows)
    assert windows(chinese_folder) is None
    loaded = load_whisper(str(chinese_folder), device="cpu")
    wav, reference = zh_clip(61)
    text = "".join(
        s.text
        for s in transcribe_offline(loaded.model, read_audio_file(wav), "zh", Script.SIMPLIFIED)
    )
    assert character_error_rate(text, reference) < 0.25, text


def test_the_command_line_transcribes_from_and_with_chinese_folders(chinese_folder, tmp_path):
    wav, reference = zh_clip(61)
    clip = tmp_path / "会议 录音" / "第一 段.wav"
    clip.parent.mkdir()
    shutil.copy(wav, clip)
    home = tmp_path / "用户 张三" / "家"
    home.mkdir()
    result = captioner(
        "transcribe", str(clip), "--model", str(chinese_folder), env={"HOME": str(home)}
    )
    assert result.returncode == 0, result.stderr
    assert character_error_rate(result.stdout, reference) < 0.25, result.stdout
