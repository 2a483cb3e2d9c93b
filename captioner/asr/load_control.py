"""Keeping up with real time: pick a recogniser load level from the measured lag."""

from __future__ import annotations

from collections import deque


class LoadController:
    """Chooses how much accuracy to trade for speed, from lag measurements.

    Every decode briefly lets lag grow by its own duration, so single readings say little.
    Falling behind means lag that does not come back down: the level rises when even the
    *smallest* lag over the last ``window_s`` exceeds ``behind_s``, and falls again once the
    *largest* lag over ``calm_s`` has stayed below ``calm_below_s``.
    """

    def __init__(
        self,
        behind_s: float = 0.8,
        window_s: float = 3.0,
        calm_below_s: float = 1.2,
        calm_s: float = 15.0,
        max_level: int = 3,
    ) -> None:
        self.behind_s = behind_s
        self.window_s = window_s
        self.calm_below_s = calm_below_s
        self.calm_s = calm_s
        self.max_level = max_level
        self.level = 0
        self._samples: deque[tuple[float, float]] = deque()  # (time, lag)
        self._changed_at = float("-inf")

    def observe(self, lag_s: float, now: float) -> int:
        """Feed one lag measurement taken at time ``now`` (seconds); returns the level."""
        self._samples.append((now, lag_s))
        horizon = max(self.window_s, self.calm_s)
        while self._samples and now - self._samples[0][0] > horizon:
            self._samples.popleft()
        if now - self._changed_at < self.window_s:
            return self.level  # give the last change time to show its effect
        recent = [lag for t, lag in self._samples if now - t <= self.window_s]
        behind = self._covers(now, self.window_s) and min(recent) > self.behind_s
        calm = (
            self._covers(now, self.calm_s)
            and now - self._changed_at >= self.calm_s
            and max(lag for _, lag in self._samples) < self.calm_below_s
        )
        if behind and self.level < self.max_level:
            self.level += 1
            self._changed_at = now
        elif not behind and calm and self.level > 0:
            self.level -= 1
            self._changed_at = now
        return self.level

    def _covers(self, now: float, span: float) -> bool:
        """Whether the measurements reach back at least ``span`` seconds."""
        return bool(self._samples) and now - self._samples[0][0] >= span * 0.9
