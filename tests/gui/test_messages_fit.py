"""Messages are shown whole: on the caption bar and in the download dialog."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from captioner.errors import ModelError
from captioner.settings import OverlaySettings
from captioner.ui.download_dialog import DownloadDialog
from captioner.ui.overlay import OverlayWindow

OFFLINE = (
    "Cannot download the model 'small': huggingface.co could not be reached (offline, or "
    "blocked). Connect to the internet, set a download mirror in Settings (e.g. "
    "https://hf-mirror.com), or copy a CTranslate2 model folder onto this computer and "
    "choose it as the model."
)


def bright_rows(image: QImage, top: int, lightness: int = 200) -> int:
    """Rows from ``top`` down that hold light (text) pixels."""
    rows = 0
    for y in range(top, image.height()):
        if any(image.pixelColor(x, y).lightness() > lightness for x in range(0, image.width(), 2)):
            rows += 1
    return rows


def test_a_long_message_on_the_caption_bar_is_wrapped_not_cut(qtbot):
    overlay = OverlayWindow(OverlaySettings())
    qtbot.addWidget(overlay)
    overlay.show()
    below_status = overlay._status_height() + 4  # the status row: text 10 px high, centred
    assert bright_rows(overlay.grab().toImage(), below_status) == 0
    overlay.show_message(
        "The settings file could not be read, defaults are used; the old one is kept as "
        "/home/someone/.config/Captioner/settings.json.corrupt-20261129-020304 "
        "(Expecting value: line 1 column 17 (char 16))."
    )
    # The rest of the message goes on below the status row, where the captions would be.
    assert bright_rows(overlay.grab().toImage(), below_status) > 5


def test_a_short_message_leaves_the_captions_in_place(qtbot):
    overlay = OverlayWindow(OverlaySettings())
    qtbot.addWidget(overlay)
    overlay.show()
    overlay.add_confirmed("引才要筛，用才也要筛。")
    with_caption = bright_rows(overlay.grab().toImage(), overlay._status_height() + 8)
    overlay.show_message("Microphone is back.")
    assert bright_rows(overlay.grab().toImage(), overlay._status_height() + 8) == with_caption


@pytest.mark.parametrize("model", ["small", "a-rather-long-organisation/whisper-large-v3-zh"])
def test_the_download_dialogs_error_is_shown_whole(qtbot, model):
    def offline(progress, cancel):
        raise ModelError(OFFLINE)

    dialog = DownloadDialog(model, resolve=offline)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.detail.text() == OFFLINE, timeout=10_000)
    for label in (dialog.title, dialog.detail):
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    dialog.close()


def test_the_hint_is_drawn_where_the_captions_go_until_the_first_one(qtbot):
    overlay = OverlayWindow(OverlaySettings())
    qtbot.addWidget(overlay)
    overlay.show()
    top = overlay._status_height() + 12
    assert bright_rows(overlay.grab().toImage(), top, 150) == 0
    overlay.set_hint("按住 Ctrl+Shift+Space 说话")
    assert bright_rows(overlay.grab().toImage(), top, 150) > 10
    overlay.add_confirmed("")  # nothing said yet: the hint stays
    assert overlay.shown_hint()
    overlay.show_partial("你好")
    overlay.show_partial("")
    assert overlay.shown_hint() == ""
    assert bright_rows(overlay.grab().toImage(), top, 150) == 0


NO_MICROPHONE = (
    "No microphone or other audio input device was found. Plug one in, or check that the "
    "operating system allows this app to use the microphone. Captioning resumes when a "
    "microphone is available."
)


def status_row_is_lit(overlay: OverlayWindow) -> bool:
    """Text in the status row, right of the state dot."""
    image = overlay.grab().toImage()
    return any(
        image.pixelColor(x, y).lightness() > 200
        for y in range(2, overlay._status_height() + 2)
        for x in range(30, image.width() - 40, 2)
    )


NO_MICROPHONE_ZH = (
    "没有找到麦克风或其他音频输入设备。请接上一个，或检查操作系统是否允许此应用使用麦克风。"
    "有可用的麦克风时，字幕会自动恢复。"
)


@pytest.mark.parametrize("text", [NO_MICROPHONE, NO_MICROPHONE_ZH])
def test_a_standing_problem_takes_the_hints_place_whole(qtbot, text):
    """Three lines of English at the captions' size do not fit the bar's two: smaller."""
    overlay = OverlayWindow(OverlaySettings())
    qtbot.addWidget(overlay)
    overlay.show()
    overlay.set_hint("Hold Ctrl+Shift+Space to talk")
    top = overlay._status_height() + 12
    hint_rows = bright_rows(overlay.grab().toImage(), top, 150)
    overlay.set_problem(text)
    assert overlay.shown_hint() == text
    assert bright_rows(overlay.grab().toImage(), top, 150) > hint_rows  # more lines, smaller
    area = overlay.rect().adjusted(12, 12 + overlay._status_height(), -12, -12)
    layout, style = overlay._fit_problem(QRectF(area))
    assert sum(line.textLength() for line in layout.lines) == len(text)  # nothing cut off
    if text == NO_MICROPHONE:
        assert style.font_size < OverlaySettings().font_size  # made smaller to fit
    assert not status_row_is_lit(overlay)  # said once, in the captions' place
    overlay.show_message(text)  # the notice when it arose: the bar already says it
    assert not status_row_is_lit(overlay)
    overlay.set_problem("")
    assert overlay.shown_hint() == "Hold Ctrl+Shift+Space to talk"


def test_a_standing_problem_stays_after_the_first_caption_and_beside_captions(qtbot):
    overlay = OverlayWindow(OverlaySettings(clear_after_s=0.5))
    qtbot.addWidget(overlay)
    overlay.show()
    overlay.set_hint("Hold Ctrl+Shift+Space to talk")
    overlay.add_confirmed("你好。")
    assert overlay.shown_hint() == ""  # the first caption ends the guidance
    overlay.set_problem(NO_MICROPHONE)  # then the microphone was unplugged
    assert overlay.shown_hint() == NO_MICROPHONE
    assert status_row_is_lit(overlay)  # beside the caption still shown: in the status row
    assert overlay.caption.visible(time.monotonic()).confirmed
    qtbot.waitUntil(lambda: not overlay.caption.visible(time.monotonic()).confirmed)
    # The caption has gone: the problem has its place, whole, in the hint's colour.
    assert bright_rows(overlay.grab().toImage(), overlay._status_height() + 8, 150) > 30
    assert not status_row_is_lit(overlay)


@pytest.mark.parametrize("engine", ["whisper", "funasr"])
def test_settings_show_only_the_chosen_engines_fields(qtbot, engine):
    from captioner.settings import Settings
    from captioner.ui.settings_dialog import SettingsDialog

    settings = Settings()
    settings.recognition.engine = engine
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    tab = dialog.recognition
    form = tab.form
    whisper_fields = [tab.compute, tab.mirror]
    funasr_fields = [tab.second_pass, tab.chunk, tab.funasr_box]
    for field in whisper_fields:
        assert form.isRowVisible(field) is (engine == "whisper")
    for field in funasr_fields:
        assert form.isRowVisible(field) is (engine == "funasr")
    other = "funasr" if engine == "whisper" else "whisper"
    tab.engine.setCurrentIndex(tab.engine.findData(other))  # switching shows the others
    for field in funasr_fields:
        assert form.isRowVisible(field) is (other == "funasr")
    assert form.isRowVisible(tab.language) and form.isRowVisible(tab.device)


def test_an_empty_font_field_says_what_it_means(qtbot):
    from captioner.settings import Settings
    from captioner.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    line = dialog.captions.font_family.lineEdit()
    assert line.text() == "" and "Chinese" in line.placeholderText()


def test_dialogs_are_in_the_caption_bars_layer_so_it_cannot_cover_them(qtbot):
    from PySide6.QtCore import Qt

    from captioner.settings import Settings
    from captioner.ui.settings_dialog import SettingsDialog

    on_top = Qt.WindowType.WindowStaysOnTopHint
    overlay = OverlayWindow(OverlaySettings())
    qtbot.addWidget(overlay)
    assert overlay.windowFlags() & on_top
    settings_dialog = SettingsDialog(Settings())
    download = DownloadDialog("small", resolve=lambda progress, cancel: None)
    for dialog in (settings_dialog, download):
        qtbot.addWidget(dialog)
        assert dialog.windowFlags() & on_top, dialog
