"""Qt glue: a recognition worker's signals published on a :class:`TranscriptServer`, and
``control`` messages acting on the worker.

The desktop app and headless mode both use :class:`WorkerFeed`; headless mode also uses
:class:`WorkerController` (the app implements the controller itself, like its hotkeys).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Slot

from captioner.asr.session import SessionStatus
from captioner.asr.types import ModelInfo
from captioner.control.worker import RecognitionWorker, WorkerThread
from captioner.server.protocol import PipelineState
from captioner.server.server import TranscriptServer
from captioner.transcript.events import TranscriptEvent


class WorkerFeed(QObject):
    """Publishes what a worker emits.

    Create it in the thread whose asyncio loop runs the server (the Qt main thread): a QObject
    receives signals from the worker's thread queued into its own thread, so publishing always
    happens on the server's loop.
    """

    def __init__(
        self, server: TranscriptServer, worker: RecognitionWorker, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._server = server
        self._base = PipelineState("starting")
        if worker.model_info is not None:  # loaded before this feed began
            self._base = _with_model(self._base, worker.model_info)
        server.publish_state(self._base)
        self._connections = [
            (worker.loaded, self._on_loaded),
            (worker.partial, self._on_partial),
            (worker.confirmed, self._on_confirmed),
            (worker.status, self._on_status),
            (worker.error, self._on_error),
            (worker.source_failed, self._on_error),
            (worker.finished, self._on_finished),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)

    def close(self) -> None:
        """Stop publishing (the server is being replaced or stopped; the worker lives on)."""
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
        self.deleteLater()

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        """A recogniser was loaded (at start, or the app reloaded another model)."""
        self._base = _with_model(self._base, info)
        self._server.publish_state(_with_model(self._server.state, info))

    @Slot(object)
    def _on_partial(self, event: TranscriptEvent) -> None:
        self._server.publish_partial(event)

    @Slot(object)
    def _on_confirmed(self, event: TranscriptEvent) -> None:
        self._server.publish_final(event)

    @Slot(object)
    def _on_status(self, status: SessionStatus) -> None:
        self._server.publish_state(
            replace(
                self._base,
                state="listening" if status.listening else "idle",
                lag_s=status.lag_s,
                dropped_s=status.dropped_s,
            )
        )

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self._server.publish_error(message)

    @Slot()
    def _on_finished(self) -> None:
        self._server.publish_state(replace(self._server.state, state="stopped"))


def _with_model(state: PipelineState, info: ModelInfo) -> PipelineState:
    return replace(state, engine=info.engine, model=info.model, language=info.language)


class WorkerController:
    """``control`` messages on a bare worker thread (headless mode; the app has its own).
    Requests are queued into the worker's thread."""

    def __init__(self, runner: WorkerThread, listening: bool = True) -> None:
        self._runner = runner
        self.listening = listening

    def _set(self, listening: bool) -> None:
        self.listening = listening
        self._runner.set_listening(listening)

    def start_listening(self) -> None:
        self._set(True)

    def stop_listening(self) -> None:
        self._set(False)

    def toggle_listening(self) -> None:
        self._set(not self.listening)

    def reset(self) -> None:
        self._runner.reset()
