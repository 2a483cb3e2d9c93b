"""What captioning is doing, as the indicator dot, the tray and the feed show it."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from captioner.asr.session import SessionStatus


class CaptionState(str, enum.Enum):
    IDLE = "idle"  # not listening
    LISTENING = "listening"
    PROCESSING = "processing"  # speech heard, text on its way
    LOADING = "loading"  # the model is being loaded
    ERROR = "error"


def caption_state(
    statuses: Sequence[SessionStatus | None],
    down: bool,
    stopped: bool,
    loading: bool,
    listening: bool,
) -> tuple[CaptionState, float]:
    """What the caption bar's indicator shows: the largest lag of the channels (each has its
    own load control), speech when any hears it."""
    if down or stopped:
        return CaptionState.ERROR, 0.0
    if loading:
        return CaptionState.LOADING, 0.0
    if not listening:
        return CaptionState.IDLE, 0.0
    lag = max((s.lag_s for s in statuses if s is not None), default=0.0)
    if any(s is not None and s.in_speech for s in statuses):
        return CaptionState.PROCESSING, lag
    return CaptionState.LISTENING, lag
