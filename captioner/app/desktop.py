"""The desktop app's composition root: builds the pieces and wires them together.

One QApplication; asyncio runs on Qt's loop through qasync (the WebSocket feed uses it).
Recognition runs in the worker's thread; this thread only renders and reacts.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRect, Qt, QTranslator, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from captioner.addons import addon_problems
from captioner.app.crash_safety import SessionMarker, install_error_log, last_transcript
from captioner.app.event_loop import qt_asyncio_loop, until_quit
from captioner.app.live_feed import LiveFeed
from captioner.app.overlay_placement import place_overlay, remember_overlay
from captioner.app.provisioning import ModelProvisioner
from captioner.app.single_instance import SingleInstance
from captioner.control.captioning import CaptionController, labelled
from captioner.control.config import (
    captioning_config,
    listening_mode,
    transcripts_folder,
    translation_config,
)
from captioner.control.global_hotkey import GlobalHotkey
from captioner.control.hotkey_spec import Hotkey, HotkeyError, parse_hotkey
from captioner.control.listening import ListeningMode
from captioner.control.problems import Problem
from captioner.control.state import CaptionState
from captioner.errors import why_not_written
from captioner.frozen import bundle_variant
from captioner.settings import (
    HotkeySettings,
    Settings,
    SettingsStore,
    SourceName,
    copy_settings,
    default_settings_path,
    stored_interface_language,
)
from captioner.transcript.events import TranscriptEvent
from captioner.transcript.files import folder_problem
from captioner.translate.config import TranslationConfig
from captioner.translate.keys import read_key
from captioner.ui import i18n
from captioner.ui.icons import app_icon
from captioner.ui.overlay import OverlayWindow
from captioner.ui.settings_problems import settings_problems_box
from captioner.ui.transcript_window import TranscriptWindow
from captioner.ui.tray import AppMenu, Tray

_log = logging.getLogger(__name__)
_ERROR_NOTICE_INTERVAL_S = 30.0  # a failure that repeats is told once per this long


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
    language: str | None = None
    serve: tuple[str, int] | None = None  # serve the live feed on (host, port)
    token: str | None = None

    def overrides(self) -> dict[str, Any]:
        chosen = {
            "transcripts.folder": str(self.transcripts) if self.transcripts else None,
            "recognition.device": self.device,
            "recognition.model": self.model,
            "recognition.language": self.language,
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
    _folder_checked = Signal(object, object)  # Path, OSError | None (from a checking thread)
    _gpu_unused = Signal()  # the CPU version runs on a computer with an NVIDIA GPU

    def __init__(self, store: SettingsStore) -> None:
        super().__init__()
        self.folder_prompt: QMessageBox | None = None
        self.settings_problems: QMessageBox | None = None  # each warning of the settings file
        self.folder_dialog: QFileDialog | None = None
        self.translators: list[QTranslator] = []  # installed, so kept alive
        self.session_marker: SessionMarker | None = None  # told when the folder changes
        self._folder_checked.connect(self._on_folder_checked)
        self._gpu_unused.connect(self._tell_gpu_version)
        self.store = store
        self.settings: Settings = store.settings
        self.controller = CaptionController(captioning_config(self.settings))
        self.overlay = OverlayWindow(self.settings.overlay, self.settings.translation)
        self.menu = AppMenu()
        self.tray = Tray(self.menu)
        self.hotkey = GlobalHotkey(self._hotkey_or_default())
        # A second global hotkey: the transcript window (made when first opened).
        self.transcript_hotkey = GlobalHotkey(self._transcript_hotkey_or_default())
        self.transcript_window: TranscriptWindow | None = None
        self.provisioner = ModelProvisioner(self.show_problem)
        self.feed = LiveFeed(self.controller, self.show_problem)
        self._translation: TranslationConfig | None = None  # what the pipeline was told
        self._closed = False
        self._error_told_at = -_ERROR_NOTICE_INTERVAL_S
        self._wire()

    # -- wiring ---------------------------------------------------------------------------

    def _wire(self) -> None:
        c, o, m = self.controller, self.overlay, self.menu
        c.partial_text.connect(o.show_partial)
        c.confirmed_line.connect(self._show_confirmed)
        c.translated_line.connect(o.add_translation)  # the feed has it through server/bridge.py
        c.translated_line.connect(self._transcript_translation)
        c.state_changed.connect(self._on_state)
        c.listening_changed.connect(lambda _: self._refresh_menu())
        c.problem.connect(self.show_problem)
        c.standing_changed.connect(lambda _text: self._refresh_hint())
        c.cleared.connect(o.clear_text)
        o.reset_requested.connect(c.reset)
        o.geometry_committed.connect(self._remember_geometry)
        o.context_menu_requested.connect(lambda at: m.menu.popup(at))
        self.hotkey.pressed.connect(c.hotkey_pressed)
        self.hotkey.released.connect(c.hotkey_released)
        self.hotkey.failed.connect(lambda text: self.show_problem(Problem(text, "warning")))
        self.transcript_hotkey.pressed.connect(self.toggle_transcript_window)
        self.transcript_hotkey.failed.connect(
            lambda text: self.show_problem(Problem(text, "warning"))
        )
        c.confirmed_line.connect(self._transcript_line)
        c.partial_text.connect(self._transcript_partial)
        c.cleared.connect(lambda: self._transcript_partial(""))
        o.transcript_requested.connect(self.open_transcript_window)
        m.open_transcript_window.connect(self.open_transcript_window)
        m.toggle_listening.connect(c.toggle_listening)
        m.mode_chosen.connect(self._set_mode)
        m.source_chosen.connect(self._set_source)
        m.toggle_system_audio.connect(self._toggle_system_audio)
        m.toggle_overlay.connect(self.toggle_overlay)
        m.toggle_lock.connect(self.toggle_lock)
        m.toggle_translation.connect(self.toggle_translation)
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
            ("Ctrl+T", self.toggle_transcript_window),
        ):
            QShortcut(QKeySequence(keys), o).activated.connect(action)

    def _hotkey_or_default(self) -> Hotkey:
        try:
            return parse_hotkey(self.settings.hotkey.keys)
        except HotkeyError as exc:
            self.store.warnings.append(self.tr("{exc} Using ctrl+shift+space.").format(exc=exc))
            return parse_hotkey("ctrl+shift+space")

    def _transcript_hotkey_or_default(self) -> Hotkey:
        try:
            return parse_hotkey(self.settings.hotkey.transcript_keys)
        except HotkeyError as exc:
            default = HotkeySettings().transcript_keys
            self.store.warnings.append(self.tr("{exc} Using {keys}.").format(exc=exc, keys=default))
            return parse_hotkey(default)

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
        self.transcript_hotkey.start()
        self._refresh_menu()
        self._refresh_hint()
        self.report_settings_problems()
        for problem in addon_problems:  # found when the add-ons were looked for, at start
            self.show_problem(Problem(problem, "warning"))
        self.provisioner.ensure(self.settings, self._start_captioning)
        self.feed.configure(self.settings)
        self.check_transcripts_folder()
        self.check_gpu_version()
        # The transcript library: opened (and earlier sessions imported) before the first
        # line needs it, off the GUI thread.
        threading.Thread(target=self.controller.sink.library, name="library", daemon=True).start()

    def report_settings_problems(self) -> None:
        """Each value the settings file got wrong, in the log; one line on screen, and when
        that line can only count them, a window whose details list each one."""
        for warning in self.store.warnings:
            _log.warning("%s", warning)
        summary = self.store.summary()
        if summary:
            self.show_problem(Problem(summary, "warning"))
        box = settings_problems_box(self.store)
        if box is not None:
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.settings_problems = box
            box.open()  # not modal for the app: captions go on while it is open

    def close(self) -> None:
        """Stop everything this app started: hotkey hook, worker, windows, transcripts.
        Settings are saved first, but a failure to save never stops the rest."""
        if self._closed:
            return
        self._closed = True
        self._save()
        self.hotkey.stop()
        self.transcript_hotkey.stop()
        if self.transcript_window is not None:
            self.transcript_window.close()
            self.transcript_window.tasks.wait()
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
        self._refresh_hint()
        listening = state in (CaptionState.LISTENING, CaptionState.PROCESSING)
        self.tray.set_listening(listening, problem=state is CaptionState.ERROR)

    def _start_captioning(self, settings: Settings) -> None:
        """The models the settings ask for are here (or the built-in one replaced them)."""
        self.controller.start(captioning_config(settings))
        self._apply_translation(settings)

    def _set_mode(self, mode: ListeningMode) -> None:
        self.settings.hotkey.mode = mode.value
        self.controller.set_mode(listening_mode(self.settings))
        self._save()
        self._refresh_menu()
        self._refresh_hint()

    def bring_forward(self) -> None:
        """Another launch of the app: show this one instead (the overlay, even if hidden)."""
        if not self.overlay.isVisible():
            self.settings.overlay.visible = True
            self.overlay.show()
            self._save()
            self._refresh_menu()
        self.overlay.raise_()
        self.show_problem(Problem(self.tr("Captioner is already running."), "info"))

    def report_unexpected_end(self, previous: dict[str, Any]) -> None:
        """The last session did not quit normally: say so, and where its transcript is."""
        transcript = last_transcript(previous)
        if transcript is None:
            text = self.tr("The last session ended unexpectedly; it had saved no transcript.")
        else:
            text = self.tr(
                "The last session ended unexpectedly. Its transcript, complete up to the last "
                "confirmed line, is in {path}."
            ).format(path=transcript)
        _log.warning("%s", text)
        self.show_problem(Problem(text, "warning"))

    def report_internal_error(self, log_path: str) -> None:
        now = time.monotonic()
        if now - self._error_told_at < _ERROR_NOTICE_INTERVAL_S:
            return
        self._error_told_at = now
        text = self.tr(
            "Something went wrong inside Captioner; it keeps running. Details are in {path}."
        ).format(path=log_path)
        self.show_problem(Problem(text, "error"))

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

    def toggle_translation(self) -> None:
        """The tray's "Translate": on or off at once, and kept."""
        self.settings.translation.enabled = not self.settings.translation.enabled
        self._apply_translation(self.settings)
        self._save()
        self._refresh_menu()

    def _apply_translation(self, settings: Settings) -> None:
        """The overlay's translation style, and the engine, when what it should do changed
        (a new translator starts afresh: unchanged settings keep the running one)."""
        self.overlay.apply_translation_style(settings.translation)
        wanted = settings.translation
        key = read_key() if wanted.enabled and wanted.backend == "chat" else None
        config = translation_config(settings, key)
        if config != self._translation:
            self._translation = config
            self.controller.pipeline.set_translation(config)

    def open_settings(self) -> None:
        from captioner.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, parent=None)
        dialog.applied.connect(self.apply_settings)
        dialog.show()
        self._settings_dialog = dialog  # keep it alive while open

    def apply_settings(self, new: Settings) -> None:
        self.provisioner.ensure(new, self._apply_settings)

    def _apply_settings(self, new: Settings) -> None:
        self.controller.apply(captioning_config(new))
        self.feed.configure(new)
        self.settings = new
        if self.session_marker is not None:
            self.session_marker.follow(transcripts_folder(new.transcripts))
        self.overlay.apply_style(new.overlay)
        self._apply_translation(new)
        place_overlay(self.overlay, new.overlay)
        for hotkey, keys in (
            (self.hotkey, new.hotkey.keys),
            (self.transcript_hotkey, new.hotkey.transcript_keys),
        ):
            try:
                hotkey.set_hotkey(parse_hotkey(keys))
            except HotkeyError as exc:
                self.show_problem(Problem(str(exc), "warning"))
        self._save()
        self._refresh_menu()
        self._refresh_hint()

    # -- the transcript window --------------------------------------------------------------

    def open_transcript_window(self) -> None:
        if self.transcript_window is None:
            sink = self.controller.sink
            window = TranscriptWindow(
                sink.library, lambda: sink.session, self.settings.interface.transcript_font_size
            )
            window.font_size_changed.connect(self._remember_transcript_font)
            self.transcript_window = window
        self.transcript_window.show()
        self.transcript_window.raise_()
        self.transcript_window.activateWindow()

    def toggle_transcript_window(self) -> None:
        window = self.transcript_window
        if window is not None and window.isVisible() and window.isActiveWindow():
            window.close()
        else:
            self.open_transcript_window()

    def _show_confirmed(self, event: TranscriptEvent) -> None:
        self.overlay.add_confirmed(labelled(event.text, event.source), event.final)

    def _transcript_line(self, event: TranscriptEvent) -> None:
        if self.transcript_window is not None:
            self.transcript_window.add_event(event)

    def _transcript_translation(self, final: int, text: str) -> None:
        if self.transcript_window is not None:
            self.transcript_window.add_translation(final, text)

    def _transcript_partial(self, text: str) -> None:
        if self.transcript_window is not None:
            self.transcript_window.show_partial(text)

    def _remember_transcript_font(self, points: int) -> None:
        self.settings.interface.transcript_font_size = points
        self._save()

    def open_transcripts(self) -> None:
        folder = transcripts_folder(self.settings.transcripts)
        if folder is None:
            self.show_problem(
                Problem(self.tr("Saving transcripts is turned off in Settings."), "info")
            )
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.show_problem(Problem(self._unwritable(folder, exc), "error"))
            return
        # Even where a file manager is started, it may show nothing (none installed behind
        # xdg-open): where the folder is, is always said.
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            text = self.tr("Transcripts folder: {folder}").format(folder=folder)
        else:
            text = self.tr("No file manager could open it; the transcripts are in {folder}")
            text = text.format(folder=folder)
        self.show_problem(Problem(text, "info"))

    # -- the transcripts folder must be writable before the first line needs it -------------

    def check_transcripts_folder(self) -> None:
        """Checked off the GUI thread (a network drive may take a while); a folder that cannot
        be written is said at once, with an offer to choose another."""
        folder = transcripts_folder(self.settings.transcripts)
        if folder is None:
            return

        def check() -> None:
            self._folder_checked.emit(folder, folder_problem(folder))

        threading.Thread(target=check, name="transcripts-check", daemon=True).start()

    def check_gpu_version(self) -> None:
        """The CPU version never touches CUDA; once, it says that a GPU it sees would need
        the GPU version (looked for off the GUI thread: it loads CTranslate2)."""
        if self.settings.interface.gpu_version_told or bundle_variant() != "cpu":
            return

        def check() -> None:
            from captioner.asr.whisper.loading import gpu_unused_by_cpu_variant

            if gpu_unused_by_cpu_variant():
                self._gpu_unused.emit()

        threading.Thread(target=check, name="gpu-check", daemon=True).start()

    def _tell_gpu_version(self) -> None:
        self.settings.interface.gpu_version_told = True
        self._save()
        text = self.tr(
            "This computer has an NVIDIA GPU. This version of Captioner runs on the CPU; the "
            "GPU version (Captioner-Setup-*-gpu.exe) captions faster on it."
        )
        self.show_problem(Problem(text, "info"))

    def _on_folder_checked(self, folder: Path, problem: OSError | None) -> None:
        if problem is None or folder != transcripts_folder(self.settings.transcripts):
            return
        text = self._unwritable(folder, problem)
        self.show_problem(Problem(text, "error"))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Captioner"),
            text,
            QMessageBox.StandardButton.NoButton,
        )
        choose = box.addButton(self.tr("Choose another folder…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)  # above the caption bar
        box.buttonClicked.connect(
            lambda button: self.choose_transcripts_folder() if button is choose else None
        )
        self.folder_prompt = box
        box.open()  # not modal for the app: captions go on while it is open

    def choose_transcripts_folder(self) -> None:
        dialog = QFileDialog(None, self.tr("Where to save transcripts"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)  # above the caption bar
        dialog.fileSelected.connect(lambda path: self.use_transcripts_folder(Path(path)))
        self.folder_dialog = dialog
        dialog.open()

    def use_transcripts_folder(self, folder: Path) -> None:
        new = copy_settings(self.settings)
        new.transcripts.enabled = True
        new.transcripts.folder = str(folder)
        self.apply_settings(new)
        self.check_transcripts_folder()  # the new one is checked too

    def _unwritable(self, folder: Path, exc: OSError) -> str:
        return self.tr("Transcripts cannot be saved in {folder} ({why}).").format(
            folder=folder, why=why_not_written(exc, folder / "transcript.txt")
        )

    def _refresh_hint(self) -> None:
        """What the caption bar says until the first caption: the model while it loads, then
        what to do in this mode. A problem that stands (no microphone, a silent one) is said
        in its place, and whenever no caption is shown, until it is resolved: telling a
        newcomer to hold a hotkey that cannot work is worse than saying nothing."""
        self.overlay.set_problem(self.controller.standing.current())
        if self.overlay.state is CaptionState.LOADING:
            r = self.settings.recognition
            model = "FunASR Paraformer" if r.engine == "funasr" else r.model
            self.overlay.set_hint(self.tr("Loading model… {model}").format(model=model))
            return
        keys = _key_names(self.hotkey.hotkey)
        mode = self.controller.listening.mode
        if mode is ListeningMode.HOLD:
            hint = self.tr("Hold {keys} to talk").format(keys=keys)
        elif mode is ListeningMode.TOGGLE:
            hint = self.tr("Press {keys} to start captioning, again to stop").format(keys=keys)
        else:
            hint = self.tr("Listening: speak, and captions appear here")
        self.overlay.set_hint(hint)

    def _refresh_menu(self) -> None:
        self.menu.update_state(
            self.controller.listening.listening,
            self.controller.listening.mode,
            self.overlay.isVisible() or self.settings.overlay.visible,
            self.overlay.locked,
        )
        self.menu.update_translation(self.settings.translation.enabled)
        self.menu.update_sources(self.settings.audio.source, self.controller.system_paused)

    def _remember_geometry(self, geometry: QRect) -> None:
        remember_overlay(self.overlay, self.settings.overlay, geometry)
        self._save()

    def _save(self) -> None:
        try:
            self.store.save(self.settings)
        except OSError as exc:
            self.show_problem(
                Problem(self.tr("Settings could not be saved: {exc}").format(exc=exc), "error")
            )


def _key_names(hotkey: Hotkey) -> str:
    """ctrl+shift+space as a user reads it: Ctrl+Shift+Space."""
    return "+".join(
        part if len(part) == 1 else part.capitalize() for part in str(hotkey).split("+")
    )


def run_app(options: AppOptions) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Captioner")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # the tray keeps running without windows
    settings_path = options.config or default_settings_path()
    # Before the settings load (their warnings are words too) and before any window or
    # message exists: every tr() from here on finds the translation.
    language = stored_interface_language(settings_path)
    translators = i18n.install(i18n.interface_language(language))
    store = SettingsStore(settings_path, options.overrides())
    instance = SingleInstance(settings_path)
    if not instance.claim():
        return _already_running(instance)
    errors = _ErrorSignal()
    error_log = install_error_log(lambda path: errors.happened.emit(str(path)))
    marker = SessionMarker(settings_path)
    previous = marker.previous()
    captioner = CaptionerApp(store)
    captioner.translators = translators
    captioner.session_marker = marker
    instance.activated.connect(captioner.bring_forward)
    errors.happened.connect(captioner.report_internal_error)  # queued from other threads
    marker.begin(transcripts_folder(captioner.settings.transcripts))
    with qt_asyncio_loop(app, captioner.quit) as loop:
        captioner.start()
        if previous is not None:
            captioner.report_unexpected_end(previous)
        loop.run_until_complete(until_quit(app))
    marker.end()  # only a normal quit gets here
    error_log.uninstall()
    instance.release()
    return 0


class _ErrorSignal(QObject):
    """Carries "an error was logged" from any thread to the GUI thread."""

    happened = Signal(str)


def _already_running(instance: SingleInstance) -> int:
    """A second launch on the same settings: the first one comes forward, this one ends."""
    if instance.bring_forward():
        text = QCoreApplication.translate(
            "Captioner", "Captioner is already running: its captions were brought forward."
        )
        print(text, file=sys.stderr)
        return 0
    text = QCoreApplication.translate(
        "Captioner",
        "Captioner is already running with these settings but does not answer. Close it "
        "(or end it in the task manager), then start Captioner again.",
    )
    print(text, file=sys.stderr)
    QMessageBox.information(None, "Captioner", text)
    return 1
