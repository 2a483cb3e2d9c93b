"""What the `captioner` command says when something goes wrong: one line, exit status 2, no
traceback, and nothing of the transcript lost."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from captioner.transcript.metrics import character_error_rate
from tests.support.cli import assert_no_traceback, captioner
from tests.support.data import write_wav, zh_clip, zh_stream


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_events_into_a_folder_that_does_not_exist(tmp_path):
    path, _ = zh_clip(2)
    events = tmp_path / "no such folder" / "events.jsonl"
    result = captioner("transcribe", str(path), "--live", "--events", str(events))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stderr.strip().count("\n") == 0, result.stderr  # said before the model loads
    line = one_error_line(result.stderr)
    assert str(events) in line and f"the folder {events.parent} does not exist" in line


def test_events_into_a_folder_that_cannot_be_written(tmp_path):
    path, _ = zh_clip(2)
    if os.geteuid() == 0:
        # Root writes into any chmod'ed folder; sysfs refuses new files even to root.
        if not sys.platform.startswith("linux"):
            pytest.skip("as root, only Linux's /sys gives a folder that cannot be written")
        events = Path("/sys/captioner-events.jsonl")
    else:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        events = folder / "events.jsonl"
    result = captioner("transcribe", str(path), "--live", "--events", str(events))
    assert result.returncode == 2
    assert_no_traceback(result)
    line = one_error_line(result.stderr)
    assert f"Cannot write the events file {events}: permission denied." in line


@pytest.mark.model
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a full disk)")
def test_events_on_a_full_disk_never_hold_back_the_transcript(tmp_path):
    # /dev/full opens, then fails every write with "No space left on device".
    audio, reference = zh_stream([2, 61])
    wav = write_wav(tmp_path / "two.wav", audio)
    result = captioner("transcribe", str(wav), "--live", "--events", "/dev/full")
    assert_no_traceback(result)
    assert result.returncode == 2  # what was asked for was not all saved
    line = one_error_line(result.stderr)  # said once, not once per event
    assert "Saving events to /dev/full failed (no space left on device)" in line
    confirmed = result.stdout.split()
    assert len(confirmed) >= 2  # every confirmed line still reached stdout
    assert character_error_rate("".join(confirmed), reference) < 0.25


@pytest.mark.parametrize("command", [["transcribe", "FILE"], ["listen"], []])
def test_an_unknown_language_is_said_before_anything_loads(command):
    path, _ = zh_clip(2)
    args = [str(path) if a == "FILE" else a for a in command]
    result = captioner(*args, "--language", "xx", timeout=60)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stderr.strip().count("\n") == 0, result.stderr
    line = one_error_line(result.stderr)
    assert "Unknown language 'xx'" in line and "auto" in line
    assert "invalid choice" not in line


@pytest.mark.model
@pytest.mark.parametrize("live", [False, True])
def test_a_file_with_no_speech_says_so(tmp_path, live):
    wav = write_wav(tmp_path / "short.wav", np.zeros(1600, np.float32))  # 0.1 s
    result = captioner("transcribe", str(wav), *(["--live"] if live else []))
    assert_no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == ""
    assert one_error_line(result.stderr) == f"error: no speech was found in {wav}."


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("zh_CN.UTF-8", "本地普通话实时字幕"),
        ("C.UTF-8", "Local live captions for Mandarin Chinese"),
    ],
)
def test_help_and_messages_follow_the_system_language(locale, expected):
    env = {"LANG": locale, "LC_ALL": locale, "LANGUAGE": ""}
    result = captioner("--help", env=env, timeout=60)
    assert result.returncode == 0 and expected in result.stdout
    path, _ = zh_clip(2)
    result = captioner("transcribe", str(path), "--events", "x.jsonl", env=env, timeout=60)
    assert result.returncode == 2
    said = "--events 需要 --live" if locale.startswith("zh") else "--events needs --live"
    assert said in one_error_line(result.stderr.replace("错误：", "error: "))
