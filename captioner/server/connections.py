"""Connections before they are feed clients: from the accept to the end of the handshake.

Such a connection needs no token and is not a client yet, so a peer could open any number of
them, and with them every file descriptor of the process. :class:`ConnectionGuard` counts
them (:class:`~captioner.server.limits.PendingHandshakes`), cuts the oldest when there are
too many, keeps a reserve of descriptors for the app, and writes one line per interval where
asyncio would log a traceback for every failed accept. :class:`GuardedConnection` tells it
when a connection opens and closes, and hands websockets one request per connection
(:class:`RequestHead`).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.protocol import State

from captioner.server.config import ServerConfig
from captioner.server.limits import LimitLog, PendingHandshakes

log = logging.getLogger(__name__)

_ACCEPT_FAILED = "socket.accept() out of system resource"  # asyncio's message (EMFILE, ...)


def descriptor_limit() -> int:
    """The soft limit of open files (0: none that matters, e.g. on Windows)."""
    if sys.platform == "win32":
        return 0
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return 0 if soft == resource.RLIM_INFINITY else int(soft)


class RequestHead:
    """Finds where a client's first request ends (its head: websockets' requests have no
    body), across however the bytes arrive. Pure logic."""

    _END = b"\r\n\r\n"

    def __init__(self) -> None:
        self.complete = False
        self.overrun = False  # bytes, or the end, came after the head before it was answered
        self._tail = b""  # the last bytes passed on, where an end split across reads begins

    def end(self) -> bool:
        """The client ended its side of the connection; True if that came after a complete
        request (which is still answered)."""
        self.overrun = self.overrun or self.complete
        return self.complete

    def feed(self, data: bytes) -> bytes:
        """The part of ``data`` up to the end of the head; anything after it is dropped."""
        if self.complete:
            self.overrun = self.overrun or bool(data)
            return b""
        end = (self._tail + data).find(self._END)
        if end < 0:
            self._tail = (self._tail + data)[-(len(self._END) - 1) :]
            return data
        cut = end + len(self._END) - len(self._tail)
        self.complete = True
        self.overrun = cut < len(data)
        return data[:cut]


class GuardedConnection(ServerConnection):
    """websockets' connection, telling its guard when it opens and closes.

    Until the handshake is answered it passes on only the first request: a client must wait
    for that answer before it sends more (RFC 6455, 4.1; and this server answers one HTTP
    request per connection). websockets would otherwise read what follows as frames, fail
    the connection before answering, then trip over its own state when it answers. A client
    that ends its side right after its request (``printf ... | nc -N``) is answered too:
    the end is passed on once the answer is out.
    """

    guard: ConnectionGuard  # set by ConnectionGuard.connection_class()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head = RequestHead()
        self._end_held = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.guard.opened(self, transport)

    def data_received(self, data: bytes) -> None:
        if self.protocol.state is State.CONNECTING:
            data = self.head.feed(data)
            if not data:
                return
        super().data_received(data)

    def eof_received(self) -> bool | None:  # type: ignore[override]  # asyncio allows True
        if self._unanswered() and self.head.end():
            self._end_held = True
            return True  # the socket stays open to write the answer
        return super().eof_received()

    def send_data(self) -> None:
        super().send_data()
        if self._end_held and not self._unanswered():
            self._end_held = False
            super().eof_received()
            self.transport.close()

    def _unanswered(self) -> bool:
        return self.protocol.state is State.CONNECTING and not self.protocol.eof_sent

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.closed(self)
        super().connection_lost(exc)


class ConnectionGuard:
    """Watches every connection from its accept until its handshake is done or it closes."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.rejected = 0  # connections cut, and accepts that failed
        self._pending: PendingHandshakes[ServerConnection] = PendingHandshakes(
            config.max_pending_handshakes, config.max_pending_per_address, config.pending_grace_s
        )
        self._fd_limit = descriptor_limit()
        self._pending_log = LimitLog(log, config.limit_log_interval_s)
        self._fd_log = LimitLog(log, config.limit_log_interval_s)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous_handler: Any = None

    def connection_class(self) -> type[GuardedConnection]:
        """The connection class for websockets' ``serve``, reporting to this guard."""
        return type("GuardedConnection", (GuardedConnection,), {"guard": self})

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """asyncio logs a traceback for every failed accept (out of descriptors): once per
        interval is enough, and says what it means."""
        self._loop = loop
        self._previous_handler = loop.get_exception_handler()
        loop.set_exception_handler(self._loop_exception)

    def uninstall(self) -> None:
        loop = self._loop
        if loop is not None and loop.get_exception_handler() == self._loop_exception:
            loop.set_exception_handler(self._previous_handler)

    def opened(self, connection: ServerConnection, transport: asyncio.BaseTransport) -> None:
        """A new TCP connection (from asyncio's connection_made)."""
        now = time.monotonic()
        sock = transport.get_extra_info("socket")
        fileno = sock.fileno() if sock is not None else -1
        peername = transport.get_extra_info("peername")
        address = str(peername[0]) if peername else ""
        capped = self._pending.add(connection, address, now)
        cut = list(capped)
        # Descriptors are handed out lowest first: a high number means few are left. Keep a
        # reserve for the app (transcripts, models): cut the oldest idle handshake, or else
        # this connection.
        if self._fd_limit and fileno >= self._fd_limit - self.config.fd_reserve:
            oldest = self._pending.oldest(now)
            if oldest is None or oldest is connection:
                oldest = connection
            cut.append(oldest)
            self._pending.remove(oldest)
            self._fd_log.warning(
                now,
                "caption server: few file descriptors left (%d of %d in use); cutting "
                "connections that have not finished their handshake",
                fileno,
                self._fd_limit,
            )
        for old in cut:
            self.rejected += 1
            old.transport.abort()
        if capped:
            self._pending_log.warning(
                now,
                "caption server: too many connections that do not finish their handshake "
                "(last from %s); cutting the oldest",
                address,
            )

    def handshake_done(self, connection: ServerConnection) -> None:
        self._pending.remove(connection)

    def closed(self, connection: ServerConnection) -> None:
        self._pending.remove(connection)

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == _ACCEPT_FAILED:
            self.rejected += 1
            self._fd_log.warning(
                time.monotonic(),
                "caption server: out of file descriptors, new connections wait (%s)",
                context.get("exception"),
            )
            return
        if self._previous_handler is not None:
            self._previous_handler(loop, context)
        else:
            loop.default_exception_handler(context)
