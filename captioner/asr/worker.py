"""The recognition worker: a QObject living in its own QThread.

It owns the recogniser (loads the model in its thread, so the window never freezes), drains
the audio ring buffer on a short timer, and reports through Qt signals. Nothing else touches
the engine: the GUI and servers talk to it only through its slots (queued across threads).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot

from captioner.asr.recognizer import Recognizer
from captioner.asr.session import StreamingSession
from captioner.asr.types import Partial, RecognizerUpdate
from captioner.audio.source import AudioSource, SourceReader
from captioner.errors import CaptionerError
from captioner.transcript.events import TranscriptEvent

RecognizerFactory = Callable[[], tuple[Recognizer, str | None]]  # (engine, notice for the user)
SourceFactory = Callable[[], AudioSource]

TICK_MS = 20
log = logging.getLogger(__name__)


class RecognitionWorker(QObject):
    ready = Signal(str)  # engine loaded and audio flowing; argument: notice ("" if none)
    partial = Signal(object)  # TranscriptEvent
    confirmed = Signal(object)  # TranscriptEvent
    status = Signal(object)  # SessionStatus
    error = Signal(str)  # a message for the user
    finished = Signal()  # the source is exhausted and everything is confirmed

    # Requests from other threads. Connected to the slots below, so the work always happens
    # in the worker's thread (Qt queues a signal whose receiver lives in another thread).
    listening_requested = Signal(bool)
    finish_utterance_requested = Signal()
    reset_requested = Signal()

    def __init__(
        self,
        make_recognizer: RecognizerFactory,
        make_source: SourceFactory,
        listening: bool = True,
    ) -> None:
        super().__init__()
        self._make_recognizer = make_recognizer
        self._make_source = make_source
        self._listening = listening
        self._session: StreamingSession | None = None
        self._source: AudioSource | None = None
        self._timer: QTimer | None = None
        self._t0 = 0.0
        self._reported_error: str | None = None
        self.listening_requested.connect(self.set_listening)
        self.finish_utterance_requested.connect(self.finish_utterance)
        self.reset_requested.connect(self.reset)

    # -- slots (called through queued connections from other threads) --------------------

    @Slot()
    def start(self) -> None:
        try:
            recognizer, notice = self._make_recognizer()
            self._source = self._make_source()
            self._session = StreamingSession(
                SourceReader(self._source), recognizer, listening=self._listening
            )
            self._t0 = time.monotonic()
            self._source.start()
            self.ready.emit(notice or "")
        except CaptionerError as exc:
            self.error.emit(str(exc))
            self.finished.emit()
            return
        except Exception as exc:
            log.exception("recognition could not start")
            self.error.emit(f"Recognition could not start: {exc}")
            self.finished.emit()
            return
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

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

    @Slot()
    def reset(self) -> None:
        if self._session is not None:
            self._session.reset()
            now = self._session.reader.captured_seconds
            self._emit(RecognizerUpdate(partial=Partial("", now, now)))

    # -- internals ---------------------------------------------------------------------

    @property
    def wall_time(self) -> float:
        return time.monotonic() - self._t0

    def _tick(self) -> None:
        session = self._session
        assert session is not None and self._source is not None
        try:
            update, status = session.step()
        except Exception as exc:
            log.exception("recognition failed")
            self.error.emit(f"Recognition failed: {exc}")
            self.stop()
            self.finished.emit()
            return
        self._emit(update)
        self.status.emit(status)
        problem = self._source.error
        if problem and problem != self._reported_error:
            self._reported_error = problem
            self.error.emit(problem)
        if session.finished:
            self.stop()
            self.finished.emit()

    def _emit(self, update: RecognizerUpdate) -> None:
        t = round(self.wall_time, 3)
        for segment in update.confirmed:
            self.confirmed.emit(
                TranscriptEvent(t, "final", segment.text, segment.start, segment.end)
            )
        if update.partial is not None:
            p = update.partial
            self.partial.emit(TranscriptEvent(t, "partial", p.text, p.start, p.end))


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

    def stop(self, timeout_ms: int = 10_000) -> None:
        if self.thread.isRunning():
            # Shut the worker down in its own thread (waiting for a decode in progress to
            # end), then end that thread's event loop.
            QMetaObject.invokeMethod(
                self.worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection
            )
            self.thread.quit()
            self.thread.wait(timeout_ms)
