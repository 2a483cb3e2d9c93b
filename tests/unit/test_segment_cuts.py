"""Where a long utterance may be confirmed up to: a segment end two partials agree on."""

from __future__ import annotations

from captioner.asr.whisper.agreement import Unit
from captioner.asr.whisper.decoding import Hypothesis
from captioner.asr.whisper.engine import agreed_segment_end


def hypothesis(text: str, ends: list[tuple[int, float]]) -> Hypothesis:
    return Hypothesis(units=[Unit(ch) for ch in text], segment_ends=ends)


def cut(a: Hypothesis, b: Hypothesis, earliest: float = 1.0, latest: float = 9.0) -> float | None:
    return agreed_segment_end(a, b, earliest_s=earliest, latest_s=latest, tolerance_s=0.3)


def test_a_segment_end_both_hypotheses_have_is_agreed():
    a = hypothesis("假语村言别再拥抱我此外广本", [(9, 2.30)])
    b = hypothesis("假语村言别再拥抱我此外广本也将", [(9, 2.42)])
    assert cut(a, b) == 2.42


def test_the_latest_agreed_end_wins_and_lone_ends_do_not_count():
    a = hypothesis("一二三四五六七八九十", [(3, 1.5), (6, 3.0), (8, 4.2)])
    b = hypothesis("一二三四五六七八九十", [(3, 1.6), (6, 3.1), (9, 5.5)])
    assert cut(a, b) == 3.1


def test_ends_further_apart_than_the_tolerance_do_not_agree():
    a = hypothesis("一二三四五六", [(3, 2.0)])
    b = hypothesis("一二三四五六", [(3, 2.5)])
    assert cut(a, b) is None


def test_a_segment_closed_at_the_end_of_the_text_is_no_boundary_yet():
    # Greedy decodes often close the last segment where the audio ends: nothing follows it
    # yet, so the speaker may be mid-word there.
    a = hypothesis("喜欢攀岩徒步滑雪的语言爱好", [(13, 4.0)])
    b = hypothesis("喜欢攀岩徒步滑雪的语言爱好者", [(13, 4.0), (14, 4.3)])
    assert cut(a, b) is None


def test_boundaries_too_early_or_too_recent_are_ignored():
    a = hypothesis("一二三四五六", [(1, 0.5), (5, 8.0)])
    b = hypothesis("一二三四五六", [(1, 0.5), (5, 8.0)])
    assert cut(a, b, earliest=1.0, latest=7.0) is None
    assert cut(a, b, earliest=0.2, latest=7.0) == 0.5
