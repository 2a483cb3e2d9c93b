"""Running the live pipeline without a window: CLI captioning and the benchmark.

Source -> ring buffer -> recognition worker (its own QThread) -> events, on a Qt event loop
driven through qasync (asyncio on the Qt main thread), exactly as the desktop app runs it; an
optional transcript server shares that loop.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

from captioner.app.event_loop import qt_asyncio_loop
from captioner.asr.config import RecognitionConfig
from captioner.asr.factory import create_recognizer
from captioner.asr.recognizer import Recognizer
from captioner.asr.session import SessionStatus
from captioner.asr.types import ModelInfo
from captioner.control.worker import RecognitionWorker, SourceFactory, WorkerThread
from captioner.transcript.echo import EchoFilter
from captioner.transcript.events import TranscriptEvent

if TYPE_CHECKING:
    from captioner.server.server import TranscriptServer


@dataclass(frozen=True)
class LiveStream:
    """One source captioned by its own recogniser (two with ``--source both``)."""

    make_source: SourceFactory
    label: str | None = None  # named in every event when there are two
    controlled: bool = True  # push-to-talk / remote control acts on it (the microphone)
    echo_reference: EchoFilter | None = None
    echo_filter: EchoFilter | None = None


@dataclass
class LiveResult:
    events: list[TranscriptEvent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notice: str = ""
    max_lag_s: float = 0.0
    dropped_s: float = 0.0
    statuses: int = 0
    recognizer: Recognizer | None = None

    @property
    def confirmed_text(self) -> str:
        return "".join(e.text for e in self.events if e.type == "final")


def run_live(
    config: RecognitionConfig,
    make_source: SourceFactory | Sequence[LiveStream],
    on_event: Callable[[TranscriptEvent], None] | None = None,
    on_status: Callable[[SessionStatus], None] | None = None,
    duration_s: float | None = None,
    on_ready: Callable[[str, ModelInfo], None] | None = None,
    server: TranscriptServer | None = None,
) -> LiveResult:
    """Caption ``make_source()`` until it ends (or ``duration_s`` passes, or Ctrl+C).

    ``make_source`` may instead be several :class:`LiveStream`: each gets its own worker
    (thread, recogniser, VAD), and their events carry the stream's label.

    With ``server``, the transcript is also served (started before the model loads, so clients
    can connect early; stopped after the last confirmed text went out), and its clients'
    ``control`` messages start/stop listening and reset the worker, unless the server already
    has a controller. Raises CaptionerError if the server cannot listen.
    """
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    result = LiveResult()
    streams = [LiveStream(make_source)] if callable(make_source) else list(make_source)

    loading = threading.Lock()

    def make_recognizer() -> tuple[Recognizer, str | None]:
        # Each worker loads its own recogniser in its own thread; one load at a time.
        with loading:
            recognizer, notice = create_recognizer(config)
            if result.recognizer is None:
                result.recognizer = recognizer
        return recognizer, notice

    workers = [
        RecognitionWorker(
            make_recognizer,
            stream.make_source,
            label=stream.label,
            echo_reference=stream.echo_reference,
            echo_filter=stream.echo_filter,
        )
        for stream in streams
    ]
    runners = [WorkerThread(worker) for worker in workers]
    capturing_now: set[int] = set()
    started = False
    # The workers' signals reach these plain functions in the workers' own threads: with two
    # workers, one at a time (events files, terminal lines).
    lock = threading.Lock()

    def record(event: TranscriptEvent) -> None:
        with lock:
            result.events.append(event)
            if on_event is not None:
                on_event(event)

    def status(s: SessionStatus) -> None:
        with lock:
            result.statuses += 1
            result.max_lag_s = max(result.max_lag_s, s.lag_s)
            result.dropped_s = max(result.dropped_s, s.dropped_s)
            if on_status is not None:
                on_status(s)

    def notice(text: str) -> None:
        result.notice = text

    def capturing(index: int) -> None:
        nonlocal started
        with lock:
            capturing_now.add(index)
            if started or len(capturing_now) < len(workers):
                return
            started = True  # every source is capturing (a reopened one does not start again)
        if on_ready is not None and result.recognizer is not None:
            on_ready(result.notice, result.recognizer.model_info)
        if duration_s is not None:
            QTimer.singleShot(int(duration_s * 1000), finish_now)

    pending_finish = 0

    def finished_one() -> None:
        nonlocal pending_finish
        with lock:
            pending_finish -= 1
            done = pending_finish <= 0
        if done:
            app.quit()

    def finish_now() -> None:
        # Confirm what is pending, then quit: both run in each worker's thread, in this order,
        # so the confirmed text reaches us before the loop ends.
        nonlocal pending_finish
        pending_finish = len(runners)
        for runner, worker in zip(runners, workers, strict=True):
            runner.finish_utterance()
            QTimer.singleShot(0, worker, finished_one)

    for index, worker in enumerate(workers):
        worker.partial.connect(record)
        worker.confirmed.connect(record)
        worker.status.connect(status)
        worker.error.connect(result.errors.append)
        # Without a window there is nobody to plug the microphone back in: capture failure
        # ends the run (the app instead retries).
        worker.source_failed.connect(result.errors.append)
        worker.source_failed.connect(app.quit)
        worker.ready.connect(notice)
        worker.capturing.connect(lambda _source, i=index: capturing(i))
        worker.finished.connect(app.quit)
    feeds = []  # referenced until the end: a collected QObject would receive nothing
    if server is not None:
        from captioner.server.bridge import WorkerController, WorkerFeed

        feeds = [WorkerFeed(server, worker) for worker in workers]
        controlled = [r for r, s in zip(runners, streams, strict=True) if s.controlled] or runners[
            :1
        ]
        if server.controller is None:
            server.controller = WorkerController(controlled[0])

    with qt_asyncio_loop(app, finish_now) as loop:
        try:
            if server is not None:
                loop.run_until_complete(server.start())
            for runner in runners:
                runner.start()
            loop.run_forever()  # Qt's event loop (app.exec()), until app.quit()
        finally:
            for runner in runners:
                runner.stop()
            if server is not None and server.running:
                loop.run_until_complete(server.stop())
            del feeds
    return result
