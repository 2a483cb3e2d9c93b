"""A damaged settings file: one line on the caption bar, and a window whose details list
every setting that was reset (offscreen)."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox

from captioner.settings import SettingsStore
from captioner.ui.settings_problems import settings_problems_box
from tests.support.i18n import chinese_interface
from tests.support.settings import seventeen_wrong_values


def test_the_details_list_every_warning(qtbot, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(seventeen_wrong_values()), encoding="utf-8")
    store = SettingsStore(path)
    box = settings_problems_box(store)
    assert box is not None
    qtbot.addWidget(box)
    assert box.text() == store.summary()
    details = box.detailedText().splitlines()
    assert details == store.warnings and len(details) == 17
    assert any("overlay.font_size" in line for line in details)
    # Qt's own "Show Details…" button (an action button) reveals them.
    roles = [box.buttonRole(button) for button in box.buttons()]
    assert QMessageBox.ButtonRole.ActionRole in roles


def test_no_window_when_the_one_line_says_it_all(qtbot, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"overlay": {"lines": 0}}), encoding="utf-8")
    store = SettingsStore(path)
    assert len(store.warnings) == 1 and settings_problems_box(store) is None
    path.write_text("{}", encoding="utf-8")
    assert settings_problems_box(SettingsStore(path)) is None


def test_the_window_speaks_chinese(qtbot, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"overlay": {"lines": 0, "width": 1}}), encoding="utf-8")
    with chinese_interface():
        store = SettingsStore(path)
        box = settings_problems_box(store)
        assert box is not None
        qtbot.addWidget(box)
        assert box.text().startswith("2 项设置已重置为默认值")
        assert box.informativeText() == "详情中列出了每项被重置的设置及其原因。"
        assert "设置“overlay.width”的值 1 超出 200..8000 的范围" in box.detailedText()
