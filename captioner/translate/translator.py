"""The translator: a worker thread beside recognition that never builds up lag.

Confirmed lines are submitted as they come (``submit`` only queues: the caption is never
held for its translation). The queue is bounded and served newest first: when lines come
faster than they are translated, the oldest waiting ones are skipped (counted, and said once)
so that the translation shown is always of a recent line. A failed request is retried after
a backoff with jitter (a 429's Retry-After honoured), and each kind of failure is told once,
in words; captions go on whatever the endpoint does. Results and notices are handed to
callbacks in the translator's thread: a Qt caller queues them to its own.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from captioner.i18n import translate

log = logging.getLogger(__name__)

FailureKind = Literal[
    "auth", "rate", "server", "timeout", "connection", "malformed", "nothing", "other"
]


@dataclass(frozen=True)
class Job:
    """A confirmed line to translate: ``final`` is its number in the session."""

    final: int
    text: str
    start: float
    end: float
    source: str | None = None
    audio: Any = field(default=None, compare=False, repr=False)  # 16 kHz float32 or None
    submitted: float = 0.0  # time.monotonic() when it was confirmed


@dataclass(frozen=True)
class Result:
    job: Job
    text: str
    latency_s: float  # from the line's confirmation to its translation


class TranslationFailure(Exception):
    """A backend could not translate a line. ``detail`` is for the log (never the key);
    ``retry_after``: seconds the server asked to wait. Kind ``nothing``: the line has
    nothing to translate (the speech model heard no words in it): neither told nor retried.
    """

    def __init__(self, kind: FailureKind, detail: str = "", retry_after: float | None = None):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after


class Backend(Protocol):
    def translate_line(self, job: Job, context: Sequence[str]) -> str:
        """``job``'s text (or audio) in the target language; ``context``: the lines
        confirmed before it, oldest first. Raises TranslationFailure."""
        ...


@dataclass
class TranslatorStats:
    translated: int = 0
    skipped: int = 0  # dropped unanswered because newer lines came (it fell behind)
    failed: int = 0  # given up after retries
    latencies: list[float] = field(default_factory=list)  # seconds, per translated line


def failure_notice(kind: FailureKind) -> str:
    """What the user reads the first time a kind of failure happens."""
    if kind == "auth":
        return translate(
            "translation",
            "The translation endpoint refused the key (check it in Settings or "
            "CAPTIONER_TRANSLATE_KEY). Captions go on without translation.",
        )
    # The literal calls are what lupdate extracts.
    translated = {
        "rate": translate(
            "translation",
            "The translation endpoint asks to slow down (too many requests); "
            "translation resumes when it allows.",
        ),
        "server": translate(
            "translation",
            "The translation endpoint has a problem of its own (a server error); "
            "retrying. Captions go on.",
        ),
        "timeout": translate(
            "translation",
            "The translation endpoint does not answer in time; retrying. Captions go on.",
        ),
        "connection": translate(
            "translation",
            "The translation endpoint cannot be reached (is the server running?); "
            "retrying. Captions go on.",
        ),
        "malformed": translate(
            "translation",
            "The translation endpoint answered something that is not a translation; "
            "retrying. Captions go on.",
        ),
        "other": translate("translation", "Translation failed; retrying. Captions go on."),
    }
    return translated.get(kind, translated["other"])


class Translator:
    """Translates submitted lines in its own thread; see the module's docstring."""

    def __init__(
        self,
        backend: Backend,
        on_result: Callable[[Result], None],
        on_notice: Callable[[str], None] = lambda text: None,
        max_pending: int = 2,
        context_lines: int = 3,
        attempts: int = 3,
        backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
        rng: random.Random | None = None,
    ) -> None:
        """``max_pending``: lines waiting at most (beyond the one being translated).
        ``attempts``: tries per line before it counts as failed. The backoff doubles from
        ``backoff_s`` after each failure in a row, up to ``max_backoff_s``, each wait
        between half and all of it (jitter: many clients do not retry in step)."""
        self.backend = backend
        self.stats = TranslatorStats()
        self._on_result = on_result
        self._on_notice = on_notice
        self._max_pending = max(1, max_pending)
        self._context_lines = max(0, context_lines)
        # The lines confirmed lately, translated or not: (number, text), oldest first.
        self._recent: deque[tuple[int, str]] = deque(
            maxlen=self._context_lines + 2 * max_pending + 2
        )
        self._attempts = max(1, attempts)
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._rng = rng or random.Random()
        self._pending: deque[tuple[Job, int]] = deque()  # (job, tries so far), oldest first
        self._cond = threading.Condition()
        self._closed = False
        self._failures = 0  # in a row
        self._wait_until = 0.0  # monotonic: no request before this (backoff)
        self._told: set[str] = set()
        self._skipped_told = False
        self._thread = threading.Thread(target=self._run, name="translation", daemon=True)
        self._thread.start()

    # -- from any thread ------------------------------------------------------------------

    def submit(self, job: Job) -> None:
        """Queue a confirmed line (never blocks); the oldest waiting line is skipped when
        too many wait."""
        with self._cond:
            if self._closed:
                return
            if not job.submitted:
                job = Job(
                    job.final,
                    job.text,
                    job.start,
                    job.end,
                    job.source,
                    job.audio,
                    time.monotonic(),
                )
            self._pending.append((job, 0))
            self._recent.append((job.final, job.text))
            skipped = 0
            while len(self._pending) > self._max_pending:
                self._pending.popleft()
                skipped += 1
            self.stats.skipped += skipped
            self._cond.notify()
        if skipped and not self._skipped_told:
            self._skipped_told = True
            self._notice(
                translate(
                    "translation",
                    "Translation cannot keep up: older lines are skipped so that the newest "
                    "is translated.",
                )
            )

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop: lines still waiting are dropped; a request in progress is waited for up
        to ``timeout_s`` (its result is not delivered)."""
        with self._cond:
            self._closed = True
            self._pending.clear()
            self._cond.notify_all()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout_s)

    def idle(self) -> bool:
        """Nothing waiting and nothing in progress (tests, the end of a run)."""
        with self._cond:
            return not self._pending and not self._busy

    def wait_idle(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.idle():
                return True
            time.sleep(0.02)
        return self.idle()

    # -- the thread -----------------------------------------------------------------------

    _busy = False

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (
                    not self._pending or time.monotonic() < self._wait_until
                ):
                    wait = self._wait_until - time.monotonic() if self._pending else None
                    self._cond.wait(wait)
                if self._closed:
                    return
                job, tries = self._pending.pop()  # the newest
                self._busy = True
                before = [text for final, text in self._recent if final < job.final]
                context = before[-self._context_lines :] if self._context_lines else []
            try:
                self._attempt(job, tries, context)
            finally:
                with self._cond:
                    self._busy = False

    def _attempt(self, job: Job, tries: int, context: list[str]) -> None:
        try:
            text = self.backend.translate_line(job, context).strip()
            if not text:
                raise TranslationFailure("malformed", "an empty translation")
        except TranslationFailure as failure:
            self._failed(job, tries, failure)
            return
        except Exception as exc:  # a backend bug must not end the thread
            log.exception("translation failed")
            self._failed(job, tries, TranslationFailure("other", type(exc).__name__))
            return
        with self._cond:
            if self._closed:
                return
            self._failures = 0
            self._wait_until = 0.0
            latency = time.monotonic() - job.submitted
            self.stats.translated += 1
            self.stats.latencies.append(round(latency, 3))
        self._on_result(Result(job, text, latency))

    def _failed(self, job: Job, tries: int, failure: TranslationFailure) -> None:
        log.info("translation of line %d failed: %s", job.final, failure)
        if failure.kind == "nothing":
            with self._cond:
                self.stats.failed += 1
            return
        if failure.kind not in self._told:
            self._told.add(failure.kind)
            self._notice(failure_notice(failure.kind))
        with self._cond:
            self._failures += 1
            delay = min(self._max_backoff_s, self._backoff_s * 2 ** (self._failures - 1))
            delay *= self._rng.uniform(0.5, 1.0)
            if failure.retry_after is not None:
                delay = max(delay, min(failure.retry_after, 300.0))
            self._wait_until = time.monotonic() + delay
            tries += 1
            # Retried unless it was tried enough, or newer lines fill the queue anyway; a
            # key that is refused is not worth the same line again.
            if (
                tries < self._attempts
                and failure.kind != "auth"
                and len(self._pending) < self._max_pending
            ):
                self._pending.appendleft((job, tries))
            else:
                self.stats.failed += 1

    def _notice(self, text: str) -> None:
        try:
            self._on_notice(text)
        except Exception:
            log.exception("a translation notice could not be delivered")
