"""Delivery to feed clients: publishing never waits for one, and one that cannot keep up is
dropped (close code 4001) instead of slowing anyone else down.

Each message is encoded once and queued in every client's :class:`Outbox`; each client has
its own sender task. Handed to the socket is not read (the kernel's buffers hold megabytes),
so after sending, the client is pinged: a message counts as read once a ping sent after it is
answered (a client answers in order). A client whose oldest unread message has waited
``client_max_delay_s``, or with ``client_queue`` messages waiting, is dropped once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from captioner.server.config import ServerConfig
from captioner.server.connections import peer
from captioner.server.limits import LimitLog
from captioner.server.outbox import Outbox, Outgoing
from captioner.server.protocol import PartialMessage, ServerMessage, encode, message_type

log = logging.getLogger(__name__)

CLOSE_TOO_SLOW = 4001  # the client did not read its messages fast enough


@dataclass(eq=False)
class Client:
    connection: ServerConnection
    authorized: bool  # presented the token when connecting
    outbox: Outbox
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    sender: asyncio.Task[None] | None = None
    dropped: bool = False  # its messages are ignored from then on; it is closed once
    unconfirmed_since: float | None = None  # queued_at of the oldest message not known read
    sent_since_probe: float | None = None  # ... of the oldest sent after the ping in flight
    probe: asyncio.Future[float] | None = None  # that ping's pong

    @property
    def peer(self) -> str:
        return peer(self.connection)

    def waiting_since(self) -> float | None:
        times = [
            t for t in (self.outbox.oldest_queued_at(), self.unconfirmed_since) if t is not None
        ]
        return min(times) if times else None


class Delivery:
    """The connected clients, their queues and sender tasks."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.clients: set[Client] = set()
        self.messages_sent = 0
        self.dropped_clients = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._watchdog: asyncio.Task[None] | None = None
        # Like the other limits: one line per interval, however many clients get stuck.
        self._drop_log = LimitLog(log, config.limit_log_interval_s)

    def start(self) -> None:
        self._watchdog = asyncio.ensure_future(self._watch())

    async def wind_down(self, timeout_s: float) -> None:
        """Give clients up to ``timeout_s`` to receive what is queued; stop dropping any."""
        deadline = time.monotonic() + timeout_s
        while any(c.outbox for c in self.clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self._watchdog is not None:
            self._watchdog.cancel()

    def cancel(self) -> None:
        """Stop what is still running (closing dropped clients): the server has stopped."""
        for task in list(self._tasks):
            task.cancel()

    def join(self, connection: ServerConnection, authorized: bool, hello: ServerMessage) -> Client:
        client = Client(
            connection,
            authorized,
            Outbox(self.config.client_queue, self.config.client_max_delay_s),
        )
        self.clients.add(client)
        # Hello first, in the same step as joining, so no broadcast can come before it.
        self.reply(client, hello)
        client.sender = asyncio.ensure_future(self._send_loop(client))
        return client

    def leave(self, client: Client) -> None:
        self.clients.discard(client)
        if client.sender is not None:
            client.sender.cancel()

    def broadcast(self, message: ServerMessage) -> None:
        if not self.clients:
            return
        source = message.source if isinstance(message, PartialMessage) else None
        item = Outgoing(message_type(message), encode(message), time.monotonic(), source)
        for client in list(self.clients):
            self._send(client, item)

    def reply(self, client: Client, message: ServerMessage) -> None:
        self._send(client, Outgoing(message_type(message), encode(message), time.monotonic()))

    def _send(self, client: Client, item: Outgoing) -> None:
        if client.dropped:
            return
        keep = client.outbox.push(item)
        client.wake.set()
        if not keep:
            self._drop(client)

    def _drop(self, client: Client) -> None:
        if client.dropped:
            return
        client.dropped = True
        self.clients.discard(client)
        client.outbox.clear()
        if client.sender is not None:
            client.sender.cancel()
        self.dropped_clients += 1
        self._drop_log.warning(
            time.monotonic(), "dropped caption client %s: it did not keep up", client.peer
        )
        self._spawn(self._close_slow(client.connection))

    async def _close_slow(self, connection: ServerConnection) -> None:
        reason = "too slow: messages were waiting too long"
        with contextlib.suppress(asyncio.TimeoutError, ConnectionClosed):
            await asyncio.wait_for(
                connection.close(CLOSE_TOO_SLOW, reason), self.config.close_timeout_s
            )
        # A client that reads nothing never lets the close frame out: cut the socket.
        connection.transport.abort()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_loop(self, client: Client) -> None:
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
                    self.messages_sent += 1
                if client.probe is None and client.unconfirmed_since is not None:
                    probe = asyncio.ensure_future(await connection.ping())
                    client.probe = probe
                    probe.add_done_callback(lambda done: self._confirmed(client, done))

    def _confirmed(self, client: Client, probe: asyncio.Future[float]) -> None:
        """A pong: what was sent before its ping has been read."""
        client.probe = None
        if probe.cancelled() or probe.exception() is not None:  # the connection closed
            return
        client.unconfirmed_since, client.sent_since_probe = client.sent_since_probe, None
        if client.unconfirmed_since is not None:
            client.wake.set()  # ping again for what was sent meanwhile

    async def _watch(self) -> None:
        """Drop clients whose oldest unread message waited too long, even when nothing new
        is published (the outbox's own check runs only when a message is queued)."""
        max_delay = self.config.client_max_delay_s
        while True:
            await asyncio.sleep(min(1.0, max_delay / 4))
            now = time.monotonic()
            for client in list(self.clients):
                since = client.waiting_since()
                if since is not None and now - since > max_delay:
                    self._drop(client)
