"""What the app tells a newcomer when something is off, offscreen (no X server, no
microphone: the app is built but recognition is not started)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from captioner.app.desktop import CaptionerApp
from captioner.control.listening import ListeningMode
from captioner.settings import SettingsStore


@pytest.fixture
def make_app(qtbot, tmp_path):
    apps: list[CaptionerApp] = []

    def make(**overrides: object) -> CaptionerApp:
        path = tmp_path / "settings.json"
        path.write_text(json.dumps({}), encoding="utf-8")
        overrides.setdefault("transcripts.folder", str(tmp_path / "transcripts"))
        app = CaptionerApp(SettingsStore(path, dict(overrides)))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


def unwritable_folder(tmp_path: Path) -> Path:
    """A transcripts folder that cannot be written, even by root (who ignores chmod)."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder / "transcripts"
    if sys.platform.startswith("linux"):
        return Path("/sys/captioner-transcripts")  # sysfs: no new folders, even for root
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    return blocker / "transcripts"


def test_open_transcripts_folder_says_where_it_is(make_app, tmp_path):
    # Offscreen there is no file manager at all: opening it cannot be shown, so it is said.
    app = make_app()
    app.open_transcripts()
    assert str(tmp_path / "transcripts") in app.overlay.message
    assert (tmp_path / "transcripts").is_dir()


def test_an_unwritable_transcripts_folder_is_said_at_start_with_a_way_out(
    make_app, qtbot, tmp_path
):
    folder = unwritable_folder(tmp_path)
    app = make_app(**{"transcripts.folder": str(folder)})
    app.check_transcripts_folder()
    qtbot.waitUntil(lambda: app.folder_prompt is not None, timeout=10_000)
    assert f"Transcripts cannot be saved in {folder}" in app.overlay.message
    assert app.folder_prompt is not None and app.folder_prompt.isVisible()
    choose = app.folder_prompt.buttons()[0]
    assert "Choose another folder" in choose.text()
    choose.click()
    assert app.folder_dialog is not None and app.folder_dialog.isVisible()
    other = tmp_path / "elsewhere"
    other.mkdir()
    app.folder_dialog.fileSelected.emit(str(other))
    assert app.settings.transcripts.folder == str(other)
    assert app.controller.sink._folder == other  # the next confirmed line goes there


def test_a_writable_transcripts_folder_is_not_questioned(make_app, qtbot):
    app = make_app()
    app.check_transcripts_folder()
    qtbot.wait(500)
    assert app.folder_prompt is None and app.overlay.message == ""


def test_an_empty_model_folder_is_said_not_loaded_for_ever(make_app, qtbot, tmp_path):
    from captioner.control.state import CaptionState

    empty = tmp_path / "empty model"
    empty.mkdir()
    app = make_app(**{"recognition.model": str(empty)})
    app.start()
    qtbot.waitUntil(lambda: app.overlay.state is CaptionState.ERROR, timeout=60_000)
    assert "is not a Whisper model folder" in app.overlay.message
    assert str(empty) in app.overlay.message


def test_until_the_first_caption_the_bar_says_what_to_do(make_app):
    from captioner.control.state import CaptionState

    app = make_app(**{"hotkey.mode": "hold", "recognition.model": "base"})
    app.controller.state_changed.emit(CaptionState.LOADING, 0.0)  # the blue dot
    assert app.overlay.shown_hint() == "Loading model… base"
    app.controller.state_changed.emit(CaptionState.IDLE, 0.0)  # ready, nobody holds the key
    assert app.overlay.shown_hint() == "Hold Ctrl+Shift+Space to talk"
    app._set_mode(ListeningMode.TOGGLE)
    assert app.overlay.shown_hint().startswith("Press Ctrl+Shift+Space to start")
    app.overlay.add_confirmed("你好。")
    assert app.overlay.shown_hint() == ""  # the first caption ends the guidance


@pytest.fixture
def chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    from captioner.ui import i18n

    translators = i18n.install("zh_CN")
    assert translators, "captioner_zh_CN.qm did not load"
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def test_in_chinese_the_bar_menu_and_messages_speak_chinese(chinese, make_app, tmp_path):
    from captioner.control.state import CaptionState

    app = make_app(**{"hotkey.mode": "hold"})
    app.controller.state_changed.emit(CaptionState.IDLE, 0.0)
    assert app.overlay.shown_hint() == "按住 Ctrl+Shift+Space 说话"
    app.controller.state_changed.emit(CaptionState.LOADING, 0.0)
    assert app.overlay.shown_hint() == "正在加载模型… base"
    texts = [action.text() for action in app.menu.menu.actions() if action.text()]
    assert "开始收听" in texts and "退出 Captioner" in texts
    app.open_transcripts()
    assert app.overlay.message.startswith("没有可用的文件管理器")


def test_the_settings_dialog_in_chinese(chinese, qtbot):
    from captioner.settings import Settings
    from captioner.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Captioner 设置"
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "音频", "识别", "快捷键", "字幕", "翻译", "文字记录", "实时推送",
    ]  # fmt: skip
    placeholder = dialog.captions.font_family.lineEdit().placeholderText()
    assert placeholder == "自动：使用含中文字形的系统字体"
    assert dialog.audio.input.itemText(0) == "系统默认"


@pytest.mark.parametrize(
    ("choice", "system", "expected"),
    [
        ("system", "zh_CN", "zh_CN"),
        ("system", "zh_TW", "zh_CN"),
        ("system", "en_GB", "en"),
        ("system", "de_DE", "en"),
        ("en", "zh_CN", "en"),
        ("zh_CN", "en_US", "zh_CN"),
    ],
)
def test_the_interface_language_follows_the_system_unless_chosen(choice, system, expected):
    from PySide6.QtCore import QLocale

    from captioner.ui.i18n import interface_language

    assert interface_language(choice, QLocale(system)) == expected


def test_many_wrong_settings_make_one_line_on_the_bar_and_each_is_logged(qtbot, tmp_path, caplog):
    from tests.support.settings import seventeen_wrong_values

    path = tmp_path / "settings.json"
    path.write_text(json.dumps(seventeen_wrong_values()), encoding="utf-8")
    app = CaptionerApp(SettingsStore(path, {"transcripts.folder": str(tmp_path / "t")}))
    try:
        app.report_settings_problems()
        assert app.overlay.message.startswith("17 settings were reset to their defaults")
        assert str(app.store.backup) in app.overlay.message
        # ... and a window whose details list each of them.
        assert app.settings_problems is not None and app.settings_problems.isVisible()
        assert app.settings_problems.detailedText().splitlines() == app.store.warnings
        logged = [r.getMessage() for r in caplog.records if r.name == "captioner.app.desktop"]
        assert len(logged) == 17 and any("overlay.font_size" in m for m in logged)
    finally:
        app.close()
    assert app.store.backup is not None and app.store.backup.is_file()  # kept after the save


NO_MICROPHONE = (
    "No microphone or other audio input device was found. Plug one in, or check that the "
    "operating system allows this app to use the microphone."
)


def channel_workers(app):
    """The app's channels' workers, made but not started: their signals are emitted here,
    as their threads would."""
    app.controller.pipeline.build()
    return [channel.worker for channel in app.controller.pipeline.channels]


def first_worker(app):
    return channel_workers(app)[0]


def test_while_no_microphone_is_found_the_bar_keeps_saying_so_not_how_to_talk(make_app):
    from captioner.control.state import CaptionState

    app = make_app(**{"hotkey.mode": "hold"})
    worker = first_worker(app)
    worker.ready.emit("")  # the model is loaded (not really: only its signal)
    assert app.overlay.shown_hint() == "Hold Ctrl+Shift+Space to talk"
    worker.source_failed.emit(NO_MICROPHONE)
    said = f"{NO_MICROPHONE} Captioning resumes when a microphone is available."
    assert app.overlay.state is CaptionState.ERROR and app.overlay.shown_hint() == said
    assert app.overlay.message == said  # told at once, and as a notification
    worker.source_failed.emit(NO_MICROPHONE)  # the retry every 2 s finds none again
    app.overlay._message_until = 0.0  # the notice's time on the bar is over
    app.controller.state_changed.emit(CaptionState.ERROR, 0.0)
    assert app.overlay.shown_hint() == said  # still: not "Hold Ctrl+Shift+Space to talk"
    app._set_mode(ListeningMode.TOGGLE)
    assert app.overlay.shown_hint() == said
    worker.capturing.emit("USB Microphone")  # plugged in: resolved
    assert app.overlay.shown_hint().startswith("Press Ctrl+Shift+Space to start")


def test_a_silent_microphone_is_said_until_it_delivers_sound_and_notified_once(make_app):
    from captioner.audio.silence import silent_microphone_text
    from captioner.control.state import CaptionState

    app = make_app(**{"hotkey.mode": "hold"})
    worker = first_worker(app)
    notices: list[str] = []
    app.controller.problem.connect(lambda problem: notices.append(problem.text))
    worker.ready.emit("")  # the model is loaded (not really: only its signal)
    muted = silent_microphone_text("USB Microphone")
    worker.source_silent.emit(muted)
    assert app.overlay.shown_hint() == muted and notices == [muted]
    assert app.overlay.state is CaptionState.IDLE  # it works; nothing reaches it
    worker.source_silent.emit("")  # sound again
    assert app.overlay.shown_hint() == "Hold Ctrl+Shift+Space to talk"
    worker.source_silent.emit(muted)  # silent again later: the bar says it, no new notice
    assert app.overlay.shown_hint() == muted and notices == [muted]
    worker.capturing.emit("Another Microphone")  # another capture: a fresh start
    assert app.overlay.shown_hint() == "Hold Ctrl+Shift+Space to talk"


def test_the_system_audio_failing_beside_the_microphone_stands_until_it_is_back(make_app):
    app = make_app(**{"hotkey.mode": "hold", "audio.source": "both"})
    microphone, system = channel_workers(app)  # not started: only their signals
    microphone.ready.emit("")
    system.source_failed.emit("The speakers 'HDMI' stopped delivering audio.")
    said = "The speakers 'HDMI' stopped delivering audio. Captioning resumes when it is "
    assert app.overlay.shown_hint().startswith(said)
    system.capturing.emit("HDMI")
    assert app.overlay.shown_hint() == "Hold Ctrl+Shift+Space to talk"


def test_in_chinese_the_missing_microphone_stays_on_the_bar_in_chinese(chinese, make_app):
    from captioner.control.state import CaptionState
    from captioner.i18n import translate

    app = make_app(**{"hotkey.mode": "hold"})
    worker = first_worker(app)
    worker.ready.emit("")
    worker.source_failed.emit(translate("audio", NO_MICROPHONE))
    app.overlay._message_until = 0.0
    app.controller.state_changed.emit(CaptionState.ERROR, 0.0)
    assert app.overlay.shown_hint() == (
        "没有找到麦克风或其他音频输入设备。请接上一个，或检查操作系统是否允许此应用使用麦克风。"
        " 有可用的麦克风时，字幕会自动恢复。"
    )
