"""Qt glue: what a live pipeline emits, published on a :class:`TranscriptServer`.

The app and the command line run the same pipeline (captioner.control.pipeline) and publish
it the same way; the pipeline (or the app's controller around it) is also the server's
controller, so ``control`` messages act exactly like the hotkey.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Slot

from captioner.asr.session import SessionStatus
from captioner.asr.types import ModelInfo
from captioner.control.pipeline import LivePipeline
from captioner.control.problems import Problem
from captioner.control.state import CaptionState
from captioner.server.protocol import PipelineState, StateName
from captioner.server.server import TranscriptServer
from captioner.transcript.events import TranscriptEvent


class PipelineFeed(QObject):
    """Publishes what a pipeline emits.

    Create it in the thread whose asyncio loop runs the server (the Qt main thread): the
    pipeline emits there, so publishing always happens on the server's loop.
    """

    def __init__(
        self, server: TranscriptServer, pipeline: LivePipeline, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._server = server
        self._pipeline = pipeline
        self._base = PipelineState("starting")
        self._stopped = False
        self._connections = [
            (pipeline.loaded, self._on_loaded),
            (pipeline.partial, self._on_partial),
            (pipeline.confirmed, self._on_confirmed),
            (pipeline.translated, self._on_translated),
            (pipeline.status, self._on_status),
            (pipeline.state_changed, self._on_state),
            (pipeline.problem, self._on_problem),
            (pipeline.cleared, self._on_cleared),
            (pipeline.finished, self._on_finished),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        self._publish()

    def close(self) -> None:
        """Stop publishing (the server is being replaced or stopped; the pipeline lives on)."""
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
        self.deleteLater()

    def _publish(self) -> None:
        state, lag = self._pipeline.state()
        self._server.publish_state(
            replace(
                self._base,
                state=self._state_name(state),
                lag_s=lag,
                dropped_s=self._pipeline.dropped_s(),
            )
        )

    def _state_name(self, state: CaptionState) -> StateName:
        if self._stopped:
            return "stopped"
        if state is CaptionState.LOADING:
            return "starting"
        if state is CaptionState.ERROR:  # capture down, being reopened: as the user left it
            return "listening" if self._pipeline.listening.listening else "idle"
        if state is CaptionState.IDLE:
            return "idle"
        return "listening"

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        """A recogniser was loaded (at start, or the app reloaded another model)."""
        self._base = replace(
            self._base, engine=info.engine, model=info.model, language=info.language
        )
        self._publish()

    @Slot(object)
    def _on_partial(self, event: TranscriptEvent) -> None:
        self._server.publish_partial(event)

    @Slot(object)
    def _on_confirmed(self, event: TranscriptEvent) -> None:
        self._server.publish_final(event)

    @Slot(object)
    def _on_translated(self, event: TranscriptEvent) -> None:
        self._server.publish_translation(event)

    @Slot(object)
    def _on_status(self, status: SessionStatus) -> None:
        self._publish()

    @Slot(object, float)
    def _on_state(self, state: CaptionState, lag: float) -> None:
        self._publish()

    @Slot(object)
    def _on_problem(self, problem: Problem) -> None:
        if problem.severity == "error":
            self._server.publish_error(problem.text)

    @Slot()
    def _on_cleared(self) -> None:
        self._server.publish_clear()

    @Slot()
    def _on_finished(self) -> None:
        self._stopped = True
        self._publish()
