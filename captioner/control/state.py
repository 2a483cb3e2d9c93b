"""What captioning is doing, as the indicator dot, the tray and the feed show it."""

from __future__ import annotations

import enum


class CaptionState(str, enum.Enum):
    IDLE = "idle"  # not listening
    LISTENING = "listening"
    PROCESSING = "processing"  # speech heard, text on its way
    LOADING = "loading"  # the model is being loaded
    ERROR = "error"
