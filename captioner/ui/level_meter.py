"""A live input level meter, so users can see which microphone hears them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from captioner.audio.microphone import MicrophoneSource
from captioner.errors import AudioDeviceError

FLOOR_DB = -60.0


def peak_dbfs(samples: np.ndarray) -> float:
    if samples.size == 0:
        return FLOOR_DB
    peak = float(np.max(np.abs(samples)))
    return max(FLOOR_DB, 20 * np.log10(peak)) if peak > 0 else FLOOR_DB


class LevelMeter(QWidget):
    """Opens the chosen input on its own stream while visible and shows its peak level."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(int(FLOOR_DB), 0)
        self.bar.setFormat("%v dB")
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.note)
        self._source: MicrophoneSource | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self._poll)
        self.level_db = FLOOR_DB

    def listen_to(self, device: int | str | None) -> None:
        self.stop()
        try:
            self._source = MicrophoneSource(device, ring_seconds=2.0)
            self._source.start()
        except AudioDeviceError as exc:
            self._source = None
            self.note.setText(str(exc))
            self.bar.setValue(int(FLOOR_DB))
            return
        self.note.setText(
            self.tr("{name}: speak to see the level move.").format(name=self._source.device.name)
        )
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._source is not None:
            self._source.stop()
            self._source = None

    def _poll(self) -> None:
        source = self._source
        if source is None:
            return
        if source.error:
            self.note.setText(source.error)
            self.stop()
            return
        self.level_db = peak_dbfs(source.ring.read())
        self.bar.setValue(int(self.level_db))
