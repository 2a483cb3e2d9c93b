"""Installing an add-on from its zip (Settings), with progress and cancel, off the GUI thread."""

from __future__ import annotations

import threading
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

from captioner.addons import Addon, AddonCancelled, AddonError, install_addon, use_addons


class AddonDialog(QDialog):
    """Unpacks ``zip_path`` into the installation's add-on folder; ``installed`` is emitted
    with the Addon when it is ready to use (the engine can be chosen without a restart)."""

    installed = Signal(object)  # Addon
    _progressed = Signal(int, int)  # bytes unpacked, in all (from the unpacking thread)
    _done = Signal(object)  # an Addon, or an exception

    def __init__(self, zip_path: Path, install_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zip_path = zip_path
        self.install_dir = install_dir
        self.setWindowTitle(self.tr("Captioner: installing an add-on"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)  # above the caption bar
        self.title = QLabel(self.tr("Installing {zip}…").format(zip=zip_path.name))
        self.title.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self.tr("Cancel"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self._cancel = threading.Event()
        self._finished = False
        self.button.clicked.connect(self._on_button)
        self._progressed.connect(self._show_progress)
        self._done.connect(self._on_done)

    def start(self) -> None:
        self.show()
        threading.Thread(target=self._install, name="addon-install", daemon=True).start()

    def _install(self) -> None:
        try:
            result: object = install_addon(
                self.zip_path, self.install_dir, progress=self._progressed.emit, cancel=self._cancel
            )
        except AddonError as exc:
            result = exc
        self._done.emit(result)

    def _show_progress(self, done: int, total: int) -> None:
        self.bar.setValue(int(1000 * done / total) if total else 0)
        self.detail.setText(
            self.tr("{done} of {total} MB").format(done=done // 10**6, total=total // 10**6)
        )

    def _on_done(self, result: object) -> None:
        self._finished = True
        self.button.setText(self.tr("Close"))
        if isinstance(result, Addon):
            use_addons(self.install_dir)
            self.bar.setValue(1000)
            self.title.setText(self.tr("The {name} add-on is installed.").format(name=result.title))
            self.detail.setText(self.tr("It can be chosen in Settings now."))
            self.installed.emit(result)
        elif isinstance(result, AddonCancelled):
            self.close()
        else:
            self.title.setText(self.tr("The add-on could not be installed."))
            self.detail.setText(str(result))

    def _on_button(self) -> None:
        if self._finished:
            self.close()
        else:
            self._cancel.set()  # the unpacking thread stops at its next megabyte
            self.detail.setText(self.tr("Cancelling…"))
