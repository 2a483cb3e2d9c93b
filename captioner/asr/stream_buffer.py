"""The audio an engine holds, addressed by absolute sample index since the stream began."""

from __future__ import annotations

import numpy as np

from captioner.audio import SAMPLE_RATE


class StreamBuffer:
    """``feed`` only queues (cheap, any time); ``absorb`` moves what was queued into the
    buffer when the engine is ready to work on it. Old audio is dropped explicitly. A reset
    empties everything but keeps the clock: indices continue where they were."""

    def __init__(self) -> None:
        self._pending: list[np.ndarray] = []
        self._audio = np.zeros(0, dtype=np.float32)
        self.start = 0  # absolute sample index of the oldest audio held

    @property
    def end(self) -> int:
        """Absolute sample index just after the newest absorbed audio."""
        return self.start + self._audio.shape[0]

    def feed(self, audio: np.ndarray) -> None:
        if audio.size:
            self._pending.append(np.asarray(audio, dtype=np.float32))

    def absorb(self) -> np.ndarray:
        """Move the queued audio into the buffer; returns it (empty if none)."""
        if not self._pending:
            return np.zeros(0, dtype=np.float32)
        new = np.concatenate(self._pending)
        self._pending = []
        self._audio = np.concatenate([self._audio, new])
        return new

    def slice(self, start: int, end: int) -> np.ndarray:
        """Audio between two absolute indices (clipped to what is held)."""
        return self._audio[max(start - self.start, 0) : max(end - self.start, 0)]

    def drop_before(self, sample: int) -> None:
        """Forget audio before ``sample`` (never beyond what was absorbed: the clock holds)."""
        sample = min(sample, self.end)
        if sample > self.start:
            self._audio = self._audio[sample - self.start :]
            self.start = sample

    def reset(self) -> int:
        """Forget all audio, queued or not; returns the clock position (audio fed so far)."""
        position = self.end + sum(int(p.shape[0]) for p in self._pending)
        self._pending = []
        self._audio = np.zeros(0, dtype=np.float32)
        self.start = position
        return position

    @property
    def held_seconds(self) -> float:
        return self._audio.shape[0] / SAMPLE_RATE
