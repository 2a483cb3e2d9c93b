"""A live input level meter, so users can see which microphone hears them."""

from __future__ import annotations

from collections import deque

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from captioner.audio.microphone import MicrophoneSource
from captioner.errors import AudioDeviceError

FLOOR_DB = -60.0
POLL_MS = 60
# Speech whose loudest peak stays under this is too quiet to caption well: the voice
# detection misses words (the quiet test clip peaks at -38 dBFS; normal speech near -10).
QUIET_PEAK_DB = -30.0
QUIET_AFTER_S = 4.0  # of listening before the meter says so
QUIET_READINGS = round(QUIET_AFTER_S * 1000 / POLL_MS)


def too_quiet(levels: list[float]) -> bool:
    """Whether recent peak levels (one per poll, over QUIET_AFTER_S) show input that moves
    but stays too quiet: some sound (not a muted device), never a loud peak."""
    return len(levels) >= QUIET_READINGS and FLOOR_DB < max(levels) < QUIET_PEAK_DB


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
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.level_db = FLOOR_DB
        self._recent: deque[float] = deque(maxlen=QUIET_READINGS)
        self._device_note = ""
        self._device: int | str | None = None
        self._wanted = False

    def listen_to(self, device: int | str | None) -> None:
        """Follow ``device``: its stream is open while the meter is on screen, and only then
        (a window that was never shown, or a tab the user left, holds no microphone)."""
        self._device, self._wanted = device, True
        self.stop(forget=False)
        if self.isVisible():
            self._open()

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if self._wanted and self._source is None:
            self._open()

    def hideEvent(self, event: QHideEvent) -> None:  # Qt override
        self.stop(forget=False)
        super().hideEvent(event)

    def _open(self) -> None:
        device = self._device
        try:
            self._source = MicrophoneSource(device, ring_seconds=2.0)
            self._source.start()
        except AudioDeviceError as exc:
            self._source = None
            self.note.setText(str(exc))
            self.bar.setValue(int(FLOOR_DB))
            return
        self._device_note = self.tr("{name}: speak to see the level move.").format(
            name=self._source.device.name
        )
        self.note.setText(self._device_note)
        self._recent.clear()
        self._timer.start()

    def stop(self, forget: bool = True) -> None:
        """Close the stream; unless ``forget`` is False, showing the meter again does not
        reopen it."""
        if forget:
            self._wanted = False
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
            self.stop(forget=False)
            return
        self.show_level(peak_dbfs(source.ring.read()))

    def show_level(self, level_db: float) -> None:
        """One reading: the bar, and a hint when the input stays too quiet."""
        self.level_db = level_db
        self.bar.setValue(int(level_db))
        self._recent.append(level_db)
        if too_quiet(list(self._recent)):
            self.note.setText(
                self.tr(
                    "Your microphone is very quiet (loudest {level} dB): speak closer to it or "
                    "raise its input volume in the system's sound settings, or quiet words may "
                    "be missed."
                ).format(level=f"{max(self._recent):.0f}")
            )
        elif self.note.text() != self._device_note and len(self._recent) > 1:
            self.note.setText(self._device_note)
