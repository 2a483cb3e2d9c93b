"""The recognition worker: a QObject living in its own QThread.

It owns the recogniser (loads models in its thread, so the window never freezes), drains
the audio ring buffer on a short timer, and reports through Qt signals. Nothing else touches
the engine: the GUI and servers talk to it only through request signals, which Qt queues to
the worker's thread. Confirmed text is handed to the sinks (e.g. transcript files) here, in
the worker's thread, before it is announced: what was shown has already been saved.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot

from captioner.asr.recognizer import Recognizer
from captioner.asr.session import SessionStatus, StatusReport, StreamingSession
from captioner.asr.types import ModelInfo, Partial, RecognizerUpdate, Segment
from captioner.audio.microphone import MicrophoneSource
from captioner.audio.silence import DigitalSilence, silent_microphone_text
from captioner.audio.source import AudioSource, SourceReader
from captioner.control.wall_clock import WallClock
from captioner.errors import AudioDeviceError, CaptionerError
from captioner.transcript.echo import EchoFilter, EchoGate
from captioner.transcript.events import TranscriptEvent

RecognizerFactory = Callable[[], tuple[Recognizer, str | None]]  # (engine, notice for the user)
SourceFactory = Callable[[], AudioSource]
ConfirmedSink = Callable[[Segment], None]

TICK_MS = 20  # while someone speaks: partials and the end of speech are seen at once
# Between utterances the ring buffer is read less often: the same VAD windows in fewer, larger
# batches, and a silent meeting costs a laptop less (100 ms: 0.87 % of one core for this
# thread, 250 ms: 0.37 %). Speech is detected at most this much later, and the
# first partial waits for 0.3 s of speech anyway, so it does not come later.
IDLE_TICK_MS = 250
log = logging.getLogger(__name__)


class RecognitionWorker(QObject):
    loading = Signal()  # a model is being loaded
    loaded = Signal(object)  # ModelInfo: a recogniser was loaded (at start or on reload)
    ready = Signal(str)  # engine loaded (argument: notice for the user, "" if none)
    capturing = Signal(str)  # audio is flowing from this source (its description)
    source_failed = Signal(str)  # capture could not start or stopped: why, in plain words
    # The microphone delivers only exact zeros (blocked or muted): why and where to allow it;
    # "" once it delivers sound again.
    source_silent = Signal(str)
    partial = Signal(object)  # TranscriptEvent
    confirmed = Signal(object)  # TranscriptEvent
    status = Signal(object)  # SessionStatus
    error = Signal(str)  # any other problem, in plain words
    finished = Signal()  # the source is exhausted and everything is confirmed

    # Requests from other threads. Connected to the slots below, so the work always happens
    # in the worker's thread (Qt queues a signal whose receiver lives in another thread).
    listening_requested = Signal(bool)
    finish_utterance_requested = Signal()
    reset_requested = Signal()
    reload_requested = Signal(object)  # a RecognizerFactory
    restart_source_requested = Signal(object)  # a SourceFactory, or None: reopen the same

    def __init__(
        self,
        make_recognizer: RecognizerFactory,
        make_source: SourceFactory,
        listening: bool = True,
        confirmed_sinks: Sequence[ConfirmedSink] = (),
        label: str | None = None,
        echo_reference: EchoFilter | None = None,
        echo_filter: EchoFilter | None = None,
    ) -> None:
        """``label`` names the source in every event (two sources: "Me" / "Others").
        ``echo_reference`` is told what this source says (the system audio);
        ``echo_filter`` drops confirmed text that only repeats it (the microphone)."""
        super().__init__()
        # Plain attributes, read per update: the app may change them between two ticks.
        self.label = label
        self.echo_reference = echo_reference
        self.echo_filter = echo_filter
        # Gives each confirmed line its number (the live pipeline's count of finals), called
        # in this thread before the sinks; the number goes into the ``final`` event.
        self.numbering: Callable[[Segment], int] | None = None
        self._gate: EchoGate[Segment] | None = None  # the microphone's lines beside the system's
        self._make_recognizer = make_recognizer
        self._make_source = make_source
        self._listening = listening
        self._sinks = list(confirmed_sinks)
        self._session: StreamingSession | None = None
        self._recognizer: Recognizer | None = None
        self._source: AudioSource | None = None
        self._timer: QTimer | None = None
        self._t0 = 0.0
        self._wall_clock = WallClock()
        self._reported_error: str | None = None
        self._status_report = StatusReport()
        self._silence: DigitalSilence | None = None  # watches the microphone's samples
        self._silent_told = False
        # What the current recogniser runs (None until one is loaded). Replaced, never
        # changed in place, so other threads may read it.
        self.model_info: ModelInfo | None = None
        self.listening_requested.connect(self.set_listening)
        self.finish_utterance_requested.connect(self.finish_utterance)
        self.reset_requested.connect(self.reset)
        self.reload_requested.connect(self.reload)
        self.restart_source_requested.connect(self.restart_source)

    def add_sink(self, sink: ConfirmedSink) -> None:
        """Also hand confirmed text to ``sink`` (before the worker starts)."""
        self._sinks.append(sink)

    # -- slots (run in the worker's thread) ----------------------------------------------

    @Slot()
    def start(self) -> None:
        self.loading.emit()
        try:
            self._recognizer, notice = self._make_recognizer()
        except CaptionerError as exc:
            self.error.emit(str(exc))
            self.finished.emit()
            return
        except Exception as exc:  # any failure must reach the user, not end the thread
            log.exception("recognition could not start")
            self.error.emit(self.tr("Recognition could not start: {exc}").format(exc=exc))
            self.finished.emit()
            return
        self._announce(self._recognizer)
        self.ready.emit(notice or "")
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._open_source()

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._source is not None:
            self._source.stop()

    @Slot()
    def shutdown(self) -> None:
        """Stop, and free the timer in this thread (Qt timers die where they live)."""
        self.stop()
        if self._timer is not None:
            shiboken6.delete(self._timer)
            self._timer = None

    @Slot(bool)
    def set_listening(self, listening: bool) -> None:
        self._listening = listening
        if self._session is not None:
            self._emit(self._session.set_listening(listening))
            self.status.emit(self._session.status())

    @Slot()
    def finish_utterance(self) -> None:
        if self._session is not None:
            self._emit(self._session.finish_utterance())
        self._release_held(final=True)

    @Slot()
    def reset(self) -> None:
        if self._session is not None:
            self._session.reset()
            now = self._session.reader.captured_seconds
            self._emit(RecognizerUpdate(partial=Partial("", now, now)))

    @Slot(object)
    def reload(self, make_recognizer: RecognizerFactory) -> None:
        """Load another engine; until it works, the current one keeps captioning."""
        if self._recognizer is None:  # the first load failed: this is a fresh start
            self._make_recognizer = make_recognizer
            self.start()
            return
        self.loading.emit()
        try:
            recognizer, notice = make_recognizer()
        except Exception as exc:  # the old engine stays in use; the user is told why
            if not isinstance(exc, CaptionerError):
                log.exception("reload failed")
            self.error.emit(
                self.tr(
                    "The new model could not be loaded; still using the previous one. {exc}"
                ).format(exc=exc)
            )
            self.ready.emit("")
            return
        self._make_recognizer = make_recognizer
        self._recognizer = recognizer
        if self._session is not None:
            self._emit(self._session.switch_recognizer(recognizer))
        self._wall_clock.restart()  # the new recogniser's clock starts at zero
        self._announce(recognizer)
        self.ready.emit(notice or "")

    @Slot(object)
    def restart_source(self, make_source: SourceFactory | None) -> None:
        """Reopen capture (after an unplug), or switch to another device."""
        if make_source is None and self._source is not None and self._source.error is None:
            # A retry that crossed the reopen it asked for (the controller retries every
            # 2 s; opening may take longer): reopening a working capture loses what plays
            # until the new stream delivers.
            return
        if make_source is not None:
            self._make_source = make_source
        if self._source is not None:
            self._source.stop()
            self._source = None
        self._open_source(rescan=True)

    # -- internals ---------------------------------------------------------------------

    def _announce(self, recognizer: Recognizer) -> None:
        self.model_info = recognizer.model_info
        log.info("recognition loaded: %s", self.model_info)  # e.g. "whisper base, cuda float16"
        self.loaded.emit(self.model_info)

    @property
    def wall_time(self) -> float:
        return time.monotonic() - self._t0

    def _open_source(self, rescan: bool = False) -> None:
        assert self._recognizer is not None and self._timer is not None
        try:
            if rescan:
                from captioner.audio.devices import rescan_devices

                rescan_devices()
            source = self._make_source()
            if self._session is None:
                # Event times count from the start of the stream, not of model loading.
                self._t0 = time.monotonic()
            source.start()
        except AudioDeviceError as exc:
            self._timer.stop()
            self.source_failed.emit(str(exc))
            return
        except CaptionerError as exc:
            self._timer.stop()
            self.error.emit(str(exc))
            self.finished.emit()
            return
        self._source = source
        self._reported_error = None
        reader = SourceReader(source, self._watch_silence(source))
        if self._session is None:
            self._session = StreamingSession(reader, self._recognizer, listening=self._listening)
        else:
            self._emit(self._session.switch_source(reader))
        name = getattr(getattr(source, "device", None), "name", "")
        self.capturing.emit(name or self.tr("audio"))
        self._timer.start()

    def _tick(self) -> None:
        session = self._session
        assert session is not None and self._source is not None
        read_at = self.wall_time  # the step reads all audio captured until now
        try:
            update, status = session.step()
            if session.listening:
                self._wall_clock.fed(session.recognizer.processed_seconds, read_at)
        except Exception as exc:  # reported; the session then ends cleanly
            log.exception("recognition failed")
            self.error.emit(self.tr("Recognition failed: {exc}").format(exc=exc))
            self.stop()
            self.finished.emit()
            return
        if self.echo_reference is not None:
            self.echo_reference.speaking(status.in_speech)
        self._emit(update)
        self._release_held()
        self._report(status)
        self._pace(status)
        problem = self._source.error
        if problem and problem != self._reported_error:
            self._reported_error = problem
            self._emit(session.finish_utterance())  # keep what was heard before it stopped
            if self._timer is not None:
                self._timer.stop()
            self.source_failed.emit(problem)
            return
        self._report_silence()
        if session.finished:
            self.stop()
            self.finished.emit()

    def _watch_silence(self, source: AudioSource) -> DigitalSilence | None:
        """A new capture: watched for exact silence if it is a microphone (what the computer
        plays is exact silence whenever nothing plays)."""
        self._silent_told = False
        microphone = isinstance(source, MicrophoneSource)
        self._silence = DigitalSilence(source.sample_rate) if microphone else None
        return self._silence

    def _report_silence(self) -> None:
        silence, source = self._silence, self._source
        if silence is None or silence.silent == self._silent_told:
            return
        self._silent_told = silence.silent
        name = source.device.name if isinstance(source, MicrophoneSource) else ""
        self.source_silent.emit(silent_microphone_text(name) if silence.silent else "")

    def _report(self, status: SessionStatus) -> None:
        """Send the status when what it shows changed, or its lag moved (a signal per 20 ms
        tick kept the GUI thread busy in silence)."""
        shown = (status.listening, status.in_speech, status.load_level, status.dropped_s)
        if self._status_report.due(shown, status.lag_s, time.monotonic()):
            self.status.emit(status)

    def _pace(self, status: SessionStatus) -> None:
        busy = status.in_speech or status.lag_s * 1000 > IDLE_TICK_MS
        interval = TICK_MS if busy else IDLE_TICK_MS
        if self._timer is not None and self._timer.interval() != interval:
            self._timer.setInterval(interval)

    def _emit(self, update: RecognizerUpdate) -> None:
        t = round(self.wall_time, 3)
        now = time.monotonic()
        for segment in update.confirmed:
            if self.echo_reference is not None:
                self.echo_reference.heard(segment.text, now)
            gate = self._echo_gate()
            if gate is None or gate.admit(segment.text, segment, now):
                self._confirm(segment, t)
        self._log_echoes()
        if update.partial is not None:
            p = update.partial
            if self.echo_reference is not None:
                self.echo_reference.heard(p.text, now, final=False)
            self.partial.emit(
                TranscriptEvent(t, "partial", p.text, p.start, p.end, source=self.label)
            )

    def _confirm(self, segment: Segment, t: float) -> None:
        saved = self._wall_clock.segment(segment)  # transcripts keep session time
        number = self.numbering(segment) if self.numbering is not None else None
        for sink in self._sinks:
            try:
                sink(saved)
            except OSError as exc:  # e.g. disk full: captions go on, the user is told
                self.error.emit(self.tr("The transcript could not be saved: {exc}").format(exc=exc))
        self.confirmed.emit(
            TranscriptEvent(
                t, "final", segment.text, segment.start, segment.end, self.label, final=number
            )
        )

    def _echo_gate(self) -> EchoGate[Segment] | None:
        """The gate of this source's lines, while it has an echo filter (the microphone
        beside the system audio; the app may set or clear it between two ticks)."""
        if self.echo_filter is None:
            return self._gate  # lines still held are released; none are added
        if self._gate is None or self._gate.echo is not self.echo_filter:
            self._gate = EchoGate(self.echo_filter)
        return self._gate

    def _release_held(self, final: bool = False) -> None:
        gate = self._gate
        if gate is None:
            return
        for segment in gate.release(time.monotonic(), final or self.echo_filter is None):
            self._confirm(segment, round(self.wall_time, 3))
        self._log_echoes()

    def _log_echoes(self) -> None:
        if self._gate is not None:
            for text in self._gate.dropped:
                log.info("dropped as an echo of the system audio: %s", text)
            self._gate.dropped.clear()


class WorkerThread:
    """A worker moved into its own QThread, started and stopped together."""

    def __init__(self, worker: RecognitionWorker) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName("recognition")
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.start)

    def start(self) -> None:
        self.thread.start()

    def set_listening(self, listening: bool) -> None:
        self.worker.listening_requested.emit(listening)

    def finish_utterance(self) -> None:
        self.worker.finish_utterance_requested.emit()

    def reset(self) -> None:
        self.worker.reset_requested.emit()

    def reload(self, make_recognizer: RecognizerFactory) -> None:
        self.worker.reload_requested.emit(make_recognizer)

    def restart_source(self, make_source: SourceFactory | None = None) -> None:
        self.worker.restart_source_requested.emit(make_source)

    def stop(self, timeout_ms: int = 10_000) -> None:
        if self.thread.isRunning():
            # Shut the worker down in its own thread (waiting for a decode in progress to
            # end), then end that thread's event loop.
            QMetaObject.invokeMethod(
                self.worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection
            )
            self.thread.quit()
            self.thread.wait(timeout_ms)
