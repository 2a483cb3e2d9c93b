"""Limits that keep hostile or broken clients from exhausting the server. Pure logic, no I/O
(but for :class:`LimitLog`, which only hands a warning to a logger).

* :class:`PendingHandshakes`: connections that are open but have not finished the HTTP or
  WebSocket handshake. They need no token and do not count toward the client limit, so a
  peer could hold any number of them (and with them every file descriptor). They are capped
  per address and in total; a new connection over the cap evicts the *oldest* pending ones
  (past a grace time), because a real client finishes its handshake in milliseconds and an
  idle socket does not: the overlay page and scripts keep getting in while sockets that
  never speak are cut.
* :class:`DescriptorBudget`: whether one more connection still leaves the app its reserve of
  file descriptors (the hard limit, where pending handshakes are cut however young).
* :class:`AuthThrottle`: failed token checks per address (a token bucket), so wrong tokens
  cannot be tried at full speed.
* :class:`Every`: "at most once per interval", for log lines about an ongoing condition;
  :class:`LimitLog` writes such a line, with how many were left out since the last one.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class PendingHandshakes(Generic[K]):
    """Connections (any hashable key) still in the handshake, oldest first.

    Only connections pending for ``grace_s`` or longer are cut: many real clients opening at
    once (an OBS scene with several sources, a script starting 200 clients) all finish within
    it, and the caps are soft until then (the descriptor reserve is the hard limit).
    """

    def __init__(self, max_total: int, max_per_address: int, grace_s: float) -> None:
        self.max_total = max_total
        self.max_per_address = max_per_address
        self.grace_s = grace_s
        self._pending: OrderedDict[K, tuple[str, float]] = OrderedDict()
        self._per_address: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, key: object) -> bool:
        return key in self._pending

    def add(self, key: K, address: str, now: float) -> list[K]:
        """Count ``key`` as pending; returns the connections to cut to come back within the
        caps (the oldest of the same address first, then the oldest overall)."""
        evict: list[K] = []
        while self._per_address.get(address, 0) >= self.max_per_address:
            oldest = next(k for k, (a, _) in self._pending.items() if a == address)
            if now - self._pending[oldest][1] < self.grace_s:
                break
            evict.append(oldest)
            self.remove(oldest)
        while len(self._pending) >= self.max_total:
            first = self.oldest(now)
            if first is None:
                break
            evict.append(first)
            self.remove(first)
        self._pending[key] = (address, now)
        self._per_address[address] = self._per_address.get(address, 0) + 1
        return evict

    def oldest(self, now: float) -> K | None:
        """The oldest connection pending longer than the grace time, if any."""
        first = self.first()
        if first is None or now - self._pending[first][1] < self.grace_s:
            return None
        return first

    def first(self) -> K | None:
        """The oldest connection pending, however young."""
        return next(iter(self._pending), None)

    def remove(self, key: K) -> None:
        """The handshake finished, or the connection closed (unknown keys are ignored)."""
        entry = self._pending.pop(key, None)
        if entry is None:
            return
        address = entry[0]
        left = self._per_address[address] - 1
        if left:
            self._per_address[address] = left
        else:
            del self._per_address[address]


class DescriptorBudget:
    """Whether the process can take one more connection and still keep ``reserve`` file
    descriptors for the app (transcripts, models, its own files).

    In use: the descriptors open when the server started plus its connections open now, or
    the newest connection's number if that says more (descriptors are handed out lowest
    first: all below it are taken, but closed ones leave gaps, so the number alone can say
    far too little). Plus ``in_flight``: what may be accepted before anyone is told.
    ``limit`` 0: no limit that matters.
    """

    def __init__(self, limit: int, reserve: int, in_flight: int, base: int) -> None:
        self.limit = limit
        self.reserve = reserve
        self.in_flight = in_flight
        self.base = base

    def in_use(self, connections: int, newest: int) -> int:
        return max(self.base + connections, newest + 1)

    def short(self, connections: int, newest: int) -> bool:
        if not self.limit:
            return False
        left = self.limit - self.in_use(connections, newest) - self.in_flight
        return left < self.reserve


@dataclass
class _Bucket:
    tokens: float
    at: float


class AuthThrottle:
    """Per address, ``burst`` failed token checks at once, then one per ``refill_s``.

    While an address is throttled its token is not even compared, so guessing costs time
    whatever is presented. Remembers at most ``max_addresses`` (least recently failed go).
    """

    def __init__(self, burst: int, refill_s: float, max_addresses: int = 4096) -> None:
        self.burst = burst
        self.refill_s = refill_s
        self.max_addresses = max_addresses
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def _level(self, address: str, now: float) -> _Bucket | None:
        bucket = self._buckets.get(address)
        if bucket is not None:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) / self.refill_s)
            bucket.at = now
            if bucket.tokens >= self.burst:  # fully recovered: forget it
                del self._buckets[address]
                return None
        return bucket

    def wait_s(self, address: str, now: float) -> float:
        """0 when ``address`` may try a token now, else the seconds until it may."""
        bucket = self._level(address, now)
        if bucket is None or bucket.tokens >= 1:
            return 0.0
        return (1 - bucket.tokens) * self.refill_s

    def failed(self, address: str, now: float) -> None:
        bucket = self._level(address, now) or _Bucket(float(self.burst), now)
        bucket.tokens = max(0.0, bucket.tokens - 1)
        self._buckets[address] = bucket
        self._buckets.move_to_end(address)
        while len(self._buckets) > self.max_addresses:
            self._buckets.popitem(last=False)


class Every:
    """True at most once per ``interval_s`` (log an ongoing condition once, not per event)."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._last: float | None = None
        self.suppressed = 0  # events since the last True

    def __call__(self, now: float) -> bool:
        if self._last is not None and now - self._last < self.interval_s:
            self.suppressed += 1
            return False
        self._last = now
        return True

    def take_suppressed(self) -> int:
        count, self.suppressed = self.suppressed, 0
        return count


class LimitLog:
    """A warning about a limit being hit, logged at most once per ``interval_s`` (a flood
    would otherwise write a line per connection), saying how many were left out."""

    def __init__(self, logger: logging.Logger, interval_s: float) -> None:
        self._logger = logger
        self._every = Every(interval_s)

    def warning(self, now: float, message: str, *args: object) -> None:
        if self._every(now):
            more = self._every.take_suppressed()
            self._logger.warning(message + " (%d more since the last message)", *args, more)
