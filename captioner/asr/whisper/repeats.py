"""Recognising a second pass that transcribed its context again instead of the utterance.

The second pass hears up to 15 s of earlier audio so that it knows the speaker and the topic,
and is forced to begin at the utterance; now and then it transcribes the earlier speech
anyway, and a caption repeats a sentence already confirmed in place of what was said. Such
a hypothesis shares a run of text with what was confirmed just before, which the
utterance's own partial (decoded without context) does not have.
"""

from __future__ import annotations

from captioner.text.normalize import normalize_for_scoring

MIN_REPEAT_CHARS = 5  # shorter shared runs are common words, not a sentence read again


def shared_run(text: str, earlier: str) -> str:
    """The longest run of characters ``text`` shares with ``earlier`` (after normalising
    both as for scoring: no punctuation, spaces or case)."""
    a, b = normalize_for_scoring(text), normalize_for_scoring(earlier)
    best_end = best_length = 0
    previous = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        current = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                current[j] = previous[j - 1] + 1
                if current[j] > best_length:
                    best_length, best_end = current[j], i
        previous = current
    return a[best_end - best_length : best_end]


def suspected_repeat(hypothesis: str, earlier: str, partial: str) -> str | None:
    """The run of recently confirmed text that ``hypothesis`` repeats without support from
    the utterance's own ``partial``, or None if it looks like the utterance itself."""
    run = shared_run(hypothesis, earlier)
    if len(run) < MIN_REPEAT_CHARS or run in normalize_for_scoring(partial):
        return None
    return run


def heard_after(partial: str, confirmed: str) -> str:
    """What ``partial`` (of a whole utterance) says after the piece of it ``confirmed`` at a
    cut, normalised: the rest of the utterance has only that of its own to vouch for it. All
    of it when they share nothing."""
    normalized = normalize_for_scoring(partial)
    run = shared_run(partial, confirmed)
    if not run:
        return normalized
    return normalized[normalized.index(run) + len(run) :]
