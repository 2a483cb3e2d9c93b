"""The app's menu, in the system tray and on the unlocked overlay (right click)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal, SignalInstance
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from captioner.control.listening import ListeningMode
from captioner.control.problems import Problem
from captioner.ui.icons import app_icon

_MODE_LABELS = {  # translated where shown (AppMenu's tr())
    ListeningMode.HOLD: QT_TRANSLATE_NOOP("AppMenu", "Hold to talk"),
    ListeningMode.TOGGLE: QT_TRANSLATE_NOOP("AppMenu", "Press to start / stop"),
    ListeningMode.ALWAYS: QT_TRANSLATE_NOOP("AppMenu", "Always on (voice detection)"),
}


class AppMenu(QObject):
    toggle_listening = Signal()
    mode_chosen = Signal(object)  # ListeningMode
    toggle_overlay = Signal()
    toggle_lock = Signal()
    reset = Signal()
    source_chosen = Signal(str)  # "mic", "system" or "both"
    toggle_system_audio = Signal()  # pause / resume what the computer plays
    toggle_translation = Signal()  # a translation line under each confirmed line, or none
    open_settings = Signal()
    open_transcripts = Signal()
    open_transcript_window = Signal()
    quit = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.menu = QMenu()
        self.listen_action = self._action(self.tr("Start listening"), self.toggle_listening)
        modes = self.menu.addMenu(self.tr("Mode"))
        group = QActionGroup(self)
        self.mode_actions: dict[ListeningMode, QAction] = {}
        for mode, label in _MODE_LABELS.items():
            action = QAction(self.tr(str(label)), group, checkable=True)
            action.triggered.connect(lambda _=False, m=mode: self.mode_chosen.emit(m))
            modes.addAction(action)
            self.mode_actions[mode] = action
        sources = self.menu.addMenu(self.tr("Audio source"))
        source_group = QActionGroup(self)
        self.source_actions: dict[str, QAction] = {}
        for source, label in (
            ("mic", self.tr("Microphone")),
            ("system", self.tr("What the computer plays")),
            ("both", self.tr("Both (Me / Others)")),
        ):
            action = QAction(label, source_group, checkable=True)
            action.triggered.connect(lambda _=False, s=source: self.source_chosen.emit(s))
            sources.addAction(action)
            self.source_actions[source] = action
        self.system_action = self._action(
            self.tr("Pause what the computer plays"), self.toggle_system_audio
        )
        self.menu.addSeparator()
        self.overlay_action = self._action(self.tr("Hide captions"), self.toggle_overlay)
        self.lock_action = self._action(
            self.tr("Unlock captions (move / resize)"), self.toggle_lock
        )
        self.translation_action = self._action(self.tr("Translate"), self.toggle_translation)
        self.translation_action.setCheckable(True)
        self._action(self.tr("Reset (skip to now)"), self.reset)
        self.menu.addSeparator()
        self._action(self.tr("Transcript"), self.open_transcript_window)
        self._action(self.tr("Settings…"), self.open_settings)
        self._action(self.tr("Open transcripts folder"), self.open_transcripts)
        self.menu.addSeparator()
        self._action(self.tr("Quit Captioner"), self.quit)

    def _action(self, text: str, signal: SignalInstance) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _=False: signal.emit())
        return action

    def update_translation(self, enabled: bool) -> None:
        self.translation_action.setChecked(enabled)

    def update_sources(self, source: str, system_paused: bool) -> None:
        self.source_actions[source].setChecked(True)
        self.system_action.setVisible(source == "both")
        self.system_action.setText(
            self.tr("Resume what the computer plays")
            if system_paused
            else self.tr("Pause what the computer plays")
        )

    def update_state(
        self, listening: bool, mode: ListeningMode, overlay_visible: bool, locked: bool
    ) -> None:
        self.listen_action.setText(
            self.tr("Stop listening") if listening else self.tr("Start listening")
        )
        self.mode_actions[mode].setChecked(True)
        self.overlay_action.setText(
            self.tr("Hide captions") if overlay_visible else self.tr("Show captions")
        )
        self.lock_action.setText(
            self.tr("Unlock captions (move / resize)")
            if locked
            else self.tr("Lock captions (click-through)")
        )


class Tray(QObject):
    """The tray icon; absent on desktops without a system tray (the overlay menu remains)."""

    def __init__(self, menu: AppMenu) -> None:
        super().__init__()
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon = QSystemTrayIcon(app_icon())
        self.icon.setContextMenu(menu.menu)
        self.icon.setToolTip("Captioner")
        if self.available:
            self.icon.show()

    def set_listening(self, listening: bool, problem: bool = False) -> None:
        state = "error" if problem else "listening" if listening else "idle"
        self.icon.setIcon(app_icon(state))
        self.icon.setToolTip(
            self.tr("Captioner: listening") if listening else self.tr("Captioner: not listening")
        )

    def notify(self, problem: Problem) -> None:
        if not self.available or not QSystemTrayIcon.supportsMessages():
            return
        kind = {
            "info": QSystemTrayIcon.MessageIcon.Information,
            "warning": QSystemTrayIcon.MessageIcon.Warning,
            "error": QSystemTrayIcon.MessageIcon.Critical,
        }[problem.severity]
        self.icon.showMessage("Captioner", problem.text, kind, 8000)
