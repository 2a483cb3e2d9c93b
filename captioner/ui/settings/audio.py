"""The Audio tab: the microphone and its level, what is captioned, the two sides' labels."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox

from captioner.audio.devices import list_input_devices
from captioner.errors import AudioDeviceError
from captioner.settings import Settings
from captioner.ui.level_meter import LevelMeter
from captioner.ui.settings.choices import choice
from captioner.ui.settings.fields import SettingsPage, combo, text


class AudioTab(SettingsPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.input = self._device(
            self.tr("Microphone"),
            "audio.input",
            self.tr("System default"),
            self.tr("{0} (not connected)"),
            _inputs,
        )
        self.meter = LevelMeter()
        self.input.currentIndexChanged.connect(lambda _: self.listen())
        self.form.addRow(self.tr("Level"), self.meter)
        # What is captioned: the microphone, what the computer plays, or both, labelled.
        self.source = self.add_field(self.tr("Caption"), choice("audio.source"))
        self.output = self._device(
            self.tr("Output device"),
            "audio.output",
            self.tr("Default output (follows it when it changes)"),
            self.tr("{0} (not connected)"),
            _outputs,
        )
        self.me_name = self.add_field(self.tr("My label"), text("audio.me_name"))
        self.others_name = self.add_field(self.tr("Others' label"), text("audio.others_name"))

    def _device(
        self,
        label: str,
        path: str,
        default: str,
        missing: str,
        listed: Callable[[], list[tuple[str, str]]],
    ) -> QComboBox:
        """A device by name or id; None: the system's default. One the settings name that is
        not connected now stays chosen, labelled by ``missing``."""
        try:
            devices, problem = listed(), ""
        except AudioDeviceError as exc:
            devices, problem = [], str(exc)
        box = self.add_field(label, combo(path, [(default, None), *devices], missing))
        if problem:
            box.setToolTip(problem)
        return box

    def listen(self) -> None:
        """The level meter follows the chosen microphone."""
        self.meter.listen_to(self.input.currentData())


def _inputs() -> list[tuple[str, str]]:
    return [(f"{d.name} ({d.host_api})", d.name) for d in list_input_devices()]


def _outputs() -> list[tuple[str, str]]:
    from captioner.audio.loopback import list_output_devices

    return [(o.name, o.id) for o in list_output_devices()]
