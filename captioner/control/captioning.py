"""The captioning session as the desktop app sees it, in the GUI thread.

Owns the recognition worker (in its thread), decides when to listen (hotkey, tray, remote
control all come through here, with the same effect), keeps the transcript files, restarts
capture when the microphone comes back, and tells the windows what to show.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from captioner.asr.config import FunasrSettings, RecognitionConfig
from captioner.asr.factory import create_recognizer
from captioner.asr.recognizer import Recognizer
from captioner.asr.session import SessionStatus
from captioner.asr.types import Segment
from captioner.audio.loopback import SystemAudioSource
from captioner.audio.microphone import MicrophoneSource
from captioner.control.listening import ListeningChange, ListeningController, ListeningMode
from captioner.control.standing import Standing, StandingProblems
from captioner.control.state import CaptionState
from captioner.control.worker import (
    RecognitionWorker,
    RecognizerFactory,
    SourceFactory,
    WorkerThread,
)
from captioner.settings import Settings, default_transcripts_folder
from captioner.text.script import Script
from captioner.text.vocabulary import parse_entries
from captioner.transcript.echo import EchoFilter
from captioner.transcript.events import TranscriptEvent
from captioner.transcript.files import TranscriptFiles

log = logging.getLogger(__name__)

RETRY_SOURCE_MS = 2000


def funasr_settings(settings: Settings) -> FunasrSettings:
    r = settings.recognition
    return FunasrSettings(second_pass=r.funasr_second_pass, chunk_ms=r.funasr_chunk_ms)


def recognition_config(settings: Settings) -> RecognitionConfig:
    r = settings.recognition
    problems: list[str] = []
    vocabulary = parse_entries(r.vocabulary, "recognition.vocabulary", problems)
    for problem in problems:
        log.warning("%s It is left out.", problem)
    return RecognitionConfig(
        engine=r.engine,
        model=r.model,
        device=r.device,
        compute_type=r.compute_type,
        language=None if r.language == "auto" else r.language,
        script=Script.parse(r.script),
        download_mirror=r.download_mirror,
        funasr=funasr_settings(settings),
        vocabulary=vocabulary,
    )


def input_spec(settings: Settings) -> int | str | None:
    value = settings.audio.input
    return int(value) if value is not None and value.isdigit() else value


class TranscriptSink:
    """Saves confirmed segments, opening the session's files on the first one. Called in the
    worker's thread; the folder may be changed from the GUI thread."""

    def __init__(self, folder: Path | None) -> None:
        self._lock = threading.Lock()
        self._folder = folder
        self.files: TranscriptFiles | None = None

    def set_folder(self, folder: Path | None) -> None:
        with self._lock:
            if folder != self._folder and self.files is not None:
                self.files.close()
                self.files = None
            self._folder = folder

    def __call__(self, segment: Segment, source: str | None = None) -> None:
        with self._lock:
            if self._folder is None:
                return
            if self.files is None:
                self.files = TranscriptFiles(self._folder)
            self.files.append(segment, source)

    def close(self) -> None:
        with self._lock:
            if self.files is not None:
                self.files.close()
                self.files = None


def transcripts_folder(settings: Settings) -> Path | None:
    if not settings.transcripts.enabled:
        return None
    return (
        Path(settings.transcripts.folder)
        if settings.transcripts.folder
        else default_transcripts_folder()
    )


def folder_problem(folder: Path) -> OSError | None:
    """Why transcripts cannot be saved in ``folder`` (created if need be), or None: a real
    file is written and removed, since permissions alone do not tell (root, read-only file
    systems, network shares). May take a while on a network drive: not in the GUI thread."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".captioner-check-"):
            pass
    except OSError as exc:
        return exc
    return None


@dataclass(frozen=True)
class Problem:
    text: str
    severity: str  # "info", "warning" or "error"


def listening_mode(settings: Settings) -> ListeningMode:
    """What the hotkey does: with only what the computer plays there is nobody to push to
    talk, so it is captioned whenever something plays and the hotkey pauses it."""
    if settings.audio.source == "system":
        return ListeningMode.ALWAYS
    return ListeningMode(settings.hotkey.mode)


def labelled(text: str, source: str | None) -> str:
    """What the overlay shows: with two sources each line names its side."""
    return f"{source}: {text}" if source and text else text


class CaptionController(QObject):
    partial_text = Signal(str)
    confirmed_text = Signal(str)
    workers_changed = Signal()  # a second source was added or removed (the feed follows)
    state_changed = Signal(object, float)  # CaptionState, lag in seconds
    listening_changed = Signal(bool)
    cleared = Signal()  # a reset: what was on screen (and in the feed) should go
    problem = Signal(object)  # Problem: shown on the overlay and as a tray notification
    standing_changed = Signal(str)  # the problem that stands now, in words ("" none)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.listening = ListeningController(listening_mode(settings))
        self.sink = TranscriptSink(transcripts_folder(settings))
        self._loading = True
        self._stopped = False  # recognition ended (the model failed to load, or it was shut)
        self._source_down = False
        self._status: SessionStatus | None = None
        self._system_status: SessionStatus | None = None  # the second worker's, with "both"
        self._partials: dict[str | None, str] = {}  # the current partial of each source
        self.standing = StandingProblems()  # what the caption bar keeps saying until resolved
        self._silence_told = False  # this capture's silence was told (once: see _on_source_silent)
        self.echo = EchoFilter()
        # The first worker captions the microphone (or, with source "system", what the
        # computer plays); with "both" a second one captions the system audio.
        self.worker = self._make_worker(primary=True)
        self.runner = WorkerThread(self.worker)
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_SOURCE_MS)
        self._retry.timeout.connect(lambda: self.runner.restart_source())
        self.system_worker: RecognitionWorker | None = None
        self.system_runner: WorkerThread | None = None
        self.system_paused = False
        self._system_retry = QTimer(self)
        self._system_retry.setInterval(RETRY_SOURCE_MS)
        self._system_retry.timeout.connect(self._restart_system_source)
        self._label_workers()

    def _make_worker(self, primary: bool) -> RecognitionWorker:
        sink = self.sink
        worker = RecognitionWorker(
            # Read at start (in the worker's thread): the app may still settle the model
            # (download, or fall back to the embedded one) before starting.
            lambda: self._recognizer_factory(self.settings)(),
            self._source_factory(self.settings)
            if primary
            else self._system_source_factory(self.settings),
            listening=self.listening.listening if primary else not self.system_paused,
            confirmed_sinks=[lambda segment: sink(segment, worker.label)],
        )
        w = worker
        w.loading.connect(self._on_loading)
        w.ready.connect(self._on_ready)
        w.capturing.connect(self._on_capturing)
        if primary:
            w.source_failed.connect(self._on_source_failed)
            w.source_silent.connect(self._on_source_silent)
        else:
            w.source_failed.connect(self._on_system_source_failed)
        w.partial.connect(self._on_partial)
        w.confirmed.connect(self._on_confirmed)
        w.status.connect(self._on_status if primary else self._on_system_status)
        w.error.connect(self._on_error)
        w.finished.connect(self._on_finished)
        return worker

    def workers(self) -> list[RecognitionWorker]:
        """The workers captioning now (two with source "both")."""
        return [self.worker] + ([self.system_worker] if self.system_worker else [])

    def _label_workers(self) -> None:
        """Labels and the echo filter for the current source choice (set before audio flows,
        or between two ticks: the worker reads them per update)."""
        both = self.settings.audio.source == "both"
        self.worker.label = self.settings.audio.me_name if both else None
        self.worker.echo_filter = self.echo if both else None
        if self.system_worker is not None:
            self.system_worker.label = self.settings.audio.others_name
            self.system_worker.echo_reference = self.echo

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self.runner.start()
        if self.settings.audio.source == "both":
            self._start_system()

    def _start_system(self) -> None:
        self.system_worker = self._make_worker(primary=False)
        self.system_runner = WorkerThread(self.system_worker)
        self._label_workers()
        self.system_runner.start()
        self.workers_changed.emit()

    def _stop_system(self) -> None:
        self._system_retry.stop()
        if self.system_runner is not None:
            self.system_runner.stop()
        self.system_worker, self.system_runner = None, None
        self._system_status = None
        self._partials.pop(self.settings.audio.others_name, None)
        self._resolve(Standing.SYSTEM_CAPTURE_FAILED)
        self._label_workers()
        self.workers_changed.emit()

    def _restart_system_source(self) -> None:
        if self.system_runner is not None:
            self.system_runner.restart_source()

    def shutdown(self) -> None:
        self._retry.stop()
        self._system_retry.stop()
        self.runner.stop()
        if self.system_runner is not None:
            self.system_runner.stop()
        self.sink.close()

    # -- listening: hotkey, tray and remote control all end up here ----------------------

    @Slot()
    def hotkey_pressed(self) -> None:
        self._apply(self.listening.press())

    @Slot()
    def hotkey_released(self) -> None:
        self._apply(self.listening.release())

    @Slot()
    def start_listening(self) -> None:
        self._apply(self.listening.start())

    @Slot()
    def stop_listening(self) -> None:
        self._apply(self.listening.stop())

    @Slot()
    def toggle_listening(self) -> None:
        self._apply(self.listening.toggle())

    @Slot()
    def reset(self) -> None:
        """Forget the utterance in progress and any backlog: captions continue from now."""
        self.runner.reset()
        if self.system_runner is not None:
            self.system_runner.reset()
        self._partials.clear()
        self.cleared.emit()

    @Slot()
    def toggle_system_audio(self) -> None:
        """Pause or resume captioning what the computer plays (source "both"; push-to-talk
        is the microphone's)."""
        self.system_paused = not self.system_paused
        if self.system_runner is not None:
            self.system_runner.set_listening(not self.system_paused)
        self._publish_state()

    def set_mode(self, mode: ListeningMode) -> None:
        self.settings.hotkey.mode = mode.value
        self._apply(self.listening.set_mode(mode))

    def _apply(self, change: ListeningChange | None) -> None:
        if change is None:
            return
        self.runner.set_listening(change.listening)
        self.listening_changed.emit(change.listening)
        self._publish_state()

    # -- settings changed at runtime ------------------------------------------------------

    def apply_settings(self, new: Settings) -> None:
        old = self.settings
        self.settings = new
        if new.recognition != old.recognition:
            self.runner.reload(self._recognizer_factory(new))
            if self.system_runner is not None:
                self.system_runner.reload(self._recognizer_factory(new))
        primary_changed = (new.audio.input, new.audio.source != "system") != (
            old.audio.input,
            old.audio.source != "system",
        ) or (new.audio.source == "system" and new.audio.output != old.audio.output)
        if primary_changed:
            self.runner.restart_source(self._source_factory(new))
        if new.audio.source == "both" and self.system_worker is None:
            self._start_system()
        elif new.audio.source != "both" and self.system_worker is not None:
            self._stop_system()
        elif self.system_runner is not None and new.audio.output != old.audio.output:
            self.system_runner.restart_source(self._system_source_factory(new))
        self._label_workers()
        if listening_mode(new) != self.listening.mode:
            self._apply(self.listening.set_mode(listening_mode(new)))
        self.sink.set_folder(transcripts_folder(new))

    def _recognizer_factory(self, settings: Settings) -> RecognizerFactory:
        config = recognition_config(settings)

        def make() -> tuple[Recognizer, str | None]:
            return create_recognizer(config)

        return make

    def _source_factory(self, settings: Settings) -> SourceFactory:
        """The first worker's source: the microphone, or what the computer plays alone."""
        if settings.audio.source == "system":
            return self._system_source_factory(settings)
        spec = input_spec(settings)
        return lambda: MicrophoneSource(spec)

    def _system_source_factory(self, settings: Settings) -> SourceFactory:
        output = settings.audio.output
        return lambda: SystemAudioSource(output)

    # -- from the worker --------------------------------------------------------------------

    def _on_loading(self) -> None:
        self._loading = True
        self._stopped = False
        self._publish_state()

    def _on_ready(self, notice: str) -> None:
        self._loading = False
        self._stopped = False
        if notice:
            self.problem.emit(Problem(notice, "warning"))
        self._publish_state()

    def _on_capturing(self, source: str) -> None:
        if self.sender() is not self.worker:  # the system audio of source "both"
            self._system_retry.stop()
            self._resolve(Standing.SYSTEM_CAPTURE_FAILED)
            return
        self._retry.stop()
        self._silence_told = False
        self._resolve(Standing.CAPTURE_FAILED, Standing.MICROPHONE_SILENT)
        if self._source_down:
            self._source_down = False
            self.problem.emit(
                Problem(
                    self.tr("Microphone '{source}' is back: captioning again.").format(
                        source=source
                    ),
                    "info",
                )
            )
        self._publish_state()

    def _on_system_source_failed(self, message: str) -> None:
        text = self.tr("{message} Captioning resumes when it is available again.").format(
            message=message
        )
        self.problem.emit(Problem(text, "error"))
        self._stand(Standing.SYSTEM_CAPTURE_FAILED, text)
        self._system_retry.start()

    def _on_source_failed(self, message: str) -> None:
        text = (
            self.tr("{message} Captioning resumes when it is available again.")
            if self.settings.audio.source == "system"
            else self.tr("{message} Captioning resumes when a microphone is available.")
        ).format(message=message)
        if not self._source_down:
            self._source_down = True
            self.problem.emit(Problem(text, "error"))
        self._stand(Standing.CAPTURE_FAILED, text)
        self._retry.start()
        self._publish_state()

    def _on_source_silent(self, text: str) -> None:
        """The microphone delivers only exact zeros ("" once it delivers sound again). Told
        once per capture; after that only the caption bar says it while it lasts, since a
        microphone with noise suppression can go silent between sentences."""
        if not text:
            self._resolve(Standing.MICROPHONE_SILENT)
            return
        if not self._silence_told:
            self._silence_told = True
            self.problem.emit(Problem(text, "warning"))
        self._stand(Standing.MICROPHONE_SILENT, text)

    def _stand(self, kind: Standing, text: str) -> None:
        if self.standing.set(kind, text):
            self.standing_changed.emit(self.standing.current())

    def _resolve(self, *kinds: Standing) -> None:
        if self.standing.clear(*kinds):
            self.standing_changed.emit(self.standing.current())

    def _on_partial(self, event: TranscriptEvent) -> None:
        # Each source has its own partial; the overlay shows them side by side.
        self._partials[event.source] = labelled(event.text, event.source)
        self.partial_text.emit("  ".join(t for t in self._partials.values() if t))

    def _on_confirmed(self, event: TranscriptEvent) -> None:
        self.confirmed_text.emit(labelled(event.text, event.source))

    def _on_status(self, status: SessionStatus) -> None:
        previous, self._status = self._status, status
        if shows_a_change(previous, status):
            self._publish_state()

    def _on_system_status(self, status: SessionStatus) -> None:
        """The indicator shows the larger lag of the two sides (each has its own load
        control); the system side pauses by itself, so its "listening" does not count."""
        previous, self._system_status = self._system_status, status
        if shows_a_change(previous, status):
            self._publish_state()

    def _on_error(self, message: str) -> None:
        self.problem.emit(Problem(message, "error"))

    def _on_finished(self) -> None:
        # The microphone never runs out, so the worker finishes only when recognition could
        # not start or failed for good: that is a problem to show, not "loading" for ever.
        self._loading = False
        self._stopped = True
        self._publish_state()

    # -- what the overlay's indicator shows ----------------------------------------------

    def state(self) -> tuple[CaptionState, float]:
        statuses = [self._status] + ([self._system_status] if self.system_worker else [])
        lag = max((st.lag_s for st in statuses if st is not None), default=0.0)
        in_speech = any(st is not None and st.in_speech for st in statuses)
        if self._source_down or self._stopped:
            return CaptionState.ERROR, 0.0
        if self._loading:
            return CaptionState.LOADING, 0.0
        system_on = self.system_worker is not None and not self.system_paused
        if not self.listening.listening and not system_on:
            return CaptionState.IDLE, 0.0
        if in_speech:
            return CaptionState.PROCESSING, lag
        return CaptionState.LISTENING, lag

    def _publish_state(self) -> None:
        state, lag = self.state()
        self.state_changed.emit(state, lag)


def shows_a_change(previous: SessionStatus | None, status: SessionStatus) -> bool:
    """Whether the indicator would show something new: speech began or ended, or the lag
    moved by more than a quarter second."""
    return (
        previous is None
        or previous.in_speech != status.in_speech
        or abs(previous.lag_s - status.lag_s) > 0.25
    )
