"""Echo de-duplication for two sources: microphone text that repeats what the speakers played.

Without headphones the microphone hears the speakers, so the same words come twice: from the
system audio ("Others") and, a moment later and fainter, from the microphone ("Me"). The cheap
remedy here: remember what the system audio said in the last few seconds (confirmed text and
the current partial) and drop a confirmed microphone line whose characters mostly appear, in
order, in it. While the system side is mid-utterance a microphone line is held back a moment
(the microphone's recogniser may confirm the echo before the system's confirms the original).
Pure logic with a clock passed in; thread-safe (the two recognisers run in their own threads).
"""

from __future__ import annotations

import threading
from collections import deque
from difflib import SequenceMatcher
from typing import Generic, TypeVar

from captioner.text.normalize import normalize_for_scoring

WINDOW_S = 10.0  # how long system text stays a candidate for an echo
SPEAKING_S = 1.5  # the system side "is speaking" while its partial changed this recently
HOLD_S = 4.0  # how long a microphone line may wait for the system side to confirm
MATCH = 0.5  # share of the microphone line's characters found, in order, in the system text
T = TypeVar("T")


def covered(text: str, reference: str) -> float:
    """The share of ``text``'s characters found, in order, in ``reference`` (0..1), counting
    only runs of two or more characters (single common characters such as 的 or 是 match by
    chance). A text of one or two characters counts only if it is in ``reference`` whole."""
    if not text:
        return 0.0
    if len(text) <= 2:
        return 1.0 if text in reference else 0.0
    blocks = SequenceMatcher(None, text, reference, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 2) / len(text)


class EchoFilter:
    def __init__(self, window_s: float = WINDOW_S, match: float = MATCH) -> None:
        self.window_s = window_s
        self.match = match
        self._lock = threading.Lock()
        self._heard: deque[tuple[float, str]] = deque()  # (when, normalised confirmed text)
        self._partial = ""
        self._partial_at = 0.0
        self._in_speech = False  # the system side's voice detection: mid-utterance
        self.dropped = 0  # microphone lines dropped as echoes

    def heard(self, text: str, now: float, final: bool = True) -> None:
        """What the system audio said (its confirmed text, or its current partial)."""
        clean = normalize_for_scoring(text)
        with self._lock:
            if final:
                if clean:
                    self._heard.append((now, clean))
                self._partial = ""
            else:
                self._partial, self._partial_at = clean, now
            self._forget(now)

    def is_echo(self, text: str, now: float) -> bool:
        """Whether a confirmed microphone line repeats recent system audio (then it counts)."""
        clean = normalize_for_scoring(text)
        if not clean:
            return False
        with self._lock:
            self._forget(now)
            recent = "".join(t for _, t in self._heard)
            if self._partial and now - self._partial_at <= self.window_s:
                recent += self._partial
            echo = bool(recent) and covered(clean, recent) >= self.match
            if echo:
                self.dropped += 1
            return echo

    def speaking(self, in_speech: bool) -> None:
        """The system side's voice detection, on each of its steps."""
        with self._lock:
            self._in_speech = in_speech

    def system_speaking(self, now: float) -> bool:
        """Whether the system audio is mid-utterance (a partial, recently updated): a
        microphone line confirmed now may be its echo, heard sooner than the system side's
        recogniser confirms it. Worth holding the line back (``HOLD_S``) and asking again."""
        with self._lock:
            fresh = bool(self._partial) and now - self._partial_at <= SPEAKING_S
            # Under load partials come seldom or not at all: its voice detection tells too.
            return fresh or self._in_speech

    def _forget(self, now: float) -> None:
        while self._heard and now - self._heard[0][0] > self.window_s:
            self._heard.popleft()


class EchoGate(Generic[T]):
    """What becomes of the microphone's confirmed lines beside the system audio, in order:
    dropped as an echo, held back while the system side is mid-utterance (at most
    ``hold_s``; the lines after a held one wait behind it), or passed on."""

    def __init__(self, echo: EchoFilter, hold_s: float = HOLD_S) -> None:
        self.echo = echo
        self.hold_s = hold_s
        self._held: list[tuple[float, str, T]] = []  # (wait until, text, line)
        self.dropped: list[str] = []  # the texts dropped as echoes (for the log)

    def admit(self, text: str, line: T, now: float) -> bool:
        """True: confirm ``line`` now. False: it was an echo, or it waits (``release``)."""
        if self.echo.is_echo(text, now):
            self.dropped.append(text)
            return False
        if self._held or self.echo.system_speaking(now):
            self._held.append((now + self.hold_s, text, line))
            return False
        return True

    def release(self, now: float, final: bool = False) -> list[T]:
        """The held lines to confirm now: the system side stopped talking, or they waited
        long enough (``final``: all of them, the session is ending). Those its text shows
        were echoes are dropped."""
        released: list[T] = []
        waiting: list[tuple[float, str, T]] = []
        for until, text, line in self._held:
            if self.echo.is_echo(text, now):
                self.dropped.append(text)
                continue
            wait = not final and now < until and self.echo.system_speaking(now)
            if waiting or wait:
                waiting.append((until, text, line))
            else:
                released.append(line)
        self._held = waiting
        return released
