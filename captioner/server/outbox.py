"""One client's queue of outgoing messages: coalescing, order, and when to give up on it.

Pure logic (no I/O): the server puts every broadcast into each client's outbox and a sender
task per client empties it, so a slow client only ever delays itself.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

# A newer partial replaces waiting ones, but never jumps these (what a client sees stays in
# order: a partial written before a final is shown before it).
_ORDER_BARRIERS = frozenset({"hello", "final", "clear"})
_COALESCED = frozenset({"partial", "state"})  # only the newest one matters


@dataclass(frozen=True)
class Outgoing:
    kind: str  # the message type
    data: bytes  # encoded once, shared by every client's outbox
    queued_at: float  # time.monotonic() when it was published
    source: str | None = None  # two sources: a partial replaces only its own side's partials


class Outbox:
    def __init__(self, max_messages: int, max_delay_s: float) -> None:
        self.max_messages = max_messages
        self.max_delay_s = max_delay_s
        self._queue: deque[Outgoing] = deque()

    def __len__(self) -> int:
        return len(self._queue)

    def push(self, item: Outgoing) -> bool:
        """Queue ``item``; False when the client is too far behind to keep: more than
        ``max_messages`` waiting, or the oldest waiting more than ``max_delay_s``."""
        queue = self._queue
        if item.kind in _COALESCED:
            for i in range(len(queue) - 1, -1, -1):
                kind = queue[i].kind
                if kind == item.kind and queue[i].source == item.source:
                    del queue[i]
                elif item.kind == "partial" and kind in _ORDER_BARRIERS:
                    break
        queue.append(item)
        return len(queue) <= self.max_messages and (
            item.queued_at - queue[0].queued_at <= self.max_delay_s
        )

    def oldest_queued_at(self) -> float | None:
        return self._queue[0].queued_at if self._queue else None

    def pop(self) -> Outgoing:
        return self._queue.popleft()

    def clear(self) -> None:
        self._queue.clear()

    def kinds(self) -> list[str]:
        return [item.kind for item in self._queue]
