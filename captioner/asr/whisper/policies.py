"""How the Whisper engine confirms an utterance's text while it goes on (``--policy``).

``two-pass``, the app's: partials are only shown. What is confirmed comes from the
beam-search second pass, of the whole utterance when it ends or, for long speech, of the
audio up to a place where two successive partials agree that a Whisper segment ends (the
engine's module docstring says why).

``agreement``: LocalAgreement-2 on units, the whisper_streaming approach. What two successive
partials agree on is confirmed as it stands and forced as the prefix of every later decode,
and an utterance's end is decoded greedily like a partial. It is here for comparison in the
benchmark only: its confirmed text flips with the CPU's int8 kernels.

Each utterance (and what goes on after a cut) gets a policy object of its own, which keeps
what the policy remembers of that utterance.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Protocol

from captioner.asr.config import Policy
from captioner.asr.types import Segment
from captioner.asr.whisper.agreement import LocalAgreement, Unit
from captioner.asr.whisper.decoding import DecodeSettings, Hypothesis
from captioner.audio import SAMPLE_RATE

Decoded = tuple[int, Hypothesis]  # (absolute sample a partial decoded up to, its hypothesis)


class Engine(Protocol):
    """What a policy may ask of the engine, about the utterance in progress."""

    def agreed_cut(self, previous: Decoded | None, latest: Decoded) -> int | None:
        """Where a long utterance may be cut, as two successive partials agree."""

    def confirm_up_to(self, cut: int) -> list[Segment]:
        """Confirm the audio before ``cut`` by a second pass; the rest goes on."""

    def segments(self, units: list[Unit]) -> list[Segment]:
        """``units`` as confirmed text."""

    def retire(self, units: list[Unit], before: int) -> bool:
        """Confirmed ``units`` whose audio ends at ``before`` leave the utterance, which then
        begins there; False if it already begins later."""


class Confirmation(ABC):
    """One policy's state for one utterance."""

    @property
    def held(self) -> list[Unit]:
        """Confirmed units whose audio is still in the utterance: every decode is forced to
        begin with them."""
        return []

    @abstractmethod
    def final_settings(self, beam: DecodeSettings, greedy: DecodeSettings) -> DecodeSettings:
        """How the utterance's end (and each piece of a long one) is decoded."""

    @abstractmethod
    def after_partial(
        self, engine: Engine, decoded_to: int, hypothesis: Hypothesis
    ) -> tuple[list[Segment], list[Unit]]:
        """What a partial decode confirms, and the units still open (shown as the partial)."""


class TwoPass(Confirmation):
    def __init__(self) -> None:
        self._previous: Decoded | None = None  # the last partial

    def final_settings(self, beam: DecodeSettings, greedy: DecodeSettings) -> DecodeSettings:
        return beam

    def after_partial(
        self, engine: Engine, decoded_to: int, hypothesis: Hypothesis
    ) -> tuple[list[Segment], list[Unit]]:
        previous, self._previous = self._previous, (decoded_to, hypothesis)
        cut = engine.agreed_cut(previous, self._previous)
        if cut is None:
            return [], hypothesis.units
        segments = engine.confirm_up_to(cut)
        return segments, [u for u in hypothesis.units if u.start * SAMPLE_RATE >= cut]


class AgreementAlone(Confirmation):
    def __init__(self) -> None:
        self._agreement = LocalAgreement(2)
        self._held: list[Unit] = []

    @property
    def held(self) -> list[Unit]:
        return self._held

    def final_settings(self, beam: DecodeSettings, greedy: DecodeSettings) -> DecodeSettings:
        return greedy

    def after_partial(
        self, engine: Engine, decoded_to: int, hypothesis: Hypothesis
    ) -> tuple[list[Segment], list[Unit]]:
        agreed = self._agreement.insert(hypothesis.units)
        if not agreed:
            return [], hypothesis.units
        confirmed = [u for u in agreed if u.text]
        self._held += confirmed
        segments = engine.segments(confirmed)
        # Where the agreed text ends a Whisper segment, later decodes need not hear its audio.
        ends = (end for position, end in hypothesis.segment_ends if position == len(agreed))
        end = next(ends, None)
        if end is not None and engine.retire(self._held, int(end * SAMPLE_RATE)):
            self._held = []
        return segments, hypothesis.units[len(agreed) :]


POLICIES: dict[Policy, Callable[[], Confirmation]] = {
    "two-pass": TwoPass,
    "agreement": AgreementAlone,
}
