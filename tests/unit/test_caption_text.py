from captioner.text.normalize import join_segments
from captioner.ui.caption_text import CaptionText


def test_confirmed_segments_accumulate_and_the_partial_follows():
    c = CaptionText(clear_after_s=8)
    c.add_confirmed("你好世界", now=0)
    c.set_partial("今天", now=1)
    shown = c.visible(now=1.5)
    assert shown.confirmed == "你好世界 " and shown.partial == "今天"
    c.add_confirmed("今天天气好。", now=2)
    c.set_partial("", now=2)
    assert c.visible(now=2).confirmed == "你好世界 今天天气好。"


def test_nothing_stale_stays_after_a_silence():
    c = CaptionText(clear_after_s=5)
    c.add_confirmed("第一句。", now=0)
    assert c.visible(now=4.9).confirmed
    assert c.visible(now=5.1).empty
    c.add_confirmed(" 第二句", now=6)  # after a clear, old text does not come back
    assert c.visible(now=6).confirmed == "第二句"


def test_zero_means_never_clear():
    c = CaptionText(clear_after_s=0)
    c.add_confirmed("一直在", now=0)
    assert c.visible(now=10_000).confirmed == "一直在"


def test_confirmed_only_hides_the_partial():
    c = CaptionText(confirmed_only=True)
    c.add_confirmed("确认", now=0)
    c.set_partial("还在变", now=0)
    assert c.visible(now=0).partial == ""


def test_segments_join_readably():
    assert join_segments("你好。", "世界") == "你好。世界"
    assert join_segments("你好", "世界") == "你好 世界"
    assert join_segments(" it was", " the first") == " it was the first"
    assert join_segments("", "世界") == "世界"


def test_a_translation_goes_under_its_line_even_after_the_next_partial_began():
    c = CaptionText(clear_after_s=8, translating=True)
    c.add_confirmed("你好世界", now=0, final=1)
    c.set_partial("今天", now=0.5)
    shown = c.visible(now=0.6)
    assert [line.text for line in shown.lines] == ["你好世界"] and shown.partial == "今天"
    assert shown.lines[0].translation == ""  # not yet
    c.add_confirmed("今天天气好。", now=1, final=2)
    assert c.add_translation(1, "Hello\n world", now=1.5)
    assert not c.add_translation(7, "not shown", now=1.5)
    c.set_partial("明天", now=1.6)
    shown = c.visible(now=2)
    assert [(line.text, line.translation) for line in shown.lines] == [
        ("你好世界", "Hello world"),
        ("今天天气好。", ""),
    ]
    assert shown.partial == "明天"


def test_a_translation_keeps_its_line_up_for_reading_but_never_brings_back_a_cleared_one():
    c = CaptionText(clear_after_s=5, translating=True)
    c.add_confirmed("第一句。", now=0, final=1)
    assert c.add_translation(1, "The first.", now=4)
    assert c.visible(now=8).lines[0].translation == "The first."  # 5 s from the translation
    assert c.visible(now=9.1).empty
    assert not c.add_translation(1, "late", now=9.5)
    assert c.visible(now=9.5).empty


def test_without_translations_the_confirmed_text_flows_as_before():
    c = CaptionText(clear_after_s=8)
    c.add_confirmed("你好世界", now=0, final=1)
    c.add_confirmed("今天天气好。", now=1, final=2)
    assert c.visible(now=1).lines == ()
    c.add_translation(2, "The weather is fine today.", now=1.5)  # one arrives all the same
    assert [line.translation for line in c.visible(now=2).lines] == [
        "",
        "The weather is fine today.",
    ]
