"""Killed while captioning (kill -9): transcripts valid up to the last confirmed line, settings
intact, and the next start says what happened and where the transcript is."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from captioner.settings import load_settings
from tests.support.data import play_into_mic, write_wav, zh_stream

pytestmark = [pytest.mark.model, pytest.mark.mic, pytest.mark.gui]

_CUE = re.compile(
    r"(\d+)\n(\d\d:\d\d:\d\d,\d\d\d) --> (\d\d:\d\d:\d\d,\d\d\d)\n([^\n]+)\n\n", re.MULTILINE
)


def parse_srt(text: str) -> list[tuple[int, str, str, str]]:
    """Strict: the whole file must be cues, numbered from 1, start before end."""
    cues, at = [], 0
    for match in _CUE.finditer(text):
        assert match.start() == at, f"not a cue at {at}: {text[at : at + 80]!r}"
        cues.append((int(match[1]), match[2], match[3], match[4]))
        at = match.end()
    assert at == len(text), f"trailing text: {text[at:]!r}"
    assert [c[0] for c in cues] == list(range(1, len(cues) + 1))
    assert all(start < end for _, start, end, _ in cues)
    return cues


def test_killed_while_captioning_leaves_valid_files_and_the_next_start_says_so(
    start_app, virtual_mic, tmp_path
):
    audio, _ = zh_stream([61, 72, 11, 12, 13])
    wav = write_wav(tmp_path / "speech.wav", np.concatenate([audio, np.zeros(16000, np.float32)]))
    app = start_app({"hotkey": {"mode": "always"}})
    app.wait_title(lambda t: "listening" in t)
    play_into_mic(wav, virtual_mic)
    app.wait_caption(bool, timeout=30)  # at least one line confirmed (and so on disk)
    app.process.kill()  # kill -9 in the middle of captioning
    app.process.communicate()

    (txt,) = app.transcripts.glob("*.txt")
    (srt,) = app.transcripts.glob("*.srt")
    lines = txt.read_text(encoding="utf-8").splitlines()
    cues = parse_srt(srt.read_text(encoding="utf-8"))
    assert lines and [c[3] for c in cues] == lines
    # The library, which the files are written from, holds the same lines: none lost.
    from captioner.transcript.store import Library

    library = Library(app.transcripts)
    (session,) = library.sessions()
    assert [line.text for line in library.lines(session.id)] == lines
    library.close()
    settings_text = (app.home / "settings.json").read_text(encoding="utf-8")
    json.loads(settings_text)
    assert not load_settings(app.home / "settings.json").warnings

    again = start_app(home=app.home)
    stderr = again.quit()
    assert "ended unexpectedly" in stderr and str(txt) in stderr, stderr

    # That start quit normally: the one after says nothing of the kind.
    third = start_app(home=app.home)
    assert "ended unexpectedly" not in third.quit()
