"""What the feed tells its clients about the transcript. Pure logic, no I/O.

Given what the pipeline publishes, :class:`Feed` says which message to broadcast, if any:
partials numbered and never repeated, finals numbered and kept for ``hello``, states as
:class:`~captioner.asr.session.StatusReport` says (the one rule for when a status is worth
passing on). The server broadcasts what it returns.
"""

from __future__ import annotations

from collections import deque
from typing import Literal

from captioner.asr.session import StatusReport
from captioner.server.protocol import (
    ClearMessage,
    FinalMessage,
    HelloMessage,
    PartialMessage,
    PipelineState,
    StateMessage,
    TranslationMessage,
)
from captioner.transcript.events import TranscriptEvent


def _shown(state: PipelineState) -> tuple[object, ...]:
    """What a ``state`` message shows besides the lag: a change is sent at once."""
    return (state.state, state.engine, state.model, state.language, state.dropped_s)


class Feed:
    def __init__(self, state: PipelineState, history: int, state_interval_s: float) -> None:
        self.state = state
        self.finals = 0  # published (and so "segments" in the statistics)
        self.partials = 0
        self.max_lag_s = 0.0
        self._status = StatusReport(state_interval_s)
        # What hello shows counts as sent; lag moves may follow at once.
        self._status.due(_shown(state), state.lag_s, float("-inf"))
        self._history: deque[FinalMessage] = deque(maxlen=history)
        self._translations: deque[TranslationMessage] = deque(maxlen=history)
        # The pipeline's number of each recent final -> its id here (ids restart with the
        # server; the pipeline's numbers run on).
        self._ids: dict[int, int] = {}
        self._history_size = history
        self._partial: PartialMessage | None = None
        self._next_id = 1
        self._seq = 0

    def partial(self, event: TranscriptEvent) -> PartialMessage | None:
        """The whole current unconfirmed text (empty text clears it); None if unchanged."""
        current = self._partial
        if current is not None and (current.text, current.source) == (event.text, event.source):
            return None
        self._seq += 1
        self._partial = PartialMessage(
            self._seq,
            event.text,
            round(float(event.start), 3),
            round(float(event.end), 3),
            event.source,
        )
        self.partials += 1
        return self._partial

    def final(self, event: TranscriptEvent, wall: float) -> FinalMessage | None:
        """Newly confirmed text, with the next segment id; None if there is no text."""
        if not event.text:
            return None
        final = FinalMessage(
            self._next_id,
            event.text,
            round(float(event.start), 3),
            round(float(event.end), 3),
            wall,
            event.source,
        )
        self._next_id += 1
        self._history.append(final)
        if event.final is not None:
            self._ids[event.final] = final.id
            if len(self._ids) > 4 * self._history_size:
                del self._ids[min(self._ids)]
        self.finals += 1
        return final

    def translation(self, event: TranscriptEvent) -> TranslationMessage | None:
        """A final in another language; None if that final was not published here (the
        server started after it) or there is no text."""
        final_id = self._ids.get(event.final) if event.final is not None else None
        if final_id is None or not event.text or event.lang is None:
            return None
        message = TranslationMessage(final_id, event.text, event.lang, event.source)
        self._translations.append(message)
        return message

    def pipeline(self, state: PipelineState, now: float) -> StateMessage | None:
        """The pipeline's state; a message only when it is worth sending."""
        self.state = state
        self.max_lag_s = max(self.max_lag_s, state.lag_s)
        if self._status.due(_shown(state), state.lag_s, now):
            return StateMessage(state)
        return None

    def clear(self) -> ClearMessage:
        """The transcript was reset: ``hello`` replays nothing of it."""
        self._history.clear()
        self._translations.clear()
        self._partial = None
        return ClearMessage()

    def hello(
        self, version: str, session: str, control: Literal["open", "token"], server_time: float
    ) -> HelloMessage:
        """What a new client is told first: the recent segments and the current partial."""
        return HelloMessage(
            version=version,
            session=session,
            state=self.state,
            segments=tuple(self._history),
            partial=self._partial if self._partial and self._partial.text else None,
            control=control,
            server_time=server_time,
            translations=tuple(
                t for t in self._translations if any(f.id == t.id for f in self._history)
            ),
        )
