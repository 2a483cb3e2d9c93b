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
import os
import socket
import sys
import time
from collections.abc import Iterable
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.protocol import State

from captioner.server.config import ServerConfig
from captioner.server.limits import DescriptorBudget, LimitLog, PendingHandshakes

log = logging.getLogger(__name__)

_ACCEPT_FAILED = "socket.accept() out of system resource"  # asyncio's message (EMFILE, ...)
ACCEPT_BATCH = 16  # connections asyncio accepts per turn of its loop (its default: 100)
LISTEN_QUEUE = 4096  # connections the kernel holds until they are accepted (capped by it)


def peer(connection: ServerConnection) -> str:
    """A connection's remote address ("" if unknown)."""
    address = connection.remote_address
    return str(address[0]) if address else ""


def descriptors_open() -> int:
    """How many file descriptors the process has open (0 where it cannot tell)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(folder)) - 1  # less the one listing the folder
        except OSError:
            continue
    return 0


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
    """Watches every connection from its accept until its handshake is done or it closes,
    and keeps the process within its file descriptors.

    What it promises under a flood of connections that never speak (docs/protocol.md): the
    server never runs the process out of descriptors itself, a connection the kernel holds
    for it is not dropped because its loop was busy for a moment, and a client that sends
    its handshake as it connects is not the one cut while older silent ones are there.
    """

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.rejected = 0  # connections cut, and accepts that failed
        self._pending: PendingHandshakes[ServerConnection] = PendingHandshakes(
            config.max_pending_handshakes, config.max_pending_per_address, config.pending_grace_s
        )
        self._open = 0  # connections from connection_made to connection_lost
        # asyncio accepts up to a batch per turn of its loop and tells the connection two
        # turns later; room for four batches covers what is accepted before it is counted.
        self._budget = DescriptorBudget(
            descriptor_limit(), config.fd_reserve, 4 * ACCEPT_BATCH, base=0
        )
        self._pending_log = LimitLog(log, config.limit_log_interval_s)
        self._fd_log = LimitLog(log, config.limit_log_interval_s)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous_handler: Any = None

    def connection_class(self) -> type[GuardedConnection]:
        """The connection class for websockets' ``serve``, reporting to this guard."""
        return type("GuardedConnection", (GuardedConnection,), {"guard": self})

    def serve_options(self) -> dict[str, Any]:
        """For ``serve``: accept in short batches where descriptors are limited."""
        return {"backlog": ACCEPT_BATCH} if self._budget.limit else {}

    def start(self, loop: asyncio.AbstractEventLoop, sockets: Iterable[socket.socket]) -> None:
        """The server listens on ``sockets``: count what is open besides its connections,
        lengthen the kernel's queue of connections, and take over asyncio's log line for
        failed accepts (a traceback each: once per interval is enough, saying what it
        means)."""
        self._budget.base = descriptors_open()
        if self._budget.limit:
            # asyncio makes the queue as long as its accept batch, so a loop busy for a
            # moment (another program, a garbage collection) would have the kernel drop new
            # connections, which retry only after 1 s, then 3 s. A long queue costs the
            # process nothing; the batch stays short, within the descriptors' reserve.
            for sock in sockets:
                with sock.dup() as listening:
                    listening.listen(LISTEN_QUEUE)
        self._loop = loop
        self._previous_handler = loop.get_exception_handler()
        loop.set_exception_handler(self._loop_exception)

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and loop.get_exception_handler() == self._loop_exception:
            loop.set_exception_handler(self._previous_handler)

    def opened(self, connection: ServerConnection, transport: asyncio.BaseTransport) -> None:
        """A new TCP connection (from asyncio's connection_made)."""
        now = time.monotonic()
        self._open += 1
        sock = transport.get_extra_info("socket")
        fileno = sock.fileno() if sock is not None else -1
        address = peer(connection)
        capped = self._pending.add(connection, address, now)
        cut = list(capped)
        if self._budget.short(self._open, fileno):
            # The hard limit: cut the oldest connection still in its handshake, however
            # young. A real client finishes its handshake in milliseconds, so under a flood
            # the oldest is one that never spoke; alone, this one is cut.
            oldest = self._pending.first() or connection
            cut.append(oldest)
            self._pending.remove(oldest)
            self._fd_log.warning(
                now,
                "caption server: few file descriptors left (about %d of %d in use); cutting "
                "connections that have not finished their handshake",
                self._budget.in_use(self._open, fileno),
                self._budget.limit,
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
        self._open -= 1
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
