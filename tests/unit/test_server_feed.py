"""What the feed tells clients about the transcript, as pure logic: numbering, repeats,
what hello replays, and when a state is worth sending."""

from __future__ import annotations

from dataclasses import replace

from captioner.server.feed import Feed
from captioner.server.protocol import ClearMessage, PipelineState, StateMessage
from captioner.transcript.events import TranscriptEvent

LISTENING = PipelineState("listening", "whisper", "base", "zh")


def event(kind: str, text: str, source: str | None = None) -> TranscriptEvent:
    return TranscriptEvent(0.0, kind, text, 1.23456, 2.5, source)


def test_partials_are_numbered_and_a_repeat_is_not_sent_again():
    feed = Feed(LISTENING, history=50, state_interval_s=1.0)
    first = feed.partial(event("partial", "曼萨"))
    assert first is not None and (first.seq, first.start) == (1, 1.235)
    assert feed.partial(event("partial", "曼萨")) is None
    # The same text from the other side is news.
    assert feed.partial(event("partial", "曼萨", "Others")) is not None
    cleared = feed.partial(event("partial", ""))
    assert cleared is not None and cleared.seq == 3 and feed.partials == 3


def test_finals_are_numbered_and_hello_replays_the_last_ones_and_the_partial():
    feed = Feed(LISTENING, history=2, state_interval_s=1.0)
    assert feed.final(event("final", ""), wall=5.0) is None  # nothing confirmed
    for text in ("假语村言", "别再拥抱我", "曼萨尼约港口被关闭"):
        feed.final(event("final", text), wall=5.0)
    feed.partial(event("partial", "有关"))
    hello = feed.hello("0.1.0", "s", "open", 9.0)
    assert [(s.id, s.text) for s in hello.segments] == [
        (2, "别再拥抱我"),
        (3, "曼萨尼约港口被关闭"),
    ]
    assert hello.partial is not None and hello.partial.text == "有关"
    assert hello.state == LISTENING and feed.finals == 3
    feed.partial(event("partial", ""))
    assert feed.hello("0.1.0", "s", "open", 9.0).partial is None  # an empty partial is none


def test_after_a_reset_hello_replays_nothing_and_ids_go_on():
    feed = Feed(LISTENING, history=50, state_interval_s=1.0)
    feed.final(event("final", "一"), wall=0.0)
    feed.partial(event("partial", "二"))
    assert feed.clear() == ClearMessage()
    hello = feed.hello("0.1.0", "s", "token", 0.0)
    assert hello.segments == () and hello.partial is None
    final = feed.final(event("final", "三"), wall=0.0)
    assert final is not None and final.id == 2


def test_states_are_sent_as_the_shared_status_rule_says():
    feed = Feed(LISTENING, history=50, state_interval_s=1.0)
    assert feed.pipeline(LISTENING, 0.0) is None  # what hello showed counts as sent
    assert feed.pipeline(replace(LISTENING, lag_s=0.1), 0.0) is None  # too small a move
    moved = feed.pipeline(replace(LISTENING, lag_s=0.5), 0.0)
    assert moved == StateMessage(replace(LISTENING, lag_s=0.5))
    assert feed.pipeline(replace(LISTENING, lag_s=1.5), 0.5) is None  # within the interval
    assert feed.pipeline(replace(LISTENING, lag_s=1.5), 1.0) is not None
    lost = replace(LISTENING, lag_s=1.5, dropped_s=2.0)
    assert feed.pipeline(lost, 1.1) == StateMessage(lost)  # what it shows changed: at once
    assert feed.pipeline(replace(lost, state="idle"), 1.2) is not None
    assert feed.state.state == "idle" and feed.max_lag_s == 1.5


def test_a_translation_refers_to_its_final_by_the_feeds_id_and_hello_replays_it():
    feed = Feed(LISTENING, history=2, state_interval_s=1.0)
    # The pipeline numbers its finals from its start; this server started after final 6.
    for number, text in ((7, "曼萨尼约港口被关闭"), (8, "有关能否改控串谋")):
        feed.final(replace(event("final", text), final=number), wall=5.0)
    translated = replace(event("translation", "The port was closed."), lang="en", final=7)
    message = feed.translation(translated)
    assert message is not None and (message.id, message.lang) == (1, "en")
    assert feed.translation(replace(translated, final=6)) is None  # before this server
    hello = feed.hello("0.1.0", "s", "open", 9.0)
    assert [(t.id, t.text) for t in hello.translations] == [(1, "The port was closed.")]
    feed.final(replace(event("final", "下一句"), final=9), wall=6.0)
    feed.final(replace(event("final", "再下一句"), final=10), wall=6.0)
    assert feed.hello("0.1.0", "s", "open", 9.0).translations == ()  # its final aged out
