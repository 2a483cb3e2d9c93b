"""The session marker that tells the next start that the last session ended unexpectedly."""

from __future__ import annotations

import os
import time

from captioner.app.crash_safety import SessionMarker, last_transcript


def test_a_marker_left_behind_names_the_sessions_newest_transcript(tmp_path):
    folder = tmp_path / "transcripts"
    folder.mkdir()
    old = folder / "2026-11-01 10-00-00.txt"
    old.write_text("旧的\n", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    marker = SessionMarker(tmp_path / "settings.json")
    assert marker.previous() is None
    marker.begin(folder)
    current = folder / "2026-11-29 02-00-00.txt"
    current.write_text("新的\n", encoding="utf-8")
    previous = SessionMarker(tmp_path / "settings.json").previous()  # the next start
    assert previous is not None and previous["pid"] == os.getpid()
    assert last_transcript(previous) == current  # not the older session's
    marker.end()
    assert marker.previous() is None


def test_a_damaged_marker_still_counts_as_an_unexpected_end(tmp_path):
    marker = SessionMarker(tmp_path / "settings.json")
    marker.path.write_text('{"pid": 1, "sta', encoding="utf-8")
    assert marker.previous() == {}
    assert last_transcript({}) is None


def test_a_folder_chosen_during_the_session_is_followed(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    marker = SessionMarker(tmp_path / "settings.json")
    marker.begin(first)
    (first / "2026-11-29 09-00-00.txt").write_text("早上\n", encoding="utf-8")
    time.sleep(0.05)
    marker.follow(second)  # Settings: another transcripts folder
    marker.follow(second)  # the same again changes nothing
    newest = second / "2026-11-29 10-00-00.txt"
    newest.write_text("后来\n", encoding="utf-8")
    previous = SessionMarker(tmp_path / "settings.json").previous()
    assert previous is not None and previous["transcripts"] == [str(first), str(second)]
    assert last_transcript(previous) == newest


def test_a_marker_of_the_older_format_still_names_its_transcript(tmp_path):
    folder = tmp_path / "transcripts"
    folder.mkdir()
    written = folder / "2026-11-29 08-00-00.txt"
    written.write_text("旧格式\n", encoding="utf-8")
    older = {"pid": 1, "started": time.time() - 10, "transcripts": str(folder)}
    assert last_transcript(older) == written
