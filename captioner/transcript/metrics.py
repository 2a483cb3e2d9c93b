"""Character error rate and latency statistics."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from captioner.text.normalize import normalize_for_scoring


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance (substitutions, insertions, deletions all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = np.arange(len(b) + 1)
    b_arr = np.array(list(b), dtype=object)
    for i, ch in enumerate(a, 1):
        substitute = previous[:-1] + (b_arr != ch)
        current = np.empty_like(previous)
        current[0] = i
        current[1:] = np.minimum(previous[1:] + 1, substitute)
        # insertions run left to right and cannot be vectorised without a scan
        current = np.minimum.accumulate(current - np.arange(len(b) + 1)) + np.arange(len(b) + 1)
        previous = current
    return int(previous[-1])


def character_error_rate(hypothesis: str, reference: str) -> float:
    """CER after Simplified conversion and removal of punctuation and spaces."""
    hyp, ref = normalize_for_scoring(hypothesis), normalize_for_scoring(reference)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(hyp, ref) / len(ref)


def summarize(values: Sequence[float]) -> dict[str, float | None]:
    """Median, p90 and max, rounded for reports; ``None`` when there is nothing to report."""
    if not values:
        return {"median": None, "p90": None, "max": None}
    arr = np.asarray(values, dtype=float)
    return {
        "median": round(float(np.median(arr)), 3),
        "p90": round(float(np.percentile(arr, 90)), 3),
        "max": round(float(arr.max()), 3),
    }
