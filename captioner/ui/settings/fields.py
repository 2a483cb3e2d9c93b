"""Fields: one widget bound to one setting, declared once, in the row of a settings tab.

A field reads its setting's range and default from the settings' dataclasses, so the form
cannot drift from what loading the settings file accepts.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from captioner.settings import Settings

W = TypeVar("W", bound=QWidget)


class Setting:
    """One value of the settings by its path ("overlay.font_size"): type, metadata, default."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.group, self.name = path.split(".")
        group = typing.get_type_hints(Settings)[self.group]
        self.hint: Any = typing.get_type_hints(group)[self.name]
        self.metadata: Mapping[str, Any] = next(
            f.metadata for f in fields(group) if f.name == self.name
        )
        self.default: Any = getattr(group(), self.name)

    def bounds(self) -> tuple[float, float]:
        return self.metadata["min"], self.metadata["max"]

    def get(self, settings: Settings) -> Any:
        return getattr(getattr(settings, self.group), self.name)

    def set(self, settings: Settings, value: Any) -> None:
        setattr(getattr(settings, self.group), self.name, value)


@dataclass
class Field(Generic[W]):
    """``widget`` showing ``setting``: ``write`` puts a value in, ``read`` gives back the value
    the user made of it (or raises ValueError, with the reason to show, for one the setting
    cannot take), ``changed`` fires as the user edits it."""

    setting: Setting
    widget: W
    write: Callable[[Any], object]
    read: Callable[[], Any]
    changed: SignalInstance


class SettingsPage(QWidget):
    """A tab of the settings window: a form whose fields each show one setting."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings  # what each field shows when it is added
        self.form = QFormLayout(self)
        self.fields: list[Field[Any]] = []

    def add_field(self, label: str | None, field: Field[W], *beside: QWidget) -> W:
        """``field`` in the next row, under ``label`` (None: across the row, for a checkbox
        that says it all), with ``beside`` it the buttons that act on it."""
        field.write(field.setting.get(self.settings))
        self.fields.append(field)
        if beside:
            row = QHBoxLayout()
            row.addWidget(field.widget, 1)
            for widget in beside:
                row.addWidget(widget)
            self.form.addRow(label or "", row)
        elif label is None:
            self.form.addRow(field.widget)
        else:
            self.form.addRow(label, field.widget)
        return field.widget

    def store(self, settings: Settings) -> None:
        """What the fields show, into ``settings`` (ValueError: a value they cannot take)."""
        for field in self.fields:
            field.setting.set(settings, field.read())

    def save_outside(self) -> None:
        """What the tab keeps outside the settings file (a key in the credential store), on
        apply; raises CaptionerError, in words, when it cannot."""


def _trimmed(text: str, setting: Setting) -> Any:
    return text.strip() or setting.default  # blank means the default, not an empty name


def text(path: str, check: Callable[[str], Any] | None = None) -> Field[QLineEdit]:
    """A line of text, trimmed; left blank, the setting's default. With ``check`` the text
    goes through it as typed instead (it raises ValueError for text the setting cannot take)."""
    setting = Setting(path)
    line = QLineEdit()

    def read() -> Any:
        return check(line.text()) if check else _trimmed(line.text(), setting)

    return Field(setting, line, line.setText, read, line.textChanged)


def listed(path: str) -> Field[QLineEdit]:
    """A list of texts on one line, separated by commas."""
    line = QLineEdit()
    return _items(path, line, ", ", line.text, line.setText, line.textChanged)


def lines(path: str) -> Field[QPlainTextEdit]:
    """A list of texts, one a line."""
    edit = QPlainTextEdit()
    return _items(path, edit, "\n", edit.toPlainText, edit.setPlainText, edit.textChanged)


def _items(
    path: str,
    widget: W,
    separator: str,
    text: Callable[[], str],
    set_text: Callable[[str], object],
    changed: SignalInstance,
) -> Field[W]:
    """Texts shown joined by ``separator``, read back trimmed, blank ones dropped."""

    def read() -> list[str]:
        written = text()
        parts = written.splitlines() if separator == "\n" else written.split(separator.strip())
        return [part.strip() for part in parts if part.strip()]

    def write(items: list[str]) -> None:
        set_text(separator.join(items))

    return Field(Setting(path), widget, write, read, changed)


def combo(path: str, items: Iterable[tuple[str, Any]], missing: str = "{0}") -> Field[QComboBox]:
    """One of ``items`` (label, value). A value the settings have that is not among them (a
    device not connected now, a code typed into the settings file) is added, labelled by the
    template ``missing``, so that it is kept."""
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)

    def write(value: Any) -> None:
        index = box.findData(value)
        if index < 0 and value is not None:
            box.addItem(missing.format(value), value)
            index = box.count() - 1
        box.setCurrentIndex(max(index, 0))

    return Field(Setting(path), box, write, box.currentData, box.currentIndexChanged)


def editable(path: str, items: list[str]) -> Field[QComboBox]:
    """A text that ``items`` suggest; left blank, the setting's default."""
    setting = Setting(path)
    box = QComboBox()
    box.setEditable(True)
    box.addItems(items)
    return Field(
        setting,
        box,
        box.setCurrentText,
        lambda: _trimmed(box.currentText(), setting),
        box.currentTextChanged,
    )


def font(path: str) -> Field[QFontComboBox]:
    """A font family; blank: none chosen (the captions pick a system font)."""
    box = QFontComboBox()

    def write(family: str) -> None:
        if family:
            box.setCurrentText(family)
        else:
            box.setCurrentIndex(-1)
            box.setEditText("")

    return Field(
        Setting(path), box, write, lambda: box.currentText().strip(), box.currentTextChanged
    )


def whole(path: str) -> Field[QSpinBox]:
    """A whole number in the setting's range."""
    setting = Setting(path)
    spin = QSpinBox()
    low, high = setting.bounds()
    spin.setRange(int(low), int(high))
    return Field(setting, spin, spin.setValue, spin.value, spin.valueChanged)


def decimal(path: str, step: float) -> Field[QDoubleSpinBox]:
    """A number in the setting's range, in steps of ``step``."""
    setting = Setting(path)
    spin = QDoubleSpinBox()
    spin.setRange(*setting.bounds())
    spin.setSingleStep(step)
    return Field(setting, spin, spin.setValue, spin.value, spin.valueChanged)


def fraction(path: str) -> Field[QSlider]:
    """A fraction (an opacity) on a slider in hundredths."""
    setting = Setting(path)
    slider = QSlider(Qt.Orientation.Horizontal)
    low, high = setting.bounds()
    slider.setRange(round(low * 100), round(high * 100))
    return Field(
        setting,
        slider,
        lambda value: slider.setValue(round(value * 100)),
        lambda: slider.value() / 100,
        slider.valueChanged,
    )


def check_box(path: str, label: str) -> Field[QCheckBox]:
    """On or off, said by ``label`` beside the box."""
    box = QCheckBox(label)
    return Field(Setting(path), box, box.setChecked, box.isChecked, box.toggled)


class ColorButton(QPushButton):
    """A colour ("#rrggbb") shown on the button itself; clicked, the colour picker."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.color = ""
        self.clicked.connect(self._choose)

    def set_color(self, color: str) -> None:
        self.color = color
        self.setText(color)
        self.setStyleSheet(f"background: {color}; color: {_contrast(color)};")

    def _choose(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self)
        if chosen.isValid():
            self.set_color(chosen.name())
            self.changed.emit(self.color)


def _contrast(color: str) -> str:
    return "#000000" if QColor(color).lightness() > 140 else "#ffffff"


def colour(path: str) -> Field[ColorButton]:
    """A colour, picked with the system's colour dialog."""
    button = ColorButton()
    return Field(Setting(path), button, button.set_color, lambda: button.color, button.changed)
