"""Connections before they are feed clients: from the accept to the end of the handshake.

Such a connection needs no token and is not a client yet, so a peer could open any number of
them, and with them every file descriptor of the process. :class:`ConnectionGuard` counts
them (:class:`~captioner.server.limits.PendingHandshakes`), cuts the oldest when there are
too many, keeps a reserve of descriptors for the app, and writes one line per interval where
asyncio would log a traceback for every failed accept.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from typing import Any

from websockets.asyncio.server import ServerConnection

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

    def connection_class(self) -> type[ServerConnection]:
        """websockets' connection class, telling this guard when a connection opens and
        closes."""
        guard = self

        class GuardedConnection(ServerConnection):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                super().connection_made(transport)
                guard.opened(self, transport)

            def connection_lost(self, exc: Exception | None) -> None:
                guard.closed(self)
                super().connection_lost(exc)

        return GuardedConnection

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
