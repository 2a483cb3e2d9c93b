"""The settings window's fields, checked over all of them: each setting it shows comes back
as it went in and as the user changed it, and every choice the settings' types allow is
offered, with a translated label."""

from __future__ import annotations

import typing
import xml.etree.ElementTree as ET
from dataclasses import fields
from pathlib import Path
from typing import Any, Literal

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QWidget,
)

from captioner.settings import Settings
from captioner.ui.settings.choices import CONTEXT, LABELS, Native, offered
from captioner.ui.settings.fields import ColorButton, Field, Setting
from captioner.ui.settings_dialog import SettingsDialog

TS = Path(__file__).resolve().parents[2] / "captioner" / "translations" / "captioner_zh_CN.ts"
# Settings the window does not show: the caption bar's own state, and a one-time notice.
NOT_IN_THE_WINDOW = {
    "overlay.locked",
    "overlay.visible",
    "overlay.positions",
    "interface.gpu_version_told",
}
# Not yet in the window: translation is set from the command line until its tab exists.
NOT_IN_THE_WINDOW |= {
    f"translation.{name}"
    for name in (
        "enabled",
        "target",
        "backend",
        "endpoint",
        "model",
        "remote_allowed",
        "size_ratio",
        "color",
    )
}
# Values a plain text cannot be just any text for.
TEXTS = {"hotkey.keys": "ctrl+alt+h", "recognition.model": "small"}


def all_settings() -> list[str]:
    hints = typing.get_type_hints(Settings)
    return [
        f"{group}.{f.name}"
        for group in (g.name for g in fields(Settings) if g.name != "version")
        for f in fields(hints[group])
    ]


def dialog_fields(dialog: SettingsDialog) -> dict[str, Field[Any]]:
    return {field.setting.path: field for page in dialog.pages for field in page.fields}


SHOWN = sorted(set(all_settings()) - NOT_IN_THE_WINDOW)


def another_value(setting: Setting) -> Any:
    """A value other than the default that the setting can take (a range's top, the last
    choice, a device that is not connected)."""
    hint, path = setting.hint, setting.path
    if path in LABELS:
        return next(v for v in reversed(offered(path)) if v != setting.default)
    if hint is bool:
        return not setting.default
    if hint in (int, float):
        return hint(setting.bounds()[1])
    if hint == list[str]:
        return ["霍思燕", "派森 => Python"]
    if path.endswith("_color"):
        return "#123456"
    if type(None) in typing.get_args(hint):
        return "USB microphone"
    return TEXTS.get(path, "Ann")


def edit(widget: QWidget, value: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``widget`` show ``value`` as a user would: choose it, type it, tick it."""
    if isinstance(widget, ColorButton):
        monkeypatch.setattr(QColorDialog, "getColor", lambda *_: QColor(value))
        widget.click()
    elif isinstance(widget, QComboBox) and widget.isEditable():
        widget.setCurrentText(value)
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        assert index >= 0, value
        widget.setCurrentIndex(index)
    elif isinstance(widget, QCheckBox):
        if widget.isChecked() != value:
            widget.click()
    elif isinstance(widget, QSlider):
        widget.setValue(round(value * 100))
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(value)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText("\n".join(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(", ".join(value) if isinstance(value, list) else value)
    else:
        raise AssertionError(f"no way to edit a {type(widget).__name__}")


def test_every_setting_is_in_the_window_once_unless_named_as_kept_out(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    paths = [field.setting.path for page in dialog.pages for field in page.fields]
    assert len(paths) == len(set(paths))
    assert sorted(paths) == SHOWN


@pytest.mark.parametrize("path", SHOWN)
def test_a_field_shows_its_setting_and_gives_back_what_the_user_made_of_it(
    qtbot, monkeypatch, path
):
    setting = Setting(path)
    settings = Settings()
    setting.set(settings, another_value(setting))
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.collect() == settings
    edit(dialog_fields(dialog)[path].widget, setting.default, monkeypatch)
    assert dialog.collect() == Settings()


TEXTS_LEFT_BLANK = [
    p for p in SHOWN if Setting(p).hint is str and p not in LABELS and not p.endswith("_color")
]


@pytest.mark.parametrize("path", TEXTS_LEFT_BLANK)
def test_a_text_left_blank_is_the_default_and_a_blank_hotkey_is_refused(qtbot, monkeypatch, path):
    setting = Setting(path)
    settings = Settings()
    setting.set(settings, another_value(setting))
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    edit(dialog_fields(dialog)[path].widget, "  ", monkeypatch)
    if path == "hotkey.keys":
        assert dialog.apply() is False
        assert "is not a key combination" in dialog.error.text()
    else:
        assert dialog.collect() == Settings()


def test_the_caption_preview_follows_each_caption_field(qtbot, monkeypatch):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    shown = dialog.captions.preview.style_settings
    for path, field in dialog_fields(dialog).items():
        setting = Setting(path)
        if setting.group == "overlay":
            value = another_value(setting)
            edit(field.widget, value, monkeypatch)
            assert getattr(shown, setting.name) == value, path


@pytest.mark.parametrize("path", SHOWN)
def test_every_choice_a_settings_type_allows_is_offered_with_a_label(qtbot, path):
    setting = Setting(path)
    allowed = setting.metadata.get("choices")
    if typing.get_origin(setting.hint) is Literal:
        allowed = typing.get_args(setting.hint)
        assert set(LABELS[path]) == set(allowed)
    if path not in LABELS:
        assert allowed is None, f"{path} has choices but is not a list in the window"
        return
    if allowed is not None:
        assert set(LABELS[path]) <= set(allowed)  # the language: a few of Whisper's
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    box = dialog_fields(dialog)[path].widget
    assert [box.itemData(i) for i in range(box.count())] == offered(path)


def test_every_choice_label_is_in_the_translation():
    translated = {
        message.findtext("source")
        for context in ET.parse(TS).getroot().iter("context")
        if context.findtext("name") == CONTEXT
        for message in context.iter("message")
    }
    labels = [
        str(label)
        for choices in LABELS.values()
        for label in choices.values()
        if not isinstance(label, Native)
    ]
    assert [label for label in labels if label not in translated] == []
