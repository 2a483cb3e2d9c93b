"""The app's live transcript feed (WebSocket + OBS overlay page), started and restarted as
the settings say, on the Qt thread's asyncio loop (qasync)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from captioner.control.captioning import CaptionController
from captioner.control.problems import Problem
from captioner.errors import CaptionerError
from captioner.server import ServerConfig, TranscriptServer
from captioner.server.bridge import PipelineFeed
from captioner.settings import ServerSettings, Settings


class LiveFeed(QObject):
    def __init__(self, controller: CaptionController, report: Callable[[Problem], None]) -> None:
        super().__init__()
        self.controller = controller
        self.report = report
        self.server: TranscriptServer | None = None
        self._bridge: PipelineFeed | None = None
        self._settings: ServerSettings | None = None
        self._tasks: set[asyncio.Task[Any]] = set()  # running tasks must stay referenced

    def configure(self, settings: Settings) -> None:
        """Start, stop or restart the feed to match ``settings``."""
        if settings.server != self._settings:
            self._settings = replace(
                settings.server, allowed_origins=list(settings.server.allowed_origins)
            )
            self._restart(settings.server)

    def stop(self, then: Callable[[], None] | None = None) -> None:
        server = self.server
        self._drop_server()
        if server is None:
            if then is not None:
                then()
            return
        task = self._run(server.stop())
        if then is not None:
            task.add_done_callback(lambda _task: then())

    def _restart(self, wanted: ServerSettings) -> None:
        old = self.server
        self._drop_server()
        if not wanted.enabled:
            if old is not None:
                self._run(old.stop())
            return
        try:
            config = ServerConfig.from_settings(wanted)
            server = TranscriptServer(config, controller=self.controller)
        except CaptionerError as exc:
            self.report(Problem(self.tr("The live feed is off: {exc}").format(exc=exc), "error"))
            return
        self.server = server
        self._bridge = PipelineFeed(server, self.controller.pipeline, parent=self)
        self._run(self._start(server, old))

    async def _start(self, server: TranscriptServer, old: TranscriptServer | None) -> None:
        if old is not None:
            await old.stop()  # frees the port first
        try:
            await server.start()
        except CaptionerError as exc:
            if self.server is server:
                self._drop_server()
            self.report(
                Problem(
                    QCoreApplication.translate(
                        "LiveFeed", "The live feed could not start: {exc}"
                    ).format(exc=exc),
                    "error",
                )
            )
            return
        self.report(
            Problem(
                QCoreApplication.translate(
                    "LiveFeed", "Live feed on: OBS overlay at {overlay_url}"
                ).format(overlay_url=server.overlay_url),
                "info",
            )
        )

    def _drop_server(self) -> None:
        """Forget the current server; its feed stops publishing what the workers emit."""
        if self._bridge is not None:
            self._bridge.close()
        self.server, self._bridge = None, None

    def _run(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
