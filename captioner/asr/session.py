"""One live captioning session: audio source -> recogniser, with lag tracking.

No Qt here: the worker drives a session from its thread; tests and tools can drive one
directly.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from captioner.asr.load_control import LoadController
from captioner.asr.recognizer import Recognizer
from captioner.asr.types import RecognizerUpdate
from captioner.audio.source import SourceReader

PRE_ROLL_S = 0.3  # audio kept while not listening, so a push-to-talk press loses no syllable
LAG_STEP_S = 0.25  # a lag that moved less than this is not worth showing or sending again


class StatusReport:
    """When a status is worth passing on (to the window, to feed clients): at once when what
    it shows changed; when only its lag moved, once it moved by ``LAG_STEP_S`` and at most
    every ``interval_s``. One rule for every place that reports a status."""

    def __init__(self, interval_s: float = LAG_STEP_S) -> None:
        self.interval_s = interval_s
        self._sent: tuple[Hashable, float] | None = None  # (what it showed, its lag)
        self._sent_at = float("-inf")

    def due(self, shown: Hashable, lag_s: float, now: float) -> bool:
        """Whether to pass on a status showing ``shown`` with ``lag_s``; if so, it counts as
        sent at ``now``."""
        sent = self._sent
        changed = sent is None or sent[0] != shown
        moved = sent is not None and abs(lag_s - sent[1]) >= LAG_STEP_S
        if not (changed or (moved and now - self._sent_at >= self.interval_s)):
            return False
        self._sent, self._sent_at = (shown, lag_s), now
        return True


@dataclass(frozen=True)
class SessionStatus:
    listening: bool
    in_speech: bool
    lag_s: float  # audio captured but not yet recognised
    dropped_s: float  # audio lost because recognition fell too far behind
    load_level: int
    captured_s: float


class StreamingSession:
    def __init__(
        self,
        reader: SourceReader,
        recognizer: Recognizer,
        load: LoadController | None = None,
        listening: bool = True,
    ) -> None:
        self.reader = reader
        self.recognizer = recognizer
        self.load = load or LoadController()
        self.listening = listening
        self._fed_s = 0.0  # audio handed to the recogniser (plus audio skipped while idle)
        self._pre_roll = np.zeros(0, dtype=np.float32)

    @property
    def finished(self) -> bool:
        return self.reader.finished

    def switch_source(self, reader: SourceReader) -> RecognizerUpdate:
        """Continue from another source (a new device, or the same one reopened). What was
        heard from the old one is confirmed first; the recogniser's clock keeps running."""
        update = self.recognizer.finish()
        self.reader = reader
        self._fed_s = 0.0
        self._pre_roll = np.zeros(0, dtype=np.float32)
        return update

    def switch_recognizer(self, recognizer: Recognizer) -> RecognizerUpdate:
        """Continue with another engine (model or device changed); the old one confirms
        what it heard."""
        update = self.recognizer.finish()
        self.recognizer = recognizer
        return update

    def step(self) -> tuple[RecognizerUpdate, SessionStatus]:
        audio = self.reader.read()
        if self.listening:
            if self._pre_roll.size:
                audio = np.concatenate([self._pre_roll, audio])
                self._pre_roll = np.zeros(0, dtype=np.float32)
            self.recognizer.feed(audio)
            update = self.recognizer.update()
            self._fed_s += audio.shape[0] / self.recognizer.sample_rate
        else:
            keep = int(PRE_ROLL_S * self.recognizer.sample_rate)
            self._pre_roll = np.concatenate([self._pre_roll, audio])[-keep:]
            self._fed_s += audio.shape[0] / self.recognizer.sample_rate
            update = RecognizerUpdate()
        if self.reader.finished and self.listening:
            final = self.recognizer.finish()
            update = RecognizerUpdate(
                update.confirmed + final.confirmed, final.partial or update.partial
            )
        return update, self.status()

    def status(self) -> SessionStatus:
        # What the source has produced but recognition has not consumed yet is the lag;
        # audio still queued in the ring counts, since it is waiting for the recogniser.
        lag = max(0.0, self.reader.captured_seconds - self.reader.dropped_seconds - self._fed_s)
        level = self.load.observe(lag, time.monotonic())
        self.recognizer.set_load_level(level)
        return SessionStatus(
            listening=self.listening,
            in_speech=self.recognizer.in_speech,
            lag_s=round(lag, 3),
            dropped_s=round(self.reader.dropped_seconds, 3),
            load_level=level,
            captured_s=round(self.reader.captured_seconds, 3),
        )

    def set_listening(self, listening: bool) -> RecognizerUpdate:
        """Start or stop listening; stopping confirms the utterance in progress."""
        if listening == self.listening:
            return RecognizerUpdate()
        self.listening = listening
        if not listening:
            return self.recognizer.finish()
        return RecognizerUpdate()

    def finish_utterance(self) -> RecognizerUpdate:
        return self.recognizer.finish()

    def reset(self) -> None:
        self.recognizer.reset()
        self._pre_roll = np.zeros(0, dtype=np.float32)
