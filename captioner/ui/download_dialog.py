"""Downloading a model, with progress, speed and cancel; offline, the embedded model instead."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from captioner.asr.downloads import DownloadCancelled, DownloadProgress, ProgressCallback
from captioner.asr.whisper.models import embedded_base_available, resolve_whisper_model
from captioner.errors import ModelError


def _megabytes(n: float) -> str:
    return f"{n / 1e6:.0f} MB"


# Fetches what is needed (reporting progress, honouring cancel) and returns a folder.
Resolver = Callable[[ProgressCallback, threading.Event], object]


class DownloadDialog(QDialog):
    """Fetches models (downloading them if needed) off the GUI thread.

    ``outcome`` is emitted once: "ready" (the models are there), "use_base" (the user took
    the embedded Whisper base model instead), or "cancelled"/"failed".
    """

    outcome = Signal(str)
    progressed = Signal(object)  # DownloadProgress, from the download thread
    _done = Signal(object)  # a Path, or an exception

    def __init__(
        self,
        model: str,
        mirror: str = "",
        parent: QWidget | None = None,
        resolve: Resolver | None = None,
    ) -> None:
        """``model``: what is fetched, in words. ``resolve``: how (default: the Whisper model
        of that name, from Hugging Face or ``mirror``)."""
        super().__init__(parent)
        self.model = model
        self._resolve: Resolver = resolve or (
            lambda progress, cancel: resolve_whisper_model(
                model, progress=progress, cancel=cancel, mirror=mirror or None
            )
        )
        self.setWindowTitle(self.tr("Captioner: downloading a model"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)  # above the caption bar
        self.title = QLabel(
            self.tr("Downloading the model “{model}” (only once)…").format(model=model)
        )
        self.title.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the size is known
        self.detail = QLabel(self.tr("Connecting…"))
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.base_button = QPushButton(self.tr("Use the built-in base model"))
        self.base_button.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.base_button)
        buttons.addWidget(self.cancel_button)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self._cancel = threading.Event()
        self._reported = False
        self._failed = False
        self.cancel_button.clicked.connect(self._on_cancel)
        self.base_button.clicked.connect(lambda: self._finish("use_base"))
        self.progressed.connect(self._show_progress)
        self._done.connect(self._on_done)
        self.path: Path | None = None

    def start(self) -> None:
        self.show()
        threading.Thread(target=self._download, name="model-download", daemon=True).start()

    def _download(self) -> None:
        try:
            result: object = self._resolve(self.progressed.emit, self._cancel)
        except ModelError as exc:
            result = exc
        self._done.emit(result)

    def _show_progress(self, progress: DownloadProgress) -> None:
        if progress.total_bytes:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * progress.done_bytes / progress.total_bytes))
            size = f"{_megabytes(progress.done_bytes)} of {_megabytes(progress.total_bytes)}"
        else:
            size = _megabytes(progress.done_bytes)
        self.detail.setText(
            self.tr("{size} · {speed:.1f} MB/s").format(
                size=size, speed=progress.bytes_per_second / 1e6
            )
        )

    def _on_done(self, result: object) -> None:
        if not isinstance(result, BaseException):
            self.path = result if isinstance(result, Path) else None
            self._finish("ready")
        elif isinstance(result, DownloadCancelled):
            self._finish("cancelled")
        else:
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.title.setText(
                self.tr("The model “{model}” could not be downloaded.").format(model=self.model)
            )
            self.detail.setText(str(result))
            self.cancel_button.setText(self.tr("Close"))
            self.base_button.setVisible(embedded_base_available())
            self._failed = True
            self._fit_text()

    def _fit_text(self) -> None:
        """Grow to show all of a longer text: a shown window keeps its size otherwise, and a
        wrapped label then cuts the message off after a line or two."""
        layout = self._layout
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _on_cancel(self) -> None:
        if self._failed:
            self._finish("failed")
        else:
            self._cancel.set()  # the download thread stops at its next chunk
            self.detail.setText(self.tr("Cancelling…"))

    def _finish(self, outcome: str) -> None:
        if not self._reported:
            self._reported = True
            self.outcome.emit(outcome)
        self.close()
