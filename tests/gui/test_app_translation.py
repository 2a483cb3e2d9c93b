"""Translation in the app, offscreen (recognition not started): the pipeline's translation
events reach the caption bar and the transcript library; the tray's "Translate" toggles it
and is kept."""

from __future__ import annotations

import json
import time

import pytest

from captioner.app.desktop import CaptionerApp
from captioner.asr.types import Segment
from captioner.settings import SettingsStore, load_settings
from captioner.transcript.events import TranscriptEvent
from captioner.transcript.store import Library


@pytest.fixture
def app(qtbot, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"translation": {"enabled": True}}), encoding="utf-8")
    made = CaptionerApp(SettingsStore(path, {"transcripts.folder": str(tmp_path / "t")}))
    yield made
    made.close()


def final(n: int, text: str) -> TranscriptEvent:
    return TranscriptEvent(float(n), "final", text, n - 1.0, float(n), final=n)


def test_a_translation_goes_under_its_line_on_the_bar_and_into_the_library(app, tmp_path):
    pipeline, sink = app.controller.pipeline, app.controller.sink
    for n, text in ((1, "大家好"), (2, "今天讲港口")):
        sink(Segment(text, n - 1.0, float(n)))  # the pipeline gives each final to the sink first
        pipeline.confirmed.emit(final(n, text))
    pipeline.partial.emit(TranscriptEvent(2.5, "partial", "下一", 2.0, 2.5))
    pipeline.translated.emit(
        TranscriptEvent(3.0, "translation", "Hello everyone", 0.0, 1.0, lang="en", final=1)
    )
    shown = app.overlay.caption.visible(time.monotonic())
    assert [(line.text, line.translation) for line in shown.lines] == [
        ("大家好", "Hello everyone"),
        ("今天讲港口", ""),
    ]
    assert shown.partial == "下一"
    session = sink.session
    app.controller.sink.close()
    library = Library(tmp_path / "t")
    assert session is not None
    assert list(library.translations(session).values()) == ["Hello everyone"]
    library.close()


def test_the_tray_toggle_turns_translation_off_and_on_and_it_is_kept(app):
    app._refresh_menu()
    assert app.menu.translation_action.isCheckable()
    assert app.menu.translation_action.isChecked()
    app.menu.translation_action.trigger()
    assert not app.settings.translation.enabled
    assert app.controller.pipeline.translator is None
    assert not app.menu.translation_action.isChecked()
    assert not app.overlay.caption.translating
    assert not load_settings(app.store.path).settings.translation.enabled
    app.menu.translation_action.trigger()
    assert app.settings.translation.enabled and app.overlay.caption.translating
    assert app.controller.pipeline.translator is not None  # the engine was told
    assert load_settings(app.store.path).settings.translation.enabled


def test_a_translation_reaches_the_open_transcript_window(app, qtbot):
    pipeline, sink = app.controller.pipeline, app.controller.sink
    app.open_transcript_window()
    window = app.transcript_window
    assert window is not None
    qtbot.waitUntil(lambda: window._live_loaded and not window.tasks.busy(), timeout=10_000)
    for n, text in ((1, "大家好"), (2, "今天讲港口")):
        sink(Segment(text, n - 1.0, float(n)))
        pipeline.confirmed.emit(final(n, text))
    pipeline.translated.emit(
        TranscriptEvent(3.0, "translation", "Hello everyone", 0.0, 1.0, lang="en", final=1)
    )
    assert window.view.toPlainText().splitlines() == [
        "0:00  大家好",
        "      Hello everyone",
        "0:01  今天讲港口",
    ]
    window.tasks.wait()
