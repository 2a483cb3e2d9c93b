from captioner.asr.whisper.hallucination import HallucinationFilter

f = HallucinationFilter()


def test_subtitle_credits_are_dropped_even_when_confident():
    assert f.is_hallucination("字幕由Amara.org社群提供", no_speech_prob=0.01, avg_logprob=-0.2)
    assert f.is_hallucination("请不吝点赞 订阅 转发 打赏支持明镜与点点栏目", 0.0, -0.1)
    assert f.is_hallucination("（字幕製作：貝爾）", 0.0, -0.1)


def test_sign_offs_are_dropped_only_when_the_model_doubts_there_was_speech():
    assert f.is_hallucination("谢谢观看", no_speech_prob=0.5, avg_logprob=-0.3)
    assert f.is_hallucination("Thank you for watching!", no_speech_prob=0.1, avg_logprob=-1.4)
    assert not f.is_hallucination("谢谢观看", no_speech_prob=0.05, avg_logprob=-0.2)


def test_whisper_no_speech_rule():
    assert f.is_hallucination("我回右哼哼", no_speech_prob=0.8, avg_logprob=-1.2)
    assert not f.is_hallucination("我回右哼哼", no_speech_prob=0.8, avg_logprob=-0.3)


def test_real_speech_is_kept():
    assert not f.is_hallucination("引才要筛，用才也要筛。", 0.05, -0.4)
    assert not f.is_hallucination("谢谢大家今天来参加会议", 0.4, -0.5)


def test_empty_text_counts_as_nothing_heard():
    assert f.is_hallucination("  。 ", 0.0, 0.0)


def test_more_text_than_could_be_spoken_is_a_loop():
    assert f.is_hallucination("1111111111111111", 0.01, -0.3, units=16, speech_seconds=0.5)
    assert not f.is_hallucination("温凯兰防乳", 0.01, -0.3, units=5, speech_seconds=0.5)
    assert not f.is_hallucination(
        "引才要筛，用才也要筛。", 0.01, -0.3, units=11, speech_seconds=2.8
    )
