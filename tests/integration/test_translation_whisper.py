"""The built-in translation: Whisper's own translate task, with the multilingual base model,
on real Mandarin through the live pipeline and the command line.

What base writes is rough (names spelled by sound, some clauses wrong), so the checks are
that English comes for every final and that it carries content words base gets right on
these clips, on the run this was written from and with margin (the words recur across
window sizes and sampling).
"""

from __future__ import annotations

import json
import re

import pytest

from captioner.asr.config import RecognitionConfig
from captioner.cli.live import run_live
from captioner.control.channels import file_channel
from captioner.transcript.events import read_events
from captioner.translate.config import TranslationConfig
from tests.support.cli import assert_no_traceback, captioner
from tests.support.data import varied_clip, write_wav, zh_clip

pytestmark = pytest.mark.model


def english_share(text: str) -> float:
    """Of the letters in ``text``, the share that are ASCII (English) ones."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.isascii() for c in letters) / max(len(letters), 1)


def test_english_comes_for_every_final_of_read_and_conversational_mandarin(tmp_path):
    import numpy as np

    from captioner.audio import SAMPLE_RATE
    from captioner.audio.file_source import read_audio_file

    gap = np.zeros(int(0.8 * SAMPLE_RATE), np.float32)
    clips = [zh_clip(61)[0], zh_clip(4)[0], varied_clip("paddlespeech_zh.wav")[0]]
    parts = [piece for clip in clips for piece in (read_audio_file(clip), gap)]
    wav = write_wav(tmp_path / "mandarin.wav", np.concatenate(parts))
    result = run_live(
        RecognitionConfig(device="cpu"),
        [file_channel(wav)],
        translation=TranslationConfig("whisper", "en"),
    )
    finals = [e for e in result.events if e.type == "final"]
    translations = {e.final: e for e in result.events if e.type == "translation"}
    assert len(finals) >= 3 and not result.errors and not result.notices
    assert [e.final for e in finals] == list(range(1, len(finals) + 1))
    assert set(translations) == {e.final for e in finals}  # every final, none skipped
    for final in finals:
        translation = translations[final.final]
        assert translation.lang == "en" and translation.text
        assert english_share(translation.text) > 0.9, translation.text
        assert (translation.start, translation.end) == (final.start, final.end)
        assert result.events.index(translation) > result.events.index(final)
    english = " ".join(t.text for t in translations.values()).lower()
    # 曼萨尼约港口被关闭 / 邓小平与撒切尔会晤 / 我认为跑步最重要的就是给我带来了身体健康
    for word in ("closed", "xiaoping", "running", "important"):
        assert re.search(rf"\b{word}\b", english), english
    assert result.translator_stats is not None and result.translator_stats.skipped == 0


def test_the_command_line_writes_translation_events_naming_their_final(tmp_path):
    path, _ = zh_clip(61)
    events_path = tmp_path / "events.jsonl"
    library = tmp_path / "library"
    result = captioner(
        "transcribe",
        str(path),
        "--live",
        "--translate",
        "en",
        "--events",
        str(events_path),
        "--transcripts",
        str(library),
    )
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    events = read_events(events_path)
    finals = [e for e in events if e.type == "final"]
    translations = [e for e in events if e.type == "translation"]
    assert finals and len(translations) == len(finals)
    lines = [json.loads(line) for line in events_path.read_text(encoding="utf-8").splitlines()]
    written = [line for line in lines if line["type"] == "translation"]
    assert set(written[0]) == {"t", "type", "text", "start", "end", "lang", "final"}
    assert [e.final for e in translations] == list(range(1, len(finals) + 1))
    assert all(e.lang == "en" and "closed" in e.text.lower() for e in translations[:1])
    # Finals are written as before (no number), each translation after its final.
    assert all("final" not in line for line in lines if line["type"] == "final")
    assert events.index(translations[0]) > events.index(finals[0])
    # The terminal shows the translation under its line.
    shown = result.stdout.splitlines()
    at = shown.index(finals[0].text)
    assert shown[at + 1].strip() == f"[en] {translations[0].text}"
    # Recorded with their lines: a bilingual export has each under its line, read as a
    # subtitle player reads it.
    import pysubs2

    listed = captioner("sessions", "--transcripts", str(library), "list")
    session = listed.stdout.split()[0]
    srt = tmp_path / "bilingual.srt"
    exported = captioner(
        "sessions",
        "--transcripts",
        str(library),
        "export",
        session,
        "--format",
        "srt",
        "--bilingual",
        "--out",
        str(srt),
    )
    assert exported.returncode == 0, exported.stderr
    cues = pysubs2.load(str(srt))
    assert cues[0].plaintext.split("\n") == [finals[0].text, translations[0].text]


def test_translation_the_model_cannot_do_is_refused_before_anything_loads():
    result = captioner("transcribe", "nothing.wav", "--live", "--translate", "fr")
    assert result.returncode != 0 and "only translate into English" in result.stderr
    turbo = captioner(
        "transcribe", "nothing.wav", "--live", "--translate", "en", "--model", "large-v3-turbo"
    )
    assert turbo.returncode != 0 and "not trained to translate" in turbo.stderr
    assert_no_traceback(result)
    assert_no_traceback(turbo)


def test_translation_turned_off_and_on_while_captioning_applies_from_the_next_line(qtbot, tmp_path):
    from captioner.control.captioning import recognizer_factory
    from captioner.control.pipeline import LivePipeline
    from captioner.transcript.events import TranscriptEvent
    from tests.support.data import zh_stream

    audio, _ = zh_stream([61, 72, 4], gap_s=1.0)
    wav = write_wav(tmp_path / "three.wav", audio)
    on = TranslationConfig("whisper", "en")
    pipeline = LivePipeline(
        [file_channel(wav)], recognizer_factory(RecognitionConfig(device="cpu")), translation=on
    )
    finals: list[TranscriptEvent] = []
    translations: list[TranscriptEvent] = []

    def confirmed(event: TranscriptEvent) -> None:
        finals.append(event)
        if event.final == 2:
            pipeline.set_translation(on)  # the tray toggle, back on

    def translated(event: TranscriptEvent) -> None:
        translations.append(event)
        if event.final == 1:
            pipeline.set_translation(None)  # the tray toggle, off

    pipeline.confirmed.connect(confirmed)
    pipeline.translated.connect(translated)
    with qtbot.waitSignal(pipeline.finished, timeout=120_000):
        pipeline.start()
    qtbot.waitUntil(lambda: len(translations) >= 2, timeout=30_000)
    pipeline.shutdown()
    assert [e.final for e in finals] == [1, 2, 3]
    # Final 2 came while it was off (its audio was not kept); final 3 after it was back.
    assert [e.final for e in translations] == [1, 3]
    assert all(english_share(e.text) > 0.9 for e in translations)


def test_a_recogniser_that_cannot_translate_is_told_and_nothing_is_translated():
    from captioner.asr.types import ModelInfo
    from captioner.control.pipeline import LivePipeline

    class Turbo:  # what the pipeline asks of a recogniser it loads
        attach_audio = False
        model_info = ModelInfo("whisper", "large-v3-turbo", "cpu int8")

        def speech_translator(self):
            return lambda audio: "它只会转写"

    told: list[str] = []
    pipeline = LivePipeline([], lambda: (Turbo(), None))
    pipeline.translation_notice.connect(told.append)
    recognizer, _ = pipeline._load()
    pipeline.set_translation(TranslationConfig("whisper", "en"))
    assert recognizer.attach_audio is False
    assert told and all("not trained to translate" in text for text in told)
    pipeline.shutdown()
