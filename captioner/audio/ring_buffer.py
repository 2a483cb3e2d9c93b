"""A fixed-capacity single-producer / single-consumer float32 ring buffer.

The producer is the audio callback: it must never block, so it never waits for the consumer
and never takes a lock. When the consumer falls more than ``capacity`` samples behind, the
oldest audio is overwritten; the consumer notices on its next read, skips what was lost and
counts it. Positions are monotonically increasing sample counts, so "how much was written"
and "how much was lost" are exact even across wrap-around.

Safety without locks: only the producer writes ``_reserved`` and ``_written``, only the
consumer writes ``_read``. The producer announces where a write will end (``_reserved``)
before copying and publishes it (``_written``) after; the consumer, after copying, discards
whatever the producer may have overwritten or be overwriting, which ``_reserved`` bounds.
"""

from __future__ import annotations

import numpy as np


class RingBuffer:
    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self._data = np.zeros(capacity, dtype=np.float32)
        self._capacity = capacity
        self._written = 0  # total samples ever written (producer only)
        self._read = 0  # total samples consumed or dropped (consumer only)
        self._dropped = 0  # total samples lost to overflow (consumer only)
        self._reserved = 0  # end of the write in progress, set before copying (producer only)

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def total_written(self) -> int:
        return self._written

    @property
    def dropped(self) -> int:
        """Samples overwritten before the consumer could read them."""
        return self._dropped

    def available(self) -> int:
        return min(self._written - self._read, self._capacity)

    def write(self, samples: np.ndarray) -> None:
        """Append samples (producer side; never blocks, never allocates a new buffer)."""
        n = samples.shape[0]
        if n == 0:
            return
        self._reserved = self._written + n
        if n > self._capacity:
            # Only the newest `capacity` samples can survive; the rest count as dropped when
            # the consumer catches up, because `_written` still advances by n.
            samples = samples[n - self._capacity :]
        start = (self._written + (n - samples.shape[0])) % self._capacity
        m = samples.shape[0]
        first = min(m, self._capacity - start)
        self._data[start : start + first] = samples[:first]
        if first < m:
            self._data[: m - first] = samples[first:]
        self._written += n  # publish only after the copy

    def read(self, max_samples: int | None = None) -> np.ndarray:
        """Take up to ``max_samples`` of the oldest unread audio (consumer side)."""
        written = self._written
        self._skip_overwritten(written)
        n = written - self._read
        if max_samples is not None:
            n = min(n, max_samples)
        if n <= 0:
            return np.zeros(0, dtype=np.float32)
        start = self._read % self._capacity
        first = min(n, self._capacity - start)
        out = np.empty(n, dtype=np.float32)
        out[:first] = self._data[start : start + first]
        if first < n:
            out[first:] = self._data[: n - first]
        # The producer may have lapped us while we copied (or be mid-write): what it
        # overwrote, or may be overwriting now, is invalid.
        overwritten = self._reserved - self._capacity - self._read
        if overwritten > 0:
            lost = min(overwritten, n)
            self._dropped += lost
            self._read += n
            return out[lost:]
        self._read += n
        return out

    def _skip_overwritten(self, written: int) -> None:
        behind = written - self._read - self._capacity
        if behind > 0:
            self._dropped += behind
            self._read += behind
