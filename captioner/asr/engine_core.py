"""What both streaming engines do around their models, in one place.

An engine holds the audio it still needs (a :class:`StreamBuffer` addressed by absolute
sample, whose end is the stream clock), knows whether an utterance is in progress and where
it began, shows one partial at a time (sent only when it changes), cuts an utterance that
goes on too long, steps down its work when recognition falls behind, and keeps statistics.
The engines supply the recognition itself: how audio is taken in (VAD), what a step does,
how an utterance ends and where a long one is cut.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from captioner.asr.recognizer import Recognizer
from captioner.asr.stream_buffer import StreamBuffer
from captioner.asr.types import Partial, RecognizerStats, RecognizerUpdate, Segment
from captioner.audio import SAMPLE_RATE
from captioner.text.normalize import open_ending, tidy_chinese
from captioner.text.script import Script, convert_script
from captioner.text.vocabulary import Vocabulary, VocabularyFixes, vocabulary_fixes

Step = tuple[list[Segment], Partial | None]  # newly confirmed text, and the partial if changed


@dataclass
class Utterance:
    """The utterance in progress. An engine keeps what else it knows of one in a subclass,
    made anew for each utterance, so that nothing of one is left over in the next."""

    start: int  # absolute sample where its audio begins


U = TypeVar("U", bound=Utterance)


def display_text(raw: str, script: Script, fixes: VocabularyFixes | None = None) -> str:
    """Recogniser text as shown: the chosen script, tidy punctuation, no <unk> tokens, the
    user's vocabulary applied."""
    text = tidy_chinese(convert_script(raw.replace("<unk>", ""), script))
    return fixes(text) if fixes else text


class StreamingEngine(Recognizer, Generic[U]):
    def __init__(
        self,
        script: Script,
        max_utterance_s: float,
        load_levels: int,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.stats = RecognizerStats()
        self._script = script
        self._fixes = vocabulary_fixes(vocabulary)
        self._max_utterance = int(max_utterance_s * SAMPLE_RATE)
        self._load_levels = load_levels
        self._level = 0
        self._buffer = StreamBuffer()
        self._utterance: U | None = None
        self._partial = ""

    # -- Recognizer interface -------------------------------------------------------------

    def feed(self, audio: np.ndarray) -> None:
        self._buffer.feed(audio)

    @property
    def processed_seconds(self) -> float:
        return self._now / SAMPLE_RATE

    @property
    def in_speech(self) -> bool:
        return self._utterance is not None

    @property
    def buffered_seconds(self) -> float:
        """Audio the engine holds now (work per decode grows with it)."""
        return self._buffer.held_seconds

    def set_load_level(self, level: int) -> None:
        self._level = max(0, min(level, self._highest_load_level()))

    def update(self) -> RecognizerUpdate:
        confirmed, partial = self._ingest()
        if self._utterance is None:
            self._trim_idle()
        else:
            long = self._now - self._utterance.start >= self._max_utterance
            segments, shown = self._cut_long_utterance() if long else self._step()
            confirmed += segments
            partial = shown if shown is not None else partial
        self._account()
        return RecognizerUpdate(tuple(confirmed), partial)

    def finish(self) -> RecognizerUpdate:
        """End the utterance now (push-to-talk released): confirm everything heard."""
        confirmed, partial = self._ingest(final=True)
        if self._utterance is not None:
            confirmed += self._end_utterance(self._now)
            partial = self._show_partial("", self._now / SAMPLE_RATE)
        self._after_finish()
        self._account()
        return RecognizerUpdate(tuple(confirmed), partial)

    # -- for the engines ------------------------------------------------------------------

    @property
    def _now(self) -> int:
        """The stream clock: absolute sample just after the newest audio taken in."""
        return self._buffer.end

    def _reset_stream(self) -> int:
        """Forget audio, utterance and partial; returns the clock, which keeps running."""
        position = self._buffer.reset()
        self._utterance = None
        self._partial = ""
        return position

    def _show_partial(self, raw: str, start_s: float) -> Partial | None:
        """The partial to send, or None when what is shown would not change."""
        # A partial's closing "。" or "，" comes and goes as the speaker goes on: not shown.
        text = open_ending(display_text(raw, self._script, self._fixes))
        if text == self._partial:
            return None
        self._partial = text
        return Partial(text, round(start_s, 3), round(self._now / SAMPLE_RATE, 3))

    def _display(self, raw: str) -> str:
        return display_text(raw, self._script, self._fixes)

    def _highest_load_level(self) -> int:
        return self._load_levels - 1

    def _account(self) -> None:
        """Bring ``stats`` up to date after an update or finish."""

    def _after_finish(self) -> None:
        """Make the next speech start a new utterance (finish may have cut one short)."""

    @abstractmethod
    def _ingest(self, final: bool = False) -> Step:
        """Take in newly fed audio: begin and end utterances as the VAD hears them.
        ``final``: the stream stops here, so nothing waits for a complete VAD step."""

    @abstractmethod
    def _trim_idle(self) -> None:
        """Outside speech: drop audio no longer needed."""

    @abstractmethod
    def _step(self) -> Step:
        """Inside an utterance: whatever recognition work is due now."""

    @abstractmethod
    def _cut_long_utterance(self) -> Step:
        """The utterance reached its longest: confirm a first part of it, go on with the rest."""

    @abstractmethod
    def _end_utterance(self, end: int) -> list[Segment]:
        """Confirm the utterance up to ``end`` (absolute sample); it is over."""
