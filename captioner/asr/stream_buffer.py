"""The audio an engine holds, addressed by absolute sample index since the stream began."""

from __future__ import annotations

import numpy as np

from captioner.audio import SAMPLE_RATE


class StreamBuffer:
    """``feed`` only queues (cheap, any time); ``absorb`` moves what was queued into the
    buffer when the engine is ready to work on it. Old audio is dropped explicitly. A reset
    empties everything but keeps the clock: indices continue where they were.

    The audio lives in one array with room to spare: absorbing appends in place and dropping
    moves a start index. Appending by concatenation copied the whole held audio (15 s of
    context while idle) on every tick, which was a good part of listening to silence.
    """

    def __init__(self) -> None:
        self._pending: list[np.ndarray] = []
        self._store = np.zeros(0, dtype=np.float32)
        self._head = 0  # index in _store of the oldest audio held
        self._size = 0  # samples held
        self.start = 0  # absolute sample index of the oldest audio held

    @property
    def end(self) -> int:
        """Absolute sample index just after the newest absorbed audio."""
        return self.start + self._size

    def feed(self, audio: np.ndarray) -> None:
        if audio.size:
            self._pending.append(np.asarray(audio, dtype=np.float32))

    def absorb(self) -> np.ndarray:
        """Move the queued audio into the buffer; returns it (empty if none)."""
        if not self._pending:
            return np.zeros(0, dtype=np.float32)
        new = np.concatenate(self._pending)
        self._pending = []
        self._make_room(new.shape[0])
        tail = self._head + self._size
        self._store[tail : tail + new.shape[0]] = new
        self._size += new.shape[0]
        return new

    def _make_room(self, n: int) -> None:
        if self._head + self._size + n <= self._store.shape[0]:
            return
        needed = self._size + n
        held = self._store[self._head : self._head + self._size]
        if needed > self._store.shape[0] // 2:  # grow, leaving as much room again
            store = np.empty(max(2 * needed, SAMPLE_RATE), dtype=np.float32)
            store[: self._size] = held
            self._store = store
        else:  # room enough once the dropped audio before the head is reused
            self._store[: self._size] = held.copy()
        self._head = 0

    def slice(self, start: int, end: int) -> np.ndarray:
        """A copy of the audio between two absolute indices (clipped to what is held)."""
        first = min(max(start - self.start, 0), self._size)
        last = min(max(end - self.start, first), self._size)
        return np.array(self._store[self._head + first : self._head + last], dtype=np.float32)

    def drop_before(self, sample: int) -> None:
        """Forget audio before ``sample`` (never beyond what was absorbed: the clock holds)."""
        sample = min(sample, self.end)
        if sample > self.start:
            self._head += sample - self.start
            self._size -= sample - self.start
            self.start = sample

    def reset(self) -> int:
        """Forget all audio, queued or not; returns the clock position (audio fed so far)."""
        position = self.end + sum(int(p.shape[0]) for p in self._pending)
        self._pending = []
        self._head = self._size = 0
        self.start = position
        return position

    @property
    def held_seconds(self) -> float:
        return self._size / SAMPLE_RATE
