"""The Hotkey tab: how the hotkey controls listening, and the keys, typed or recorded."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QKeySequenceEdit, QLabel

from captioner.control.global_hotkey import platform_limitations
from captioner.control.hotkey_spec import parse_hotkey
from captioner.settings import Settings
from captioner.ui.settings.choices import choice
from captioner.ui.settings.fields import SettingsPage, text


def hotkey_from_sequence(sequence: QKeySequence) -> str:
    """Qt's "Ctrl+Shift+Space" as our "ctrl+shift+space"."""
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText).split(",")[0]
    return text.replace("Meta", "cmd").lower()


def _hotkey(keys: str) -> str:
    return str(parse_hotkey(keys))  # HotkeyError (a ValueError) says what is wrong


class HotkeyTab(SettingsPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.mode = self.add_field(self.tr("Mode"), choice("hotkey.mode"))
        self.keys = self.add_field(self.tr("Hotkey"), text("hotkey.keys", check=_hotkey))
        self.capture = QKeySequenceEdit()
        self.capture.setMaximumSequenceLength(1)
        self.capture.keySequenceChanged.connect(self._record_hotkey)
        self.form.addRow(self.tr("Press it here to record"), self.capture)
        self.transcript_keys = self.add_field(
            self.tr("Transcript window"), text("hotkey.transcript_keys", check=_hotkey)
        )
        note = QLabel(
            platform_limitations() or self.tr("The hotkey works while other apps have focus.")
        )
        note.setWordWrap(True)
        self.form.addRow(note)

    def store(self, settings: Settings) -> None:
        super().store(settings)
        keys = settings.hotkey
        if parse_hotkey(keys.keys) == parse_hotkey(keys.transcript_keys):
            raise ValueError(
                self.tr(
                    "The transcript window's hotkey is the same as the listening hotkey: "
                    "choose other keys for one of them."
                )
            )

    def _record_hotkey(self, sequence: QKeySequence) -> None:
        if not sequence.isEmpty():
            self.keys.setText(hotkey_from_sequence(sequence))
