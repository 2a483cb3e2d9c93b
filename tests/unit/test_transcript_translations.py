"""Translations in the transcript library: saved with the line they translate (a final's
number, as the pipeline counts them, mapped to its line), kept by a database of the earlier
schema once opened, and exported bilingual (the translation as the cue's second line), read
back as a subtitle player reads it (pysubs2)."""

from __future__ import annotations

import sqlite3

import pysubs2
import pytest

from captioner.asr.types import Segment
from captioner.transcript.events import TranscriptEvent
from captioner.transcript.export import render
from captioner.transcript.files import TranscriptSink
from captioner.transcript.store import LIBRARY_NAME, Library


def translation(final: int, text: str, lang: str = "en") -> TranscriptEvent:
    return TranscriptEvent(0.0, "translation", text, 0.0, 1.0, lang=lang, final=final)


def test_a_translation_is_saved_with_the_line_of_its_final(tmp_path):
    sink = TranscriptSink(tmp_path)
    sink(Segment("大家好", 0.0, 1.5))
    sink(Segment("今天讲港口", 2.0, 4.0))
    sink.add_translation(translation(2, "Today: the port"))  # the second first
    sink(Segment("谢谢", 5.0, 6.0))
    sink.add_translation(translation(1, "Hello everyone"))
    sink.add_translation(translation(9, "no such final"))  # dropped, no error
    session = sink.session
    sink.close()
    library = Library(tmp_path)
    assert session is not None
    lines = library.lines(session)
    assert library.translations(session) == {
        lines[0].id: "Hello everyone",
        lines[1].id: "Today: the port",
    }
    assert library.translation_languages(session) == ["en"]
    library.close()


def test_finals_are_counted_even_while_transcripts_are_not_saved(tmp_path):
    sink = TranscriptSink(None)
    sink(Segment("没保存", 0.0, 1.0))  # final 1
    sink.set_folder(tmp_path)
    sink(Segment("保存了", 1.0, 2.0))  # final 2
    sink.add_translation(translation(1, "not saved"))
    sink.add_translation(translation(2, "saved"))
    session = sink.session
    sink.close()
    library = Library(tmp_path)
    assert session is not None
    assert list(library.translations(session).values()) == ["saved"]
    library.close()


def test_deleting_a_session_deletes_its_translations(tmp_path):
    library = Library(tmp_path)
    session = library.begin()
    line = library.append(session, 0.0, 1.0, "你好")
    library.add_translation(line.id, "en", "Hello")
    library.add_translation(line.id, "en", "Hi")  # replaces
    assert library.translations(session) == {line.id: "Hi"}
    library.delete(session)
    with sqlite3.connect(tmp_path / LIBRARY_NAME) as db:
        assert db.execute("SELECT count(*) FROM translations").fetchone()[0] == 0
    library.close()


def test_a_library_of_the_first_schema_gains_translations(tmp_path):
    # A database as version 1 wrote it: no translations table.
    library = Library(tmp_path)
    session = library.begin()
    line = library.append(session, 0.0, 1.0, "旧的一行")
    library.close()
    with sqlite3.connect(tmp_path / LIBRARY_NAME) as db:
        db.execute("DROP TABLE translations")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    library = Library(tmp_path)
    library.add_translation(line.id, "en", "An old line")
    assert library.translations(session) == {line.id: "An old line"}
    assert [ln.text for ln in library.lines(session)] == ["旧的一行"]
    library.close()
    with sqlite3.connect(tmp_path / LIBRARY_NAME) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == "2"


@pytest.fixture
def translated(tmp_path):
    library = Library(tmp_path)
    session = library.begin(started=0.0)
    first = library.append(session, 0.5, 2.0, "今天讲港口", "Me")
    library.append(session, 2.5, 4.0, "没有翻译的一行", "Others")
    third = library.append(session, 4.5, 6.0, "谢谢大家")
    library.add_translation(first.id, "en", "Today:\n the port")
    library.add_translation(third.id, "en", "Thank you all")
    yield library, session
    library.close()


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_bilingual_subtitles_carry_the_translation_as_the_second_line(translated, fmt):
    library, session = translated
    info = library.session(session)
    assert info is not None
    text = render(info, library.lines(session), fmt, translations=library.translations(session))
    subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    assert [event.plaintext for event in subs] == [
        "Me: 今天讲港口\nToday: the port",
        "Others: 没有翻译的一行",
        "谢谢大家\nThank you all",
    ]
    assert [event.start for event in subs] == [500, 2500, 4500]


def test_bilingual_text_and_markdown_put_each_translation_under_its_line(translated):
    library, session = translated
    info = library.session(session)
    assert info is not None
    lines, given = library.lines(session), library.translations(session)
    txt = render(info, lines, "txt", translations=given)
    assert txt.splitlines() == [
        "[0:00] Me: 今天讲港口",
        "    Today: the port",
        "[0:02] Others: 没有翻译的一行",
        "[0:04] 谢谢大家",
        "    Thank you all",
    ]
    md = render(info, lines, "md", translations=given)
    assert "- **0:04** 谢谢大家  \n  *Thank you all*\n" in md
    assert render(info, lines, "srt") == render(info, lines, "srt", translations={})


def test_a_bilingual_session_rewrites_its_srt_when_it_ends(tmp_path):
    sink = TranscriptSink(tmp_path)
    sink.bilingual = True
    sink(Segment("大家好", 0.0, 1.5))
    sink(Segment("谢谢", 2.0, 3.0))
    sink.add_translation(translation(1, "Hello everyone"))
    assert sink.files is not None
    srt = sink.files.srt_path
    assert "Hello" not in srt.read_text(encoding="utf-8")  # while it runs: as it comes
    sink.close()
    subs = pysubs2.load(str(srt))
    assert [event.plaintext for event in subs] == ["大家好\nHello everyone", "谢谢"]


def test_sessions_export_bilingual_from_the_command_line(translated, tmp_path):
    from tests.support.cli import captioner

    library, session = translated
    out = tmp_path / "out.srt"
    args = ["sessions", "--transcripts", str(library.folder), "export", str(session)]
    done = captioner(*args, "--format", "srt", "--bilingual", "--out", str(out), timeout=60)
    assert done.returncode == 0, done.stderr
    subs = pysubs2.load(str(out))
    assert subs[2].plaintext == "谢谢大家\nThank you all"
    plain = captioner(*args, "--format", "srt", timeout=60)
    assert "Thank you" not in plain.stdout and "谢谢大家" in plain.stdout
