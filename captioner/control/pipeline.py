"""The live pipeline: what the desktop app and the command line both run.

Channels (captioner.control.channels: a source each, with its own recognition worker in its
own thread) are started, listened to and stopped here; push-to-talk, the tray and remote
control act through one listening state machine; capture that fails is retried (the app) or
ends the run (the command line); problems are told once and the ones that stand are kept;
the channels' statuses become one state for the caption bar and the feed. Lives in the Qt
thread: each channel's worker reports through queued signals to a small QObject of its own
here, so everything below runs in this thread, one thing at a time.

Finals are numbered (1, 2, 3, ... for the pipeline's life, whatever the channel, also across
resets): each ``confirmed`` event carries its number in ``final``. With translation on
(captioner.control.translating), each final's translation comes back as ``translated``,
naming the same final, without the captions or the window waiting for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from captioner.asr.recognizer import Recognizer
from captioner.asr.session import SessionStatus, StatusReport
from captioner.asr.types import ModelInfo, Segment
from captioner.control.channels import ChannelSpec, Role
from captioner.control.listening import ListeningChange, ListeningController, ListeningMode
from captioner.control.problems import Problem, Standing, StandingProblems
from captioner.control.state import CaptionState, caption_state
from captioner.control.translating import LineTranslation
from captioner.control.worker import RecognitionWorker, RecognizerFactory, WorkerThread
from captioner.transcript.echo import EchoFilter
from captioner.transcript.events import TranscriptEvent
from captioner.translate.config import TranslationConfig
from captioner.translate.translator import Translator

RETRY_SOURCE_MS = 2000
LabelledSink = Callable[[Segment, str | None], None]  # a confirmed line and its source label


class _Channel(QObject):
    """One channel's worker, thread and retry timer, and what it last reported. Its slots
    run in the pipeline's thread (it lives there) and hand over to the pipeline."""

    def __init__(self, pipeline: LivePipeline, spec: ChannelSpec, worker: RecognitionWorker):
        super().__init__(pipeline)
        self.pipeline = pipeline
        self.spec = spec
        self.worker = worker
        self.runner = WorkerThread(worker)
        self.retry = QTimer(self)
        self.retry.setInterval(RETRY_SOURCE_MS)
        self.retry.timeout.connect(self._retry)
        self.status: SessionStatus | None = None
        self.down = False  # capture failed and is not back yet
        self.capturing = False
        self.finished = False
        self.silence_told = False  # the silent microphone was told for this capture
        w = worker
        w.loading.connect(self._on_loading)
        w.ready.connect(self._on_ready)
        w.loaded.connect(self._on_loaded)
        w.capturing.connect(self._on_capturing)
        w.source_failed.connect(self._on_source_failed)
        w.source_silent.connect(self._on_source_silent)
        w.partial.connect(self._on_partial)
        w.confirmed.connect(self._on_confirmed)
        w.status.connect(self._on_status)
        w.error.connect(self._on_error)
        w.finished.connect(self._on_finished)

    @property
    def primary(self) -> bool:
        """The first channel: the microphone, or what the computer plays alone."""
        return self.pipeline.channels[0] is self

    def _retry(self) -> None:
        self.runner.restart_source()

    def _on_loading(self) -> None:
        self.finished = False  # a reload after recognition failed starts it afresh
        self.pipeline._loading_changed(True)

    def _on_ready(self, notice: str) -> None:
        self.pipeline._ready(notice)

    def _on_loaded(self, info: ModelInfo) -> None:
        if self.primary:
            self.pipeline.loaded.emit(info)

    def _on_capturing(self, name: str) -> None:
        self.pipeline._capturing(self, name)

    def _on_source_failed(self, message: str) -> None:
        self.pipeline._source_failed(self, message)

    def _on_source_silent(self, text: str) -> None:
        self.pipeline._source_silent(self, text)

    def _on_partial(self, event: TranscriptEvent) -> None:
        self.pipeline.partial.emit(event)

    def _on_confirmed(self, event: TranscriptEvent) -> None:
        self.pipeline.confirmed.emit(event)
        self.pipeline._lines.shown(event)

    def _on_status(self, status: SessionStatus) -> None:
        self.status = status
        self.pipeline._status(status)

    def _on_error(self, message: str) -> None:
        self.pipeline.problem.emit(Problem(message, "error"))

    def _on_finished(self) -> None:
        self.finished = True
        self.pipeline._channel_finished()


class LivePipeline(QObject):
    partial = Signal(object)  # TranscriptEvent of any channel (its label in ``source``)
    confirmed = Signal(object)  # TranscriptEvent, after the sinks saved it
    state_changed = Signal(object, float)  # CaptionState, lag: when it shows something new
    status = Signal(object)  # every SessionStatus a channel reports (figures, lag warnings)
    listening_changed = Signal(bool)
    loaded = Signal(object)  # ModelInfo: the first channel loaded a recogniser
    ready = Signal(str)  # a recogniser is ready; the notice for the user ("" if none)
    capturing = Signal()  # every channel captures, for the first time
    problem = Signal(object)  # Problem: told once
    standing_changed = Signal(str)  # the problem that stands now ("" when none does)
    cleared = Signal()  # a reset: what was shown should go
    finished = Signal()  # every channel ended (a file ran out, or recognition failed)
    # TranscriptEvent of type "translation": a final (``final`` its number) in ``lang``.
    translated = Signal(object)
    # What translation tells the user (also a ``problem``): an endpoint that fails, once per
    # kind of failure; lines skipped; a config that cannot work.
    translation_notice = Signal(str)

    def __init__(
        self,
        channels: Sequence[ChannelSpec],
        make_recognizer: RecognizerFactory,
        mode: ListeningMode = ListeningMode.ALWAYS,
        sinks: Sequence[LabelledSink] = (),
        retry_sources: bool = True,
        parent: QObject | None = None,
        translation: TranslationConfig | None = None,
    ) -> None:
        """``make_recognizer`` is called in each channel's thread, one at a time.
        ``retry_sources``: capture that fails is reopened every 2 s until it works again
        (the app: a microphone plugged back in); otherwise it ends the run.
        ``translation``: a line in another language under each final (None: off; see
        ``set_translation``)."""
        super().__init__(parent)
        self.listening = ListeningController(mode)
        self.standing = StandingProblems()
        self.paused = False  # the channels push-to-talk does not control (system audio)
        self.retry_sources = retry_sources
        self._make_recognizer = make_recognizer
        self._loading_lock = threading.Lock()
        self._sinks = list(sinks)
        self._echo = EchoFilter()
        self._loading = True
        self._stopped = False
        self._all_capturing = False
        self._report = StatusReport()
        self._finishing = 0  # channels still confirming before ``finish`` ends the run
        self._finishing_lock = threading.Lock()  # counted down in the workers' threads
        self._specs = list(channels)  # what ``start`` starts
        self.channels: list[_Channel] = []  # running (from ``start`` on)
        self._started = False
        # Finals are numbered in the workers' threads, as they reach the sinks.
        self._finals = 0
        self._finals_lock = threading.Lock()
        self._lines = LineTranslation(self)
        self._lines.translated.connect(self.translated)
        self._lines.notice.connect(self._tell_translation)
        if translation is not None:
            self.set_translation(translation)

    # -- lifecycle ------------------------------------------------------------------------

    def build(self) -> None:
        """Make the channels: their workers and threads, not started yet."""
        if self._started:
            return
        self._started = True
        self.channels = [self._channel(spec) for spec in self._specs]
        self._wire_echo()

    def start(self) -> None:
        self.build()
        for channel in self.channels:
            channel.runner.start()

    def shutdown(self) -> None:
        """Stop every channel (a decode in progress ends first), and the translator."""
        for channel in self.channels:
            channel.retry.stop()
            channel.runner.stop()
        self._lines.close()

    # -- translation: captioner.control.translating ---------------------------------------

    @property
    def translation(self) -> TranslationConfig | None:
        """What each final is translated as (None: off)."""
        return self._lines.config

    @property
    def translator(self) -> Translator | None:
        return self._lines.translator

    def set_translation(self, config: TranslationConfig | None) -> None:
        """Translate each final from now on as ``config`` says (None: stop translating).
        A config that cannot work is told (a problem, in words) and translation stays off;
        captions go on either way."""
        self._lines.set(config)

    def _tell_translation(self, text: str) -> None:
        self.problem.emit(Problem(text, "warning"))
        self.translation_notice.emit(text)

    def finish(self) -> None:
        """Confirm what each channel heard, then emit ``finished`` (the end of a run: its
        duration, Ctrl+C). The requests run in each worker's thread in this order, so the
        confirmed text arrives before ``finished``."""
        with self._finishing_lock:
            self._finishing = len(self.channels)
        for channel in self.channels:
            channel.retry.stop()
            channel.runner.finish_utterance()
            QTimer.singleShot(0, channel.worker, self._confirmed_one)

    def reload(self, make_recognizer: RecognizerFactory) -> None:
        """Another recogniser (model, device): each channel loads it and keeps captioning
        with the old one until it works."""
        self._make_recognizer = make_recognizer
        for channel in self.channels:  # none before ``start``: they load it when they start
            channel.runner.reload(self._load)

    def reconfigure(self, channels: Sequence[ChannelSpec]) -> None:
        """Caption these channels from now on: a channel of the same role keeps its
        capture unless its source changed; others start or stop."""
        self._specs = list(channels)
        if not self._started:
            return
        kept: list[_Channel] = []
        for spec in channels:
            channel = next((c for c in self.channels if c.spec.role is spec.role), None)
            if channel is None:
                channel = self._channel(spec)
                channel.runner.start()
            else:
                if channel.spec.key != spec.key:
                    channel.retry.stop()
                    channel.runner.restart_source(spec.make_source)
                channel.spec = spec
                channel.worker.label = spec.label
            kept.append(channel)
        for channel in self.channels:
            if channel not in kept:
                channel.retry.stop()
                channel.runner.stop()
                channel.deleteLater()
        self.channels = kept
        self._wire_echo()
        self.standing.clear(Standing.SYSTEM_CAPTURE_FAILED)
        self.standing_changed.emit(self.standing.current())
        self._publish_state()

    def dropped_s(self) -> float:
        """Audio lost so far because recognition fell too far behind, all channels."""
        return round(sum(c.status.dropped_s for c in self.channels if c.status), 3)

    def captions(self, role: Role) -> bool:
        """Whether a channel of this role is captioning (or will, once started)."""
        return any(spec.role is role for spec in self._specs)

    # -- listening: hotkey, tray and remote control all end up here ----------------------

    def hotkey_pressed(self) -> None:
        self._apply(self.listening.press())

    def hotkey_released(self) -> None:
        self._apply(self.listening.release())

    def start_listening(self) -> None:
        self._apply(self.listening.start())

    def stop_listening(self) -> None:
        self._apply(self.listening.stop())

    def toggle_listening(self) -> None:
        self._apply(self.listening.toggle())

    def set_mode(self, mode: ListeningMode) -> None:
        self._apply(self.listening.set_mode(mode))

    def toggle_paused(self) -> None:
        """Pause or resume the channels push-to-talk does not control (the system audio
        beside the microphone)."""
        self.paused = not self.paused
        for channel in self.channels:
            if not channel.spec.controlled:
                channel.runner.set_listening(not self.paused)
        self._publish_state()

    def reset(self) -> None:
        """Forget the utterances in progress and any backlog: captions continue from now."""
        for channel in self.channels:
            channel.runner.reset()
        self.cleared.emit()

    def _apply(self, change: ListeningChange | None) -> None:
        if change is None:
            return
        for channel in self.channels:
            if channel.spec.controlled:
                channel.runner.set_listening(change.listening)
        self.listening_changed.emit(change.listening)
        self._publish_state()

    # -- the channels' reports ------------------------------------------------------------

    def _channel(self, spec: ChannelSpec) -> _Channel:
        worker = RecognitionWorker(
            self._load,
            spec.make_source,
            listening=self.listening.listening if spec.controlled else not self.paused,
            label=spec.label,
        )
        channel = _Channel(self, spec, worker)
        worker.numbering = self._number
        worker.add_sink(lambda segment: self._save(segment, worker.label))
        return channel

    def _load(self) -> tuple[Recognizer, str | None]:
        # Each channel loads its own recogniser in its own thread; one load at a time.
        with self._loading_lock:
            recognizer, notice = self._make_recognizer()
        self._lines.attach(recognizer)
        return recognizer, notice

    def _number(self, segment: Segment) -> int:
        """The next final's number; its audio is kept until it is shown. Runs in a worker's
        thread, before the sinks."""
        with self._finals_lock:
            self._finals += 1
            number = self._finals
        self._lines.keep(number, segment.audio)
        return number

    def _save(self, segment: Segment, label: str | None) -> None:
        for sink in self._sinks:
            sink(segment, label)

    def _wire_echo(self) -> None:
        """Beside the system audio, the microphone's lines that only repeat it (speakers
        heard by the microphone) are dropped. Set between two ticks: read per update."""
        roles = {c.spec.role for c in self.channels}
        both = {Role.MICROPHONE, Role.SYSTEM} <= roles
        for channel in self.channels:
            role = channel.spec.role
            channel.worker.echo_filter = self._echo if both and role is Role.MICROPHONE else None
            channel.worker.echo_reference = self._echo if both and role is Role.SYSTEM else None

    def _loading_changed(self, loading: bool) -> None:
        self._loading = loading
        self._stopped = False
        self._publish_state()

    def _ready(self, notice: str) -> None:
        self._loading = False
        self._stopped = False
        if notice:
            self.problem.emit(Problem(notice, "warning"))
        self.ready.emit(notice)
        self._publish_state()

    def _capturing(self, channel: _Channel, name: str) -> None:
        channel.retry.stop()
        channel.capturing = True
        channel.silence_told = False
        was_down, channel.down = channel.down, False
        if channel.primary:
            self._resolve(Standing.CAPTURE_FAILED, Standing.MICROPHONE_SILENT)
            if was_down:
                self.problem.emit(
                    Problem(
                        self.tr("Microphone '{source}' is back: captioning again.").format(
                            source=name
                        )
                        if channel.spec.role is Role.MICROPHONE
                        else self.tr("'{source}' is back: captioning again.").format(source=name),
                        "info",
                    )
                )
        else:
            self._resolve(Standing.SYSTEM_CAPTURE_FAILED)
        if not self._all_capturing and all(c.capturing for c in self.channels):
            self._all_capturing = True
            self.capturing.emit()
        self._publish_state()

    def _source_failed(self, channel: _Channel, message: str) -> None:
        if not self.retry_sources:
            # Nobody is there to plug the microphone back in: the run ends.
            self.problem.emit(Problem(message, "error"))
            self.shutdown()
            self.finished.emit()
            return
        text = (
            self.tr("{message} Captioning resumes when a microphone is available.")
            if channel.spec.role is Role.MICROPHONE
            else self.tr("{message} Captioning resumes when it is available again.")
        ).format(message=message)
        if not channel.down:  # told once; the retries fail quietly until it is back
            self.problem.emit(Problem(text, "error"))
        channel.down = True
        kind = Standing.CAPTURE_FAILED if channel.primary else Standing.SYSTEM_CAPTURE_FAILED
        self._stand(kind, text)
        channel.retry.start()
        self._publish_state()

    def _source_silent(self, channel: _Channel, text: str) -> None:
        """The microphone delivers only exact zeros ("" once it delivers sound again). Told
        once per capture; after that only the caption bar says it while it lasts, since a
        microphone with noise suppression can go silent between sentences."""
        if not text:
            self._resolve(Standing.MICROPHONE_SILENT)
            return
        if not channel.silence_told:
            channel.silence_told = True
            self.problem.emit(Problem(text, "warning"))
        self._stand(Standing.MICROPHONE_SILENT, text)

    def _stand(self, kind: Standing, text: str) -> None:
        if self.standing.set(kind, text):
            self.standing_changed.emit(self.standing.current())

    def _resolve(self, *kinds: Standing) -> None:
        if self.standing.clear(*kinds):
            self.standing_changed.emit(self.standing.current())

    def _status(self, status: SessionStatus) -> None:
        self.status.emit(status)
        self._publish_state()

    def _channel_finished(self) -> None:
        # A microphone never runs out: its worker finishes only when recognition could
        # not start or failed for good, which the caption bar shows, not "loading" for ever.
        if all(c.finished for c in self.channels):
            self._loading = False
            self._stopped = True
            self._publish_state(force=True)
            self.finished.emit()

    def _confirmed_one(self) -> None:
        """Runs in a worker's thread after its finish request (see ``finish``)."""
        with self._finishing_lock:
            self._finishing -= 1
            done = self._finishing == 0
        if done:
            QTimer.singleShot(0, self, self.finished.emit)

    # -- the state the caption bar and the feed show --------------------------------------

    def state(self) -> tuple[CaptionState, float]:
        return caption_state(
            [c.status for c in self.channels],
            down=bool(self.channels) and self.channels[0].down,
            stopped=self._stopped,
            loading=self._loading,
            listening=self.listening.listening
            or (any(not spec.controlled for spec in self._specs) and not self.paused),
        )

    def _publish_state(self, force: bool = False) -> None:
        state, lag = self.state()
        if self._report.due(state, lag, time.monotonic()) or force:
            self.state_changed.emit(state, lag)
