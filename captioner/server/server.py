"""The transcript server: WebSocket feed and HTTP pages (overlay, health, stats) on one port.

It runs on whatever asyncio loop is current when :meth:`TranscriptServer.start` is awaited; in
the app and in headless mode that is qasync's loop on the Qt main thread, so the ``publish_*``
methods are called straight from Qt slots.

This module starts and stops the server and wires its parts together: what to tell clients
(:mod:`.feed`, pure), who may connect and control (:mod:`.access`, pure), the HTTP answers
(:mod:`.pages`), delivery to clients and the dropping of slow ones (:mod:`.delivery`),
connections still in their handshake and the process's descriptors (:mod:`.connections`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from typing import Any, Literal, Protocol

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from captioner import __version__
from captioner.errors import CaptionerError
from captioner.server import pages
from captioner.server.access import OVERLAY_PATH, WS_PATH, Access, Allow, RequestFacts
from captioner.server.config import ServerConfig, bind_error
from captioner.server.connections import ConnectionGuard, GuardedConnection, peer
from captioner.server.delivery import CLOSE_TOO_SLOW, Client, Delivery
from captioner.server.feed import Feed
from captioner.server.protocol import (
    AckMessage,
    ControlMessage,
    ErrorMessage,
    HelloMessage,
    PipelineState,
    PongMessage,
    ProtocolError,
    ServerMessage,
    decode_client,
)
from captioner.transcript.events import TranscriptEvent

__all__ = ["CLOSE_TOO_SLOW", "TranscriptController", "TranscriptServer"]

log = logging.getLogger(__name__)

CLOSE_TRY_AGAIN = 1013  # too many clients


class TranscriptController(Protocol):
    """What clients' ``control`` messages act on: what the app's hotkeys and tray do (the
    app's CaptionController has these four methods)."""

    def start_listening(self) -> None: ...

    def stop_listening(self) -> None: ...

    def toggle_listening(self) -> None: ...

    def reset(self) -> None: ...


class TranscriptServer:
    """Serves the live transcript to WebSocket clients and the OBS overlay page.

    Call ``await start()`` on the loop that will run it, then the ``publish_*`` methods from
    that loop's thread (calls from other threads are handed over to it), then ``await stop()``.
    """

    def __init__(
        self,
        config: ServerConfig | None = None,
        controller: TranscriptController | None = None,
        state: PipelineState | None = None,
        version: str = __version__,
    ) -> None:
        self.config = (config or ServerConfig()).validate()
        self.controller = controller
        self.version = version
        self.session = uuid.uuid4().hex
        self._feed = Feed(
            state or PipelineState(), self.config.history, self.config.state_interval_s
        )
        self._rejected = 0  # refused by the access rules
        self._access = Access(self.config)
        self._delivery = Delivery(self.config)
        self._guard = ConnectionGuard(self.config)
        # Connections whose handshake presented the token, until they become clients.
        self._authorized: weakref.WeakSet[ServerConnection] = weakref.WeakSet()
        self._server: Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._started_at = time.monotonic()
        self._overlay_html = b""

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on the configured address; raises CaptionerError if that is impossible."""
        config = self.config
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._overlay_html = pages.overlay_page()
        keepalive = config.idle_timeout_s / 2  # a ping every half timeout, answered within it
        try:
            self._server = await serve(
                self._serve_client,
                config.host,
                config.port,
                process_request=self._process_request,
                compression=None,  # tiny messages to many clients: deflate costs more than it saves
                max_size=config.max_message_bytes,
                open_timeout=config.handshake_timeout_s,
                ping_interval=keepalive,
                ping_timeout=keepalive,
                close_timeout=config.close_timeout_s,
                server_header=f"Captioner/{self.version}",
                create_connection=self._guard.connection_class(),
                **self._guard.serve_options(),
            )
        except OSError as exc:
            raise CaptionerError(bind_error(config, exc)) from exc
        self._started_at = time.monotonic()
        self._delivery.start()
        self._guard.start(self._loop, self._server.sockets)
        log.info("serving captions on %s", self.ws_url)

    async def stop(self, flush_timeout_s: float = 2.0) -> None:
        """Give clients a moment to receive what is queued, then close them (1001) and stop."""
        if self._server is None:
            return
        await self._delivery.wind_down(flush_timeout_s)
        self._server.close()
        await self._server.wait_closed()
        self._delivery.cancel()
        self._server = None
        self._guard.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        """The port actually listened on (useful with port 0)."""
        if self._server is None:
            return self.config.port
        return int(next(iter(self._server.sockets)).getsockname()[1])

    @property
    def base_url(self) -> str:
        host = self.config.host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"  # reachable from here; other machines use this machine's address
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return "ws" + self.base_url[len("http") :] + WS_PATH

    @property
    def overlay_url(self) -> str:
        return self.base_url + OVERLAY_PATH

    @property
    def client_count(self) -> int:
        return len(self._delivery.clients)

    # -- publishing (call from the loop's thread; other threads are handed over) -------------

    def publish_partial(self, event: TranscriptEvent) -> None:
        """The whole current unconfirmed text (empty text clears it)."""
        if not self._handed_over(self.publish_partial, event):
            self._broadcast(self._feed.partial(event))

    def publish_final(self, event: TranscriptEvent) -> None:
        """Newly confirmed text: gets the next segment id and is never re-sent changed."""
        if not self._handed_over(self.publish_final, event):
            self._broadcast(self._feed.final(event, time.time()))

    def publish_translation(self, event: TranscriptEvent) -> None:
        """A final in another language, after that final (``event.final`` says which)."""
        if not self._handed_over(self.publish_translation, event):
            self._broadcast(self._feed.translation(event))

    def publish_state(self, state: PipelineState) -> None:
        """Sent as :class:`~captioner.asr.session.StatusReport` says: at once when what it
        shows changes, lag moves at most every ``state_interval_s``; so this may be called
        for every status tick."""
        if not self._handed_over(self.publish_state, state):
            self._broadcast(self._feed.pipeline(state, time.monotonic()))

    def publish_clear(self) -> None:
        """The transcript was reset: clients drop what they show; ``hello`` replays nothing."""
        if not self._handed_over(self.publish_clear):
            self._broadcast(self._feed.clear())

    def publish_error(self, message: str) -> None:
        """A problem of the pipeline (e.g. the microphone was unplugged), for every client."""
        if not self._handed_over(self.publish_error, message):
            self._broadcast(ErrorMessage("pipeline", message))

    @property
    def state(self) -> PipelineState:
        return self._feed.state

    def stats(self) -> dict[str, Any]:
        delivery, feed = self._delivery, self._feed
        return {
            "clients": len(delivery.clients),
            "uptime_s": round(time.monotonic() - self._started_at, 1),
            "session": self.session,
            "state": feed.state.state,
            "segments": feed.finals,
            "partials": feed.partials,
            "lag_s": round(feed.state.lag_s, 3),
            "max_lag_s": round(feed.max_lag_s, 3),
            "dropped_audio_s": round(feed.state.dropped_s, 3),
            "dropped_clients": delivery.dropped_clients,
            "rejected_connections": self._rejected + self._guard.rejected,
            "messages_sent": delivery.messages_sent,
        }

    def _broadcast(self, message: ServerMessage | None) -> None:
        if message is not None:
            self._delivery.broadcast(message)

    def _handed_over(self, method: Callable[..., None], *args: object) -> bool:
        loop = self._loop
        if loop is None or threading.get_ident() == self._loop_thread or loop.is_closed():
            return False
        loop.call_soon_threadsafe(method, *args)
        return True

    # -- clients ----------------------------------------------------------------------------

    def _hello(self) -> HelloMessage:
        control: Literal["open", "token"] = "token" if self.config.token else "open"
        return self._feed.hello(self.version, self.session, control, time.time())

    async def _serve_client(self, connection: ServerConnection) -> None:
        self._guard.handshake_done(connection)
        authorized = connection in self._authorized
        self._authorized.discard(connection)
        if self.client_count >= self.config.max_clients:  # several got past the handshake check
            await connection.close(CLOSE_TRY_AGAIN, "too many clients")
            return
        client = self._delivery.join(connection, authorized, self._hello())
        try:
            async for raw in connection:
                # A dropped client is being closed: read on (so its close frame can arrive)
                # but answer nothing, or every message would drop it again.
                if not client.dropped:
                    self._receive(client, raw)
        except ConnectionClosed:
            pass
        finally:
            self._delivery.leave(client)

    def _receive(self, client: Client, raw: str | bytes) -> None:
        reply = self._delivery.reply
        if isinstance(raw, bytes):
            reply(client, ErrorMessage("bad_message", "Send text frames (JSON), not binary."))
            return
        try:
            message = decode_client(raw)
        except ProtocolError as exc:
            reply(client, ErrorMessage(exc.code, exc.message, exc.request_id))
            return
        if isinstance(message, ControlMessage):
            reply(client, self._control(client, message))
        else:
            reply(client, PongMessage(time.time(), message.id))

    def _control(self, client: Client, message: ControlMessage) -> AckMessage | ErrorMessage:
        refused = self._access.control(client.peer, client.authorized, message, time.monotonic())
        if refused is not None:
            return refused
        controller = self.controller
        if controller is None:
            return ErrorMessage("unavailable", "Nothing to control here.", message.id)
        try:
            if message.action == "start":
                controller.start_listening()
            elif message.action == "stop":
                controller.stop_listening()
            elif message.action == "toggle":
                controller.toggle_listening()
            else:
                controller.reset()
                self.publish_clear()
        except Exception as exc:
            log.exception("control %s failed", message.action)
            return ErrorMessage("unavailable", f"{message.action} failed: {exc}", message.id)
        return AckMessage(message.action, message.id)

    # -- HTTP requests and handshakes -------------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Route plain HTTP requests and vet WebSocket handshakes, before the upgrade."""
        facts = RequestFacts(
            method=request.method,
            target=request.path,
            headers=tuple(request.headers.raw_items()),
            peer=peer(connection),
            clients=self.client_count,
            overrun=isinstance(connection, GuardedConnection) and connection.head.overrun,
        )
        decision = self._access.decide(facts, time.monotonic())
        if not isinstance(decision, Allow):
            if decision.counted:
                self._rejected += 1
            answer = pages.refusal(decision)
        elif decision.route == "ws":
            if decision.authorized:
                self._authorized.add(connection)
            return None  # websockets answers the upgrade
        elif decision.route == "overlay":
            answer = pages.overlay(self._overlay_html)
        elif decision.route == "stats":
            answer = pages.json_page(self.stats())
        elif decision.route == "health":
            answer = pages.json_page({"status": "ok", "protocol": 1})
        else:
            answer = pages.index()
        return pages.head_only(answer) if request.method == "HEAD" else answer
