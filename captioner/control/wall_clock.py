"""From the recogniser's clock to the session's wall clock, for saved transcripts.

The recogniser counts only the audio it was given: with push-to-talk, the pauses between
presses do not exist for it, so its times drift away from a recording of the session. Each
time the worker hands audio over it notes where the recogniser's clock then stood and when
that audio was captured (all of it was read just before); a time on the recogniser's clock
is then placed in the span of audio it belongs to.
"""

from __future__ import annotations

import bisect

from captioner.asr.types import Segment

# Offsets closer than this are one stretch of continuous audio (audio arrives in blocks, and
# the worker reads it on a timer: the offset jitters by that much without any pause).
_SAME_SPAN_S = 0.25


class WallClock:
    """Spans of continuous audio: where each starts on the recogniser's clock, and how far
    ahead the wall clock (seconds since the session started) is there."""

    def __init__(self) -> None:
        self._starts: list[float] = []
        self._offsets: list[float] = []
        self._last_fed_end = 0.0

    def fed(self, recognizer_end_s: float, captured_at_s: float) -> None:
        """Audio up to ``recognizer_end_s`` (recogniser's clock) was captured by
        ``captured_at_s`` (wall clock)."""
        offset = captured_at_s - recognizer_end_s
        if not self._offsets or abs(offset - self._offsets[-1]) > _SAME_SPAN_S:
            self._starts.append(self._last_fed_end)
            self._offsets.append(offset)
        self._last_fed_end = max(self._last_fed_end, recognizer_end_s)

    def restart(self) -> None:
        """A new recogniser, whose clock starts again at zero."""
        self._starts.clear()
        self._offsets.clear()
        self._last_fed_end = 0.0

    def wall(self, recognizer_s: float) -> float:
        if not self._offsets:
            return recognizer_s
        index = max(0, bisect.bisect_left(self._starts, recognizer_s) - 1)
        return max(0.0, recognizer_s + self._offsets[index])

    def segment(self, segment: Segment) -> Segment:
        start = self.wall(segment.start)
        # The end in the same span as the start: an utterance is continuous audio.
        end = start + max(0.0, segment.end - segment.start)
        return Segment(segment.text, round(start, 3), round(end, 3), segment.audio)
