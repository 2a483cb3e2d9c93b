"""Telling a second pass that re-read its context from speech that really repeats."""

from __future__ import annotations

from captioner.asr.whisper.repeats import heard_after, shared_run, suspected_repeat

EARLIER = "欢迎大家来体验达摩院推出的语音识别模型。我认为跑步最重要的就是"


def test_the_longest_shared_run_ignores_punctuation_and_spaces():
    assert shared_run("欢迎大家，来体验大魔院", EARLIER) == "欢迎大家来体验"
    assert shared_run("Hello, World", "hello world!") == "helloworld"
    assert shared_run("", EARLIER) == ""


def test_a_sentence_confirmed_again_instead_of_the_utterance_is_suspected():
    # The case: the partial heard the new words, the second pass gave the old ones.
    run = suspected_repeat("欢迎大家来体验打莫远推出的语音识别模型", EARLIER, "给我带来了身体健康")
    assert run == "推出的语音识别模型"  # the longest run it shares with the earlier sentence


def test_speech_that_really_repeats_is_not_suspected():
    # "周一到周五" said twice (a livestream), and the partial heard it too.
    earlier = "周一到周五每天早晨七点半到九点半的直播片段"
    partial = "如果大家想听到更丰富更及时的直播内容记得在周一到周五"
    assert suspected_repeat(partial + "准时进入直播间", earlier, partial) is None


def test_short_common_words_are_not_a_repeat():
    assert suspected_repeat("我们在看电影", "我们在开会", "我们在看") is None


def test_after_a_cut_the_rest_is_vouched_for_only_by_what_the_partial_heard_after_the_piece():
    # A long utterance cut after 曼萨尼约港: the rest's second pass, which hears the piece as
    # context, wrote it again (seen in CI under load). The partial of the whole utterance
    # has the piece, so it vouched for the repeat; what it heard after the piece does not.
    partial = "曼萨尼约港口被关闭，有关能否改控"
    rest = heard_after(partial, "曼萨尼约港")
    assert rest == "口被关闭有关能否改控"
    assert suspected_repeat("曼萨尼约港一口被关闭有关能否改控", "曼萨尼约港", rest) == "曼萨尼约港"
    assert suspected_repeat("曼萨尼约港一口被关闭", "曼萨尼约港", partial) is None  # before
    assert heard_after("完全不同的话", "曼萨尼约港") == "完全不同的话"
