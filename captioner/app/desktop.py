"""The desktop app's composition root: builds the pieces and wires them together.

One QApplication; asyncio runs on Qt's loop through qasync (the WebSocket feed uses it).
Recognition runs in the worker's thread; this thread only renders and reacts.
"""

from __future__ import annotations

import sys
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRect, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from captioner.app.event_loop import qt_asyncio_loop, until_quit
from captioner.app.live_feed import LiveFeed
from captioner.app.overlay_placement import place_overlay, remember_overlay
from captioner.app.provisioning import ModelProvisioner
from captioner.control.captioning import CaptionController, Problem, transcripts_folder
from captioner.control.global_hotkey import GlobalHotkey
from captioner.control.hotkey_spec import Hotkey, HotkeyError, parse_hotkey
from captioner.control.listening import ListeningMode
from captioner.control.state import CaptionState
from captioner.settings import (
    Settings,
    SettingsStore,
    SourceName,
    copy_settings,
    default_settings_path,
)
from captioner.ui.icons import app_icon
from captioner.ui.overlay import OverlayWindow
from captioner.ui.tray import AppMenu, Tray


@dataclass(frozen=True)
class AppOptions:
    """Command-line overrides for this run (portable use, scripting)."""

    config: Path | None = None
    transcripts: Path | None = None
    device: str | None = None
    model: str | None = None
    input: str | None = None
    source: str | None = None  # mic, system or both
    output: str | None = None
    names: tuple[str, str] | None = None  # (me, others)
    mode: str | None = None
    hotkey: str | None = None
    serve: tuple[str, int] | None = None  # serve the live feed on (host, port)
    token: str | None = None

    def overrides(self) -> dict[str, Any]:
        chosen = {
            "transcripts.folder": str(self.transcripts) if self.transcripts else None,
            "recognition.device": self.device,
            "recognition.model": self.model,
            "audio.input": self.input,
            "audio.source": self.source,
            "audio.output": self.output,
            "audio.me_name": self.names[0] if self.names else None,
            "audio.others_name": self.names[1] if self.names else None,
            "hotkey.mode": self.mode,
            "hotkey.keys": self.hotkey,
            "server.enabled": True if self.serve else None,
            "server.host": self.serve[0] if self.serve else None,
            "server.port": self.serve[1] if self.serve else None,
            "server.token": self.token,
        }
        return {k: v for k, v in chosen.items() if v is not None}


class CaptionerApp(QObject):
    def __init__(self, store: SettingsStore) -> None:
        super().__init__()
        self.store = store
        self.settings: Settings = store.settings
        self.controller = CaptionController(self.settings)
        self.overlay = OverlayWindow(self.settings.overlay)
        self.menu = AppMenu()
        self.tray = Tray(self.menu)
        self.hotkey = GlobalHotkey(self._hotkey_or_default())
        self.provisioner = ModelProvisioner(self.show_problem)
        self.feed = LiveFeed(self.controller, self.show_problem)
        self._closed = False
        self._wire()

    # -- wiring ---------------------------------------------------------------------------

    def _wire(self) -> None:
        c, o, m = self.controller, self.overlay, self.menu
        c.partial_text.connect(o.show_partial)
        c.confirmed_text.connect(o.add_confirmed)
        c.state_changed.connect(self._on_state)
        c.listening_changed.connect(lambda _: self._refresh_menu())
        c.problem.connect(self.show_problem)
        c.cleared.connect(o.clear_text)
        o.reset_requested.connect(c.reset)
        o.geometry_committed.connect(self._remember_geometry)
        o.context_menu_requested.connect(lambda at: m.menu.popup(at))
        self.hotkey.pressed.connect(c.hotkey_pressed)
        self.hotkey.released.connect(c.hotkey_released)
        self.hotkey.failed.connect(lambda text: self.show_problem(Problem(text, "warning")))
        m.toggle_listening.connect(c.toggle_listening)
        m.mode_chosen.connect(self._set_mode)
        m.source_chosen.connect(self._set_source)
        m.toggle_system_audio.connect(self._toggle_system_audio)
        m.toggle_overlay.connect(self.toggle_overlay)
        m.toggle_lock.connect(self.toggle_lock)
        m.reset.connect(c.reset)
        m.open_settings.connect(self.open_settings)
        m.open_transcripts.connect(self.open_transcripts)
        m.quit.connect(self.quit)
        # In-app shortcuts (work when the unlocked overlay has been clicked): a fallback for
        # systems where the global hotkey cannot be used.
        for keys, action in (
            ("Space", c.toggle_listening),
            ("R", c.reset),
            ("L", self.toggle_lock),
            ("Ctrl+,", self.open_settings),
        ):
            QShortcut(QKeySequence(keys), o).activated.connect(action)

    def _hotkey_or_default(self) -> Hotkey:
        try:
            return parse_hotkey(self.settings.hotkey.keys)
        except HotkeyError as exc:
            self.store.warnings.append(f"{exc} Using ctrl+shift+space.")
            return parse_hotkey("ctrl+shift+space")

    # -- start and stop -------------------------------------------------------------------

    def start(self) -> None:
        if not self.tray.available and self.settings.overlay.locked:
            # Without a tray, the unlocked overlay's menu is the way to the controls.
            self.settings.overlay.locked = False
            self.overlay.set_locked(False)
        place_overlay(self.overlay, self.settings.overlay)
        if self.settings.overlay.visible:
            self.overlay.show()
        self.hotkey.start()
        self._refresh_menu()
        for warning in self.store.warnings:
            self.show_problem(Problem(warning, "warning"))
        self.provisioner.ensure(self.settings, lambda settings: self.controller.start())
        self.feed.configure(self.settings)

    def close(self) -> None:
        """Stop everything this app started: hotkey hook, worker, windows, transcripts.
        Settings are saved first, but a failure to save never stops the rest."""
        if self._closed:
            return
        self._closed = True
        self._save()
        self.hotkey.stop()
        self.controller.shutdown()
        self.overlay.close()

    def quit(self) -> None:
        self.close()
        # Feed clients are told goodbye (close 1001) before the loop ends.
        self.feed.stop(then=QApplication.quit)

    # -- reactions --------------------------------------------------------------------------

    def show_problem(self, problem: Problem) -> None:
        self.overlay.show_message(problem.text, 12 if problem.severity == "error" else 8)
        self.tray.notify(problem)

    def _on_state(self, state: CaptionState, lag: float) -> None:
        self.overlay.set_state(state, lag)
        listening = state in (CaptionState.LISTENING, CaptionState.PROCESSING)
        self.tray.set_listening(listening, problem=state is CaptionState.ERROR)

    def _set_mode(self, mode: ListeningMode) -> None:
        self.controller.set_mode(mode)
        self._save()
        self._refresh_menu()

    def _set_source(self, source: str) -> None:
        """The tray's audio source choice: applied at once, and kept."""
        new = copy_settings(self.settings)
        for name in typing.get_args(SourceName):  # the menu offers exactly these
            if source == name:
                new.audio.source = name
        self.apply_settings(new)

    def _toggle_system_audio(self) -> None:
        self.controller.toggle_system_audio()
        self._refresh_menu()

    def toggle_overlay(self) -> None:
        self.settings.overlay.visible = not self.overlay.isVisible()
        self.overlay.setVisible(self.settings.overlay.visible)
        self._save()
        self._refresh_menu()

    def toggle_lock(self) -> None:
        self.settings.overlay.locked = not self.overlay.locked
        self.overlay.set_locked(self.settings.overlay.locked)
        self._save()
        self._refresh_menu()

    def open_settings(self) -> None:
        from captioner.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, parent=None)
        dialog.applied.connect(self.apply_settings)
        dialog.show()
        self._settings_dialog = dialog  # keep it alive while open

    def apply_settings(self, new: Settings) -> None:
        self.provisioner.ensure(new, self._apply_settings)

    def _apply_settings(self, new: Settings) -> None:
        self.controller.apply_settings(new)
        self.feed.configure(new)
        self.settings = new
        self.overlay.apply_style(new.overlay)
        place_overlay(self.overlay, new.overlay)
        try:
            self.hotkey.set_hotkey(parse_hotkey(new.hotkey.keys))
        except HotkeyError as exc:
            self.show_problem(Problem(str(exc), "warning"))
        self._save()
        self._refresh_menu()

    def open_transcripts(self) -> None:
        folder = transcripts_folder(self.settings)
        if folder is None:
            self.show_problem(Problem("Saving transcripts is turned off in Settings.", "info"))
            return
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _refresh_menu(self) -> None:
        self.menu.update_state(
            self.controller.listening.listening,
            self.controller.listening.mode,
            self.overlay.isVisible() or self.settings.overlay.visible,
            self.overlay.locked,
        )
        self.menu.update_sources(self.settings.audio.source, self.controller.system_paused)

    def _remember_geometry(self, geometry: QRect) -> None:
        remember_overlay(self.overlay, self.settings.overlay, geometry)
        self._save()

    def _save(self) -> None:
        try:
            self.store.save(self.settings)
        except OSError as exc:
            self.show_problem(Problem(f"Settings could not be saved: {exc}", "error"))


def run_app(options: AppOptions) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Captioner")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # the tray keeps running without windows
    store = SettingsStore(options.config or default_settings_path(), options.overrides())
    captioner = CaptionerApp(store)
    with qt_asyncio_loop(app, captioner.quit) as loop:
        captioner.start()
        loop.run_until_complete(until_quit(app))
    return 0
