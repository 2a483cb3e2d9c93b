"""The transcript server: WebSocket feed and HTTP pages (overlay, health, stats) on one port.

It runs on whatever asyncio loop is current when :meth:`TranscriptServer.start` is awaited; in
the app and in headless mode that is qasync's loop on the Qt main thread, so the ``publish_*``
methods are called straight from Qt slots. Publishing never waits for a client: each message
is encoded once and queued per client, and each client has its own sender task. A client that
cannot keep up is dropped (close code 4001) instead of slowing anyone else down.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import email.utils
import errno
import json
import logging
import math
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib import resources
from typing import Any, Protocol
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from captioner import __version__
from captioner.errors import CaptionerError
from captioner.server.config import ServerConfig
from captioner.server.limits import AuthThrottle, Every, PendingHandshakes
from captioner.server.outbox import Outbox, Outgoing
from captioner.server.protocol import (
    AckMessage,
    ClearMessage,
    ClientMessage,
    ControlMessage,
    ErrorMessage,
    FinalMessage,
    HelloMessage,
    PartialMessage,
    PipelineState,
    PongMessage,
    ProtocolError,
    ServerMessage,
    StateMessage,
    decode_client,
    encode,
    message_type,
)
from captioner.server.security import (
    host_is_safe,
    origin_allowed,
    peer_is_loopback,
    token_matches,
    token_presented,
)
from captioner.transcript.events import TranscriptEvent

log = logging.getLogger(__name__)

WS_PATH = "/ws"
OVERLAY_PATH = "/overlay"
CLOSE_TOO_SLOW = 4001  # the client did not read its messages fast enough
CLOSE_TRY_AGAIN = 1013  # too many clients
_ACCEPT_FAILED = "socket.accept() out of system resource"  # asyncio's message (EMFILE, ...)
_LAG_STEP_S = 0.25  # lag changes smaller than this are not worth a ``state`` message


class TranscriptController(Protocol):
    """What clients' ``control`` messages act on: what the app's hotkeys and tray do (the
    app's CaptionController has these four methods)."""

    def start_listening(self) -> None: ...

    def stop_listening(self) -> None: ...

    def toggle_listening(self) -> None: ...

    def reset(self) -> None: ...


@dataclass(eq=False)
class _Client:
    connection: ServerConnection
    authorized: bool  # presented the token when connecting
    outbox: Outbox
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    sender: asyncio.Task[None] | None = None
    dropped: bool = False  # its messages are ignored from then on; it is closed once
    # Handed to the socket is not read: the kernel's buffers hold megabytes. A message counts
    # as read once a ping sent after it is answered (a client answers in order).
    unconfirmed_since: float | None = None  # queued_at of the oldest message not known read
    sent_since_probe: float | None = None  # ... of the oldest sent after the ping in flight
    probe: asyncio.Future[float] | None = None  # that ping's pong

    def waiting_since(self) -> float | None:
        times = [
            t for t in (self.outbox.oldest_queued_at(), self.unconfirmed_since) if t is not None
        ]
        return min(times) if times else None


@dataclass
class _Counters:
    finals: int = 0
    partials: int = 0
    messages_sent: int = 0
    dropped_clients: int = 0
    rejected_connections: int = 0
    max_lag_s: float = 0.0


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
        self._state = state or PipelineState()
        self._sent_state = self._state
        self._state_sent_at = 0.0
        self._history: deque[FinalMessage] = deque(maxlen=self.config.history)
        self._partial: PartialMessage | None = None
        self._next_id = 1
        self._seq = 0
        self._clients: set[_Client] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._counters = _Counters()
        self._server: Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._started_at = time.monotonic()
        self._overlay_html = b""
        self._pending: PendingHandshakes[ServerConnection] = PendingHandshakes(
            self.config.max_pending_handshakes,
            self.config.max_pending_per_address,
            self.config.pending_grace_s,
        )
        self._auth = AuthThrottle(self.config.auth_burst, self.config.auth_refill_s)
        self._limit_log = Every(self.config.limit_log_interval_s)
        self._fd_log = Every(self.config.limit_log_interval_s)
        self._fd_limit = _descriptor_limit()
        self._watchdog: asyncio.Task[None] | None = None
        self._previous_handler: Any = None

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on the configured address; raises CaptionerError if that is impossible."""
        config = self.config
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._overlay_html = resources.files(__package__).joinpath("overlay.html").read_bytes()
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
                create_connection=_counted_connection(self),
            )
        except OSError as exc:
            raise CaptionerError(_bind_error(config, exc)) from exc
        self._started_at = time.monotonic()
        self._watchdog = asyncio.ensure_future(self._watch_clients())
        # asyncio logs a traceback for every failed accept (out of descriptors): once per
        # interval is enough, and says what it means.
        self._previous_handler = self._loop.get_exception_handler()
        self._loop.set_exception_handler(self._loop_exception)
        log.info("serving captions on %s", self.ws_url)

    async def stop(self, flush_timeout_s: float = 2.0) -> None:
        """Give clients a moment to receive what is queued, then close them (1001) and stop."""
        if self._server is None:
            return
        deadline = time.monotonic() + flush_timeout_s
        while any(c.outbox for c in self._clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._server.close()
        await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
        self._server = None
        if self._loop is not None and self._loop.get_exception_handler() == self._loop_exception:
            self._loop.set_exception_handler(self._previous_handler)

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
        return len(self._clients)

    # -- publishing (call from the loop's thread; other threads are handed over) -------------

    def publish_partial(self, event: TranscriptEvent) -> None:
        """The whole current unconfirmed text (empty text clears it)."""
        if self._handed_over(self.publish_partial, event):
            return
        if (
            self._partial is not None
            and self._partial.text == event.text
            and self._partial.source == event.source
        ):
            return
        self._seq += 1
        self._partial = PartialMessage(
            self._seq,
            event.text,
            round(float(event.start), 3),
            round(float(event.end), 3),
            event.source,
        )
        self._counters.partials += 1
        self._broadcast(self._partial)

    def publish_final(self, event: TranscriptEvent) -> None:
        """Newly confirmed text: gets the next segment id and is never re-sent changed."""
        if self._handed_over(self.publish_final, event):
            return
        if not event.text:
            return
        final = FinalMessage(
            self._next_id,
            event.text,
            round(float(event.start), 3),
            round(float(event.end), 3),
            time.time(),
            event.source,
        )
        self._next_id += 1
        self._history.append(final)
        self._counters.finals += 1
        self._broadcast(final)

    def publish_state(self, state: PipelineState) -> None:
        """Sent at once when state/engine/model/language change; lag changes at most every
        ``state_interval_s``, so this may be called for every status tick."""
        if self._handed_over(self.publish_state, state):
            return
        self._state = state
        self._counters.max_lag_s = max(self._counters.max_lag_s, state.lag_s)
        sent = self._sent_state
        changed = (state.state, state.engine, state.model, state.language) != (
            sent.state,
            sent.engine,
            sent.model,
            sent.language,
        )
        moved = abs(state.lag_s - sent.lag_s) >= _LAG_STEP_S or state.dropped_s != sent.dropped_s
        now = time.monotonic()
        if changed or (moved and now - self._state_sent_at >= self.config.state_interval_s):
            self._sent_state, self._state_sent_at = state, now
            self._broadcast(StateMessage(state))

    def publish_clear(self) -> None:
        """The transcript was reset: clients drop what they show; ``hello`` replays nothing."""
        if self._handed_over(self.publish_clear):
            return
        self._history.clear()
        self._partial = None
        self._broadcast(ClearMessage())

    def publish_error(self, message: str) -> None:
        """A problem of the pipeline (e.g. the microphone was unplugged), for every client."""
        if self._handed_over(self.publish_error, message):
            return
        self._broadcast(ErrorMessage("pipeline", message))

    @property
    def state(self) -> PipelineState:
        return self._state

    def stats(self) -> dict[str, Any]:
        c = self._counters
        return {
            "clients": len(self._clients),
            "uptime_s": round(time.monotonic() - self._started_at, 1),
            "session": self.session,
            "state": self._state.state,
            "segments": c.finals,
            "partials": c.partials,
            "lag_s": round(self._state.lag_s, 3),
            "max_lag_s": round(c.max_lag_s, 3),
            "dropped_audio_s": round(self._state.dropped_s, 3),
            "dropped_clients": c.dropped_clients,
            "rejected_connections": c.rejected_connections,
            "messages_sent": c.messages_sent,
        }

    # -- internals: delivery --------------------------------------------------------------

    def _handed_over(self, method: Callable[..., None], *args: object) -> bool:
        loop = self._loop
        if loop is None or threading.get_ident() == self._loop_thread or loop.is_closed():
            return False
        loop.call_soon_threadsafe(method, *args)
        return True

    def _broadcast(self, message: ServerMessage) -> None:
        if not self._clients:
            return
        source = message.source if isinstance(message, PartialMessage) else None
        item = Outgoing(message_type(message), encode(message), time.monotonic(), source)
        for client in list(self._clients):
            self._send(client, item)

    def _send(self, client: _Client, item: Outgoing) -> None:
        if client.dropped:
            return
        keep = client.outbox.push(item)
        client.wake.set()
        if not keep:
            self._drop(client)

    def _reply(self, client: _Client, message: ServerMessage) -> None:
        self._send(client, Outgoing(message_type(message), encode(message), time.monotonic()))

    def _drop(self, client: _Client) -> None:
        if client.dropped:
            return
        client.dropped = True
        self._clients.discard(client)
        client.outbox.clear()
        if client.sender is not None:
            client.sender.cancel()
        self._counters.dropped_clients += 1
        peer = _peer(client.connection)
        log.warning("dropped caption client %s: it did not keep up", peer)
        self._spawn(self._close_slow(client.connection))

    async def _close_slow(self, connection: ServerConnection) -> None:
        reason = "too slow: messages were waiting too long"
        with contextlib.suppress(asyncio.TimeoutError, ConnectionClosed):
            await asyncio.wait_for(
                connection.close(CLOSE_TOO_SLOW, reason), self.config.close_timeout_s
            )
        # A client that reads nothing never lets the close frame out: cut the socket.
        connection.transport.abort()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_loop(self, client: _Client) -> None:
        connection = client.connection
        with contextlib.suppress(ConnectionClosed):
            while True:
                await client.wake.wait()
                client.wake.clear()
                while client.outbox:
                    item = client.outbox.pop()
                    # Counted as waiting from here: a send that blocks has not been read.
                    if client.probe is None:
                        client.unconfirmed_since = client.unconfirmed_since or item.queued_at
                    else:
                        client.sent_since_probe = client.sent_since_probe or item.queued_at
                    # Returns at once unless the socket's buffer is full (a slow client).
                    await connection.send(item.data, text=True)
                    self._counters.messages_sent += 1
                if client.probe is None and client.unconfirmed_since is not None:
                    probe = asyncio.ensure_future(await connection.ping())
                    client.probe = probe
                    probe.add_done_callback(lambda done: self._confirmed(client, done))

    def _confirmed(self, client: _Client, probe: asyncio.Future[float]) -> None:
        """A pong: what was sent before its ping has been read."""
        client.probe = None
        if probe.cancelled() or probe.exception() is not None:  # the connection closed
            return
        client.unconfirmed_since, client.sent_since_probe = client.sent_since_probe, None
        if client.unconfirmed_since is not None:
            client.wake.set()  # ping again for what was sent meanwhile

    async def _watch_clients(self) -> None:
        """Drop clients whose oldest unread message waited too long, even when nothing new
        is published (the outbox's own check runs only when a message is queued)."""
        max_delay = self.config.client_max_delay_s
        while True:
            await asyncio.sleep(min(1.0, max_delay / 4))
            now = time.monotonic()
            for client in list(self._clients):
                since = client.waiting_since()
                if since is not None and now - since > max_delay:
                    self._drop(client)

    # -- internals: connections -----------------------------------------------------------

    def _hello(self) -> HelloMessage:
        return HelloMessage(
            version=self.version,
            session=self.session,
            state=self._state,
            segments=tuple(self._history),
            partial=self._partial if self._partial and self._partial.text else None,
            control="token" if self.config.token else "open",
            server_time=time.time(),
        )

    async def _serve_client(self, connection: ServerConnection) -> None:
        self._pending.remove(connection)
        if len(self._clients) >= self.config.max_clients:  # several got past the handshake check
            await connection.close(CLOSE_TRY_AGAIN, "too many clients")
            return
        client = _Client(
            connection,
            self._request_authorized(connection.request),
            Outbox(self.config.client_queue, self.config.client_max_delay_s),
        )
        self._clients.add(client)
        # Hello first, in the same step as joining, so no broadcast can come before it.
        self._reply(client, self._hello())
        client.sender = asyncio.ensure_future(self._send_loop(client))
        try:
            async for raw in connection:
                # A dropped client is being closed: read on (so its close frame can arrive)
                # but answer nothing, or every message would drop it again.
                if not client.dropped:
                    self._receive(client, raw)
        except ConnectionClosed:
            pass
        finally:
            self._clients.discard(client)
            client.sender.cancel()

    def _receive(self, client: _Client, raw: str | bytes) -> None:
        if isinstance(raw, bytes):
            self._reply(client, ErrorMessage("bad_message", "Send text frames (JSON), not binary."))
            return
        try:
            message: ClientMessage = decode_client(raw)
        except ProtocolError as exc:
            self._reply(client, ErrorMessage(exc.code, exc.message, exc.request_id))
            return
        if isinstance(message, ControlMessage):
            self._control(client, message)
        else:
            self._reply(client, PongMessage(time.time(), message.id))

    def _control(self, client: _Client, message: ControlMessage) -> None:
        token = self.config.token
        if token and not client.authorized:
            peer, now = _peer(client.connection), time.monotonic()
            wait_s = self._auth.wait_s(peer, now)
            if wait_s:  # not even compared: guessing costs time whatever is presented
                refused = f"Too many wrong tokens: try again in {math.ceil(wait_s)} s."
                self._reply(client, ErrorMessage("unauthorized", refused, message.id))
                return
            if not token_matches(token, message.token):
                if message.token is not None:
                    self._auth.failed(peer, now)
                self._reply(
                    client,
                    ErrorMessage("unauthorized", "Control needs the server's token.", message.id),
                )
                return
        controller = self.controller
        if controller is None:
            self._reply(client, ErrorMessage("unavailable", "Nothing to control here.", message.id))
            return
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
            failed = f"{message.action} failed: {exc}"
            self._reply(client, ErrorMessage("unavailable", failed, message.id))
            return
        self._reply(client, AckMessage(message.action, message.id))

    def _request_authorized(self, request: Request | None) -> bool:
        if request is None or not self.config.token:
            return False
        authorization = request.headers.get_all("Authorization")
        if len(authorization) > 1:
            return False
        query = urlsplit(request.path).query
        presented = token_presented(query, authorization[0] if authorization else None)
        return token_matches(self.config.token, presented)

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Route plain HTTP requests and vet WebSocket handshakes, before the upgrade."""
        response = self._route(connection, request)
        if response is not None and request.method == "HEAD":
            return dataclasses.replace(response, body=b"")  # the GET's headers, no body
        return response

    def _route(self, connection: ServerConnection, request: Request) -> Response | None:
        config = self.config
        url = urlsplit(request.path)
        try:
            host = request.headers.get("Host")
            origin = request.headers.get("Origin")
            upgrade = request.headers.get("Upgrade", "")
            authorization = request.headers.get("Authorization")
        except Exception:  # a header given twice (websockets raises MultipleValuesError)
            return self._reject(HTTPStatus.BAD_REQUEST, "Repeated header.\n")
        if request.method not in ("GET", "HEAD") or (
            request.method == "HEAD" and upgrade.lower() == "websocket"
        ):
            return self._reject(
                HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD.\n", [("Allow", "GET, HEAD")]
            )
        if url.path == "/health":
            return _http(HTTPStatus.OK, _json({"status": "ok", "protocol": 1}), "application/json")
        peer = _peer(connection)
        remote = not peer_is_loopback(peer)
        authorized = False
        if config.token:
            presented = token_presented(url.query, authorization)
            now = time.monotonic()
            # Only guesses that would be let in count: on loopback reading needs no token.
            wait_s = self._auth.wait_s(peer, now) if remote and presented is not None else 0.0
            if wait_s:
                return self._reject(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    "Too many wrong tokens from this address: try again later.\n",
                    [("Retry-After", str(math.ceil(wait_s)))],
                )
            authorized = token_matches(config.token, presented)
            if remote and presented is not None and not authorized:
                self._auth.failed(peer, now)
        if config.token and remote and not authorized:
            return self._reject(
                HTTPStatus.UNAUTHORIZED,
                "This caption server needs its token: add ?token=... to the address.\n",
            )
        if not authorized and not host_is_safe(host, config.host):
            return self._reject(
                HTTPStatus.FORBIDDEN,
                "Host not allowed: open this server by its IP address or as localhost.\n",
            )
        if upgrade.lower() == "websocket":
            if url.path != WS_PATH:
                return self._reject(HTTPStatus.NOT_FOUND, f"The WebSocket is at {WS_PATH}.\n")
            if not origin_allowed(origin, host, config.allow_origins):
                return self._reject(
                    HTTPStatus.FORBIDDEN,
                    f"Origin {origin} is not allowed to read the captions "
                    "(the user can allow it with --allow-origin).\n",
                )
            if len(self._clients) >= config.max_clients:
                return self._reject(HTTPStatus.SERVICE_UNAVAILABLE, "Too many clients.\n")
            return None
        if url.path in (OVERLAY_PATH, OVERLAY_PATH + "/"):
            return _http(
                HTTPStatus.OK,
                self._overlay_html,
                "text/html; charset=utf-8",
                [("Content-Security-Policy", _OVERLAY_CSP)],
            )
        if url.path == "/stats":
            return _http(HTTPStatus.OK, _json(self.stats()), "application/json")
        if url.path == "/":
            return _http(HTTPStatus.OK, _INDEX.encode(), "text/plain; charset=utf-8")
        return self._reject(HTTPStatus.NOT_FOUND, "Not found.\n")

    def _reject(
        self, status: HTTPStatus, text: str, extra: list[tuple[str, str]] | None = None
    ) -> Response:
        if status != HTTPStatus.NOT_FOUND:
            self._counters.rejected_connections += 1
        return _http(status, text.encode(), "text/plain; charset=utf-8", extra)

    # -- internals: connections before the handshake, descriptors -------------------------

    def _opened(self, connection: ServerConnection, transport: asyncio.BaseTransport) -> None:
        """A new TCP connection (called from asyncio's connection_made)."""
        now = time.monotonic()
        sock = transport.get_extra_info("socket")
        fileno = sock.fileno() if sock is not None else -1
        peername = transport.get_extra_info("peername")
        address = str(peername[0]) if peername else ""
        capped = self._pending.add(connection, address, now)
        evicted = list(capped)
        # Descriptors are handed out lowest first: a high number means few are left. Keep a
        # reserve for the app (transcripts, models): cut the oldest idle handshake, or else
        # this connection.
        if self._fd_limit and fileno >= self._fd_limit - self.config.fd_reserve:
            oldest = self._pending.oldest(now)
            if oldest is None or oldest is connection:
                oldest = connection
            evicted.append(oldest)
            self._pending.remove(oldest)
            if self._fd_log(now):
                log.warning(
                    "caption server: few file descriptors left (%d of %d in use); cutting "
                    "connections that have not finished their handshake (%d more since the "
                    "last message)",
                    fileno,
                    self._fd_limit,
                    self._fd_log.take_suppressed(),
                )
        for old in evicted:
            self._counters.rejected_connections += 1
            old.transport.abort()
        if capped and self._limit_log(now):
            log.warning(
                "caption server: too many connections that do not finish their handshake "
                "(last from %s); cutting the oldest (%d more since the last message)",
                address,
                self._limit_log.take_suppressed(),
            )

    def _closed(self, connection: ServerConnection) -> None:
        self._pending.remove(connection)

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == _ACCEPT_FAILED:
            self._counters.rejected_connections += 1
            if self._fd_log(time.monotonic()):
                log.warning(
                    "caption server: out of file descriptors, new connections wait (%s; %d "
                    "more since the last message)",
                    context.get("exception"),
                    self._fd_log.take_suppressed(),
                )
            return
        if self._previous_handler is not None:
            self._previous_handler(loop, context)
        else:
            loop.default_exception_handler(context)


_OVERLAY_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'"
)
_INDEX = f"""Captioner caption server (protocol v1)

WebSocket feed:  {WS_PATH}
OBS overlay:     {OVERLAY_PATH}   (font, size, color, lines, ... as query parameters)
Health:          /health
Statistics:      /stats
"""


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _http(
    status: HTTPStatus, body: bytes, content_type: str, extra: list[tuple[str, str]] | None = None
) -> Response:
    headers = Headers(
        [
            ("Date", email.utils.formatdate(usegmt=True)),
            ("Connection", "close"),
            ("Content-Length", str(len(body))),
            ("Content-Type", content_type),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            *(extra or []),
        ]
    )
    return Response(status.value, status.phrase, headers, body)


def _counted_connection(server: TranscriptServer) -> type[ServerConnection]:
    """websockets' connection class, telling ``server`` when a connection opens and closes,
    so that those still in the handshake can be counted and capped."""

    class CountedConnection(ServerConnection):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)
            server._opened(self, transport)

        def connection_lost(self, exc: Exception | None) -> None:
            server._closed(self)
            super().connection_lost(exc)

    return CountedConnection


def _descriptor_limit() -> int:
    """The soft limit of open files (0: none that matters, e.g. on Windows)."""
    if sys.platform == "win32":
        return 0
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return 0 if soft == resource.RLIM_INFINITY else int(soft)


def _peer(connection: ServerConnection) -> str:
    address = connection.remote_address
    return str(address[0]) if address else ""


def _bind_error(config: ServerConfig, exc: OSError) -> str:
    where = f"{config.host}:{config.port}"
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Cannot serve captions on {where}: the port is already in use (by another "
            "Captioner or another program). Choose another port, e.g. --serve 8766."
        )
    if exc.errno == errno.EACCES:
        return f"Cannot serve captions on {where}: not allowed to use that port."
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"Cannot serve captions on {where}: no such address on this machine."
    return f"Cannot serve captions on {where}: {exc.strerror or exc}"
