"""LocalAgreement-n: commit what the last n hypotheses of a growing audio buffer agree on.

As the audio buffer grows, each new hypothesis revises the previous one; text on which n
successive hypotheses agree is unlikely to change again, so it is confirmed. The unit of
agreement must make sense for the language: Chinese has no spaces, so a unit is a character
(or a token group that decodes to whole characters); space-delimited languages use words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from captioner.text.normalize import is_cjk


@dataclass(frozen=True)
class Unit:
    """The smallest piece of text agreement is decided on, with its audio times."""

    text: str
    start: float = 0.0
    end: float = 0.0


_WORD = re.compile(r"\s*\S+")


def split_units(text: str) -> list[str]:
    """Split text into agreement units: each CJK character alone, other runs word by word.

    A word keeps its leading space so that joining units gives back the text.
    """
    units: list[str] = []
    for match in _WORD.finditer(text):
        piece = match.group()
        run = ""
        for ch in piece:
            if is_cjk(ch) or _is_cjk_punct(ch):
                if run:
                    units.append(run)
                    run = ""
                units.append(ch)
            else:
                run += ch
        if run:
            units.append(run)
    return units


def _is_cjk_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") and unicodedata.east_asian_width(ch) in "WF"


def unit_key(text: str) -> str:
    """What must be equal for two units to agree: case, width and spacing do not matter."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def agreed_prefix(a: Sequence[Unit], b: Sequence[Unit]) -> int:
    """Number of leading units on which ``a`` and ``b`` agree."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if unit_key(x.text) != unit_key(y.text):
            break
        n += 1
    return n


class LocalAgreement:
    """Keeps the last hypotheses of the unconfirmed tail and says what to commit.

    Hypotheses passed to :meth:`insert` must start right after the text already committed
    (the engine forces the committed text as a decoding prefix, so this holds).
    """

    def __init__(self, n: int = 2) -> None:
        if n < 2:
            raise ValueError("agreement needs at least two hypotheses")
        self.n = n
        self._history: list[list[Unit]] = []

    def reset(self) -> None:
        self._history = []

    @property
    def last(self) -> list[Unit]:
        return self._history[-1] if self._history else []

    def insert(self, hypothesis: Sequence[Unit], commit: bool = True) -> list[Unit]:
        """Add the newest hypothesis; return the units now confirmed (from the newest).

        With ``commit=False`` the hypothesis is only remembered, so agreement can act as soon
        as the caller allows it.
        """
        self._history.append(list(hypothesis))
        self._history = self._history[-self.n :]
        if not commit or len(self._history) < self.n:
            return []
        newest = self._history[-1]
        count = min(agreed_prefix(h, newest) for h in self._history[:-1])
        committed = newest[:count]
        # Later hypotheses will start after the committed units, so drop them everywhere.
        self._history = [h[count:] for h in self._history]
        return committed
