"""Running the live pipeline without a window: `listen`, `transcribe --live` and `bench`.

The same pipeline the desktop app runs (captioner.control.pipeline), on a Qt event loop
driven through qasync (asyncio on the Qt main thread), so that an optional transcript server
shares that loop. Without a window nobody plugs a microphone back in: capture that fails
ends the run; the terminal shows what the app's caption bar would.
"""

from __future__ import annotations

import sys
import time
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
from captioner.control.channels import ChannelSpec
from captioner.control.listening import ListeningMode
from captioner.control.pipeline import LabelledSink, LivePipeline
from captioner.control.problems import Problem
from captioner.transcript.events import TranscriptEvent
from captioner.translate.config import TranslationConfig
from captioner.translate.translator import TranslatorStats

if TYPE_CHECKING:
    from captioner.server.server import TranscriptServer


@dataclass
class LiveResult:
    events: list[TranscriptEvent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notice: str = ""
    max_lag_s: float = 0.0
    dropped_s: float = 0.0
    statuses: int = 0
    recognizer: Recognizer | None = None  # the first channel's (statistics, the benchmark)
    notices: list[str] = field(default_factory=list)  # what translation told, in order
    translator_stats: TranslatorStats | None = None  # with translation: what it did

    @property
    def confirmed_text(self) -> str:
        return "".join(e.text for e in self.events if e.type == "final")


def run_live(
    config: RecognitionConfig,
    channels: Sequence[ChannelSpec],
    on_event: Callable[[TranscriptEvent], None] | None = None,
    on_status: Callable[[SessionStatus], None] | None = None,
    duration_s: float | None = None,
    on_ready: Callable[[str, ModelInfo], None] | None = None,
    server: TranscriptServer | None = None,
    sinks: Sequence[LabelledSink] = (),
    translation: TranslationConfig | None = None,
    on_notice: Callable[[str], None] | None = None,
    translation_wait_s: float = 30.0,
) -> LiveResult:
    """Caption ``channels`` until they end (a file), ``duration_s`` passes, or Ctrl+C.

    ``sinks`` get every confirmed line before it is shown (the transcript library). With
    ``server``, the transcript is also served (started before the model loads, so
    clients can connect early; stopped after the last confirmed text went out), and its
    clients' ``control`` messages act on the pipeline, unless the server already has a
    controller. Raises CaptionerError if the server cannot listen.

    ``translation``: each final's translation follows it as an event of type
    ``translation``; when the channels end (a file), the lines still being translated are
    waited for, up to ``translation_wait_s``. ``on_notice``: what translation tells, as it is told
    (an endpoint that fails: once per kind of failure).
    """
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    result = LiveResult()

    def make_recognizer() -> tuple[Recognizer, str | None]:
        recognizer, notice = create_recognizer(config)
        if result.recognizer is None:
            result.recognizer = recognizer
        return recognizer, notice

    pipeline = LivePipeline(
        channels,
        make_recognizer,
        ListeningMode.ALWAYS,
        sinks,
        retry_sources=False,
        translation=translation,
    )

    def record(event: TranscriptEvent) -> None:
        result.events.append(event)
        if on_event is not None:
            on_event(event)

    def status(s: SessionStatus) -> None:
        result.statuses += 1
        result.max_lag_s = max(result.max_lag_s, s.lag_s)
        result.dropped_s = max(result.dropped_s, pipeline.dropped_s())
        if on_status is not None:
            on_status(s)

    def problem(p: Problem) -> None:
        if p.severity == "error":
            result.errors.append(p.text)

    def translation_notice(text: str) -> None:
        result.notices.append(text)
        if on_notice is not None:
            on_notice(text)

    def ready(notice: str) -> None:
        result.notice = result.notice or notice

    def capturing() -> None:
        if on_ready is not None and result.recognizer is not None:
            on_ready(result.notice, result.recognizer.model_info)
        if duration_s is not None:
            QTimer.singleShot(int(duration_s * 1000), pipeline.finish)

    deadline = 0.0

    def drain() -> None:
        """The channels ended: the lines still being translated come first (their results
        are queued to this thread), then the run ends."""
        nonlocal deadline
        translator = pipeline.translator
        deadline = deadline or time.monotonic() + translation_wait_s
        if translator is not None and not translator.idle() and time.monotonic() < deadline:
            QTimer.singleShot(50, drain)
            return
        QTimer.singleShot(50, app.quit)  # after the results already queued

    pipeline.partial.connect(record)
    pipeline.confirmed.connect(record)
    pipeline.translated.connect(record)
    pipeline.status.connect(status)
    pipeline.problem.connect(problem)
    pipeline.translation_notice.connect(translation_notice)
    pipeline.ready.connect(ready)
    pipeline.capturing.connect(capturing)
    pipeline.finished.connect(drain)
    feed = None  # referenced until the end: a collected QObject would receive nothing
    if server is not None:
        from captioner.server.bridge import PipelineFeed

        feed = PipelineFeed(server, pipeline)
        if server.controller is None:
            server.controller = pipeline

    with qt_asyncio_loop(app, pipeline.finish) as loop:
        try:
            if server is not None:
                loop.run_until_complete(server.start())
            pipeline.start()
            loop.run_forever()  # Qt's event loop (app.exec()), until app.quit()
        finally:
            if pipeline.translator is not None:
                result.translator_stats = pipeline.translator.stats
            pipeline.shutdown()
            if server is not None and server.running:
                loop.run_until_complete(server.stop())
            del feed
    return result
