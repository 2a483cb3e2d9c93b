import pytest

from captioner.text.normalize import normalize_for_scoring, open_ending, tidy_chinese
from captioner.text.script import Script, convert_script
from captioner.transcript.metrics import character_error_rate, edit_distance, summarize


def test_traditional_becomes_simplified_by_default_choice():
    assert (
        convert_script("隱才要摔，用才也要摔。與西藏", Script.SIMPLIFIED)
        == "隐才要摔，用才也要摔。与西藏"
    )


def test_simplified_becomes_traditional():
    assert convert_script("与西藏接壤", "traditional") == "與西藏接壤"


def test_original_keeps_what_was_recognised():
    assert convert_script("與西藏", Script.ORIGINAL) == "與西藏"


def test_unknown_script_is_a_clear_error():
    with pytest.raises(ValueError, match="simplified"):
        Script.parse("klingon")


def test_tidy_uses_full_width_punctuation_after_chinese_only():
    assert (
        tidy_chinese("你好,世界?  好的 hello, world 3,000")
        == "你好，世界？ 好的 hello, world 3,000"
    )


def test_scoring_ignores_script_punctuation_case_and_spaces():
    assert normalize_for_scoring("與西藏 接壤，Hello!") == "与西藏接壤hello"


def test_edit_distance_and_cer():
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3
    assert character_error_rate("南越昆仑山", "南越昆仑山与西藏") == pytest.approx(3 / 8)
    assert character_error_rate("與西藏", "与西藏") == 0.0


def test_summarize():
    assert summarize([1.0, 2.0, 3.0]) == {"median": 2.0, "p90": 2.8, "max": 3.0}
    assert summarize([]) == {"median": None, "p90": None, "max": None}


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("包裹著", "包裹着"),
        ("他看著我", "他看着我"),
        ("隨著時間", "随着时间"),
        ("著急", "着急"),
        ("意味著", "意味着"),
        ("著名的著作", "著名的著作"),  # the 著 of "famous" and "written work" stays
        ("顯著", "显著"),
        ("他的專著和原著", "他的专著和原著"),
        ("土著居民", "土著居民"),
    ],
)
def test_the_particle_zhe_is_simplified_and_works_stay_works(traditional, simplified):
    assert convert_script(traditional, Script.SIMPLIFIED) == simplified


def test_simplified_text_passes_through_unchanged():
    text = "我认为跑步最重要的就是给我带来了身体健康，看着著名的软件"
    assert convert_script(text, Script.SIMPLIFIED) == text


@pytest.mark.parametrize(
    ("partial", "shown"),
    [
        ("就是说不处理。", "就是说不处理"),
        ("您好，", "您好"),
        ("好的，谢谢。 ", "好的，谢谢"),
        ("Hello", "Hello"),
    ],
)
def test_a_partial_does_not_end_in_punctuation_that_comes_and_goes(partial, shown):
    assert open_ending(partial) == shown
