"""The confirmation policies on their own: what each makes of a partial, with an engine that
does what it is asked and records it."""

from __future__ import annotations

from captioner.asr.types import Segment
from captioner.asr.whisper.agreement import Unit
from captioner.asr.whisper.decoding import DecodeSettings, Hypothesis
from captioner.asr.whisper.policies import POLICIES, AgreementAlone, Decoded, TwoPass

BEAM, GREEDY = DecodeSettings(beam_size=5), DecodeSettings(beam_size=1)


def hypothesis(text: str, ends: list[tuple[int, float]] | None = None) -> Hypothesis:
    """One unit a character, 0.2 s each from the stream's start."""
    units = [Unit(ch, round(i * 0.2, 3), round((i + 1) * 0.2, 3)) for i, ch in enumerate(text)]
    return Hypothesis(units=units, segment_ends=ends or [])


def text(units: list[Unit]) -> str:
    return "".join(u.text for u in units)


class Engine:
    def __init__(self, cut: int | None = None, begins: int = 0) -> None:
        self.cut = cut  # where two agreeing partials put a cut
        self.begins = begins  # where the utterance begins (absolute sample)
        self.asked: list[tuple[Decoded | None, Decoded]] = []
        self.confirmed_up_to: list[int] = []
        self.retired: list[tuple[str, int]] = []

    def agreed_cut(self, previous: Decoded | None, latest: Decoded) -> int | None:
        self.asked.append((previous, latest))
        return self.cut if previous is not None else None

    def confirm_up_to(self, cut: int) -> list[Segment]:
        self.confirmed_up_to.append(cut)
        return [Segment("second pass", self.begins / 16000, cut / 16000)]

    def segments(self, units: list[Unit]) -> list[Segment]:
        return [Segment(text(units), units[0].start, units[-1].end)] if units else []

    def retire(self, units: list[Unit], before: int) -> bool:
        if before <= self.begins:
            return False
        self.retired.append((text(units), before))
        self.begins = before
        return True


def test_two_pass_only_shows_partials_until_two_of_them_agree_on_a_cut():
    engine, policy = Engine(cut=8000), TwoPass()
    first = hypothesis("引才要")
    assert policy.after_partial(engine, 16000, first) == ([], first.units)
    assert engine.asked == [(None, (16000, first))]
    assert not engine.confirmed_up_to


def test_two_pass_confirms_up_to_an_agreed_cut_and_shows_what_follows_it():
    engine, policy = Engine(cut=8000), TwoPass()  # 0.5 s: after the third character
    first, second = hypothesis("引才要"), hypothesis("引才要筛用")
    policy.after_partial(engine, 16000, first)
    confirmed, still_open = policy.after_partial(engine, 24000, second)
    assert engine.asked[-1] == ((16000, first), (24000, second))
    assert engine.confirmed_up_to == [8000]
    assert [s.text for s in confirmed] == ["second pass"]
    assert text(still_open) == "筛用"  # the units that begin after the cut


def test_the_end_is_decoded_by_beam_search_in_two_pass_and_greedily_by_agreement():
    assert TwoPass().final_settings(BEAM, GREEDY) is BEAM
    assert AgreementAlone().final_settings(BEAM, GREEDY) is GREEDY


def test_agreement_confirms_what_two_partials_agree_on_and_holds_it_as_the_prefix():
    engine, policy = Engine(), AgreementAlone()
    assert policy.after_partial(engine, 16000, hypothesis("南越坑伦")) == (
        [],
        hypothesis("南越坑伦").units,
    )
    confirmed, still_open = policy.after_partial(engine, 24000, hypothesis("南越昆仑山"))
    assert [s.text for s in confirmed] == ["南越"]
    assert text(still_open) == "昆仑山"
    assert text(policy.held) == "南越"  # later decodes are forced to begin with it
    assert not engine.retired and not engine.asked  # no second pass, no cut


def test_agreement_lets_go_of_held_text_where_it_ends_a_whisper_segment():
    engine, policy = Engine(), AgreementAlone()
    policy.after_partial(engine, 16000, hypothesis("引才要筛用"))
    confirmed, _ = policy.after_partial(engine, 24000, hypothesis("引才要筛用才", [(5, 1.0)]))
    assert [s.text for s in confirmed] == ["引才要筛用"]
    assert engine.retired == [("引才要筛用", 16000)]  # its audio (to 1.0 s) is done with
    assert policy.held == []


def test_agreement_keeps_holding_text_if_the_utterance_begins_after_its_segment_end():
    engine, policy = Engine(begins=32000), AgreementAlone()
    policy.after_partial(engine, 40000, hypothesis("引才要"))
    policy.after_partial(engine, 48000, hypothesis("引才要筛", [(3, 1.0)]))
    assert not engine.retired
    assert text(policy.held) == "引才要"


def test_each_utterance_gets_a_policy_that_remembers_nothing_of_the_last():
    for make in POLICIES.values():
        engine, used = Engine(cut=8000), make()
        used.after_partial(engine, 16000, hypothesis("一二三"))
        used.after_partial(engine, 24000, hypothesis("一二三四"))
        fresh = make()
        assert fresh.held == []
        confirmed, _ = fresh.after_partial(engine, 32000, hypothesis("一二三四"))
        assert confirmed == []  # one partial is never enough
        if isinstance(fresh, TwoPass):
            assert engine.asked[-1][0] is None  # no earlier partial to agree with
