from captioner.asr.whisper.agreement import LocalAgreement, Unit, agreed_prefix, split_units


def units(text: str) -> list[Unit]:
    return [Unit(u) for u in split_units(text)]


def test_chinese_splits_into_characters():
    assert split_units("南越昆仑山。") == ["南", "越", "昆", "仑", "山", "。"]


def test_english_splits_into_words_keeping_spaces():
    assert split_units(" the quick brown") == [" the", " quick", " brown"]
    assert "".join(split_units(" the quick brown")) == " the quick brown"


def test_mixed_text_keeps_latin_words_whole():
    assert split_units("我用Python写代码") == ["我", "用", "Python", "写", "代", "码"]


def test_agreement_commits_the_common_prefix_of_two_hypotheses():
    la = LocalAgreement(2)
    assert la.insert(units("引才要")) == []
    committed = la.insert(units("引才要筛用"))
    assert "".join(u.text for u in committed) == "引才要"
    # The next hypothesis continues after the committed text.
    committed = la.insert(units("筛用才"))
    assert "".join(u.text for u in committed) == "筛用"


def test_agreement_stops_at_the_first_disagreement_in_chinese():
    la = LocalAgreement(2)
    la.insert(units("南越坑伦山"))
    committed = la.insert(units("南越昆仑山"))
    assert "".join(u.text for u in committed) == "南越"


def test_agreement_ignores_width_and_case_differences():
    assert agreed_prefix(units("好,的"), units("好，的")) == 3
    assert agreed_prefix(units(" Hello world"), units(" hello world")) == 2


def test_english_agreement_is_word_by_word():
    la = LocalAgreement(2)
    la.insert(units(" it was the first great"))
    committed = la.insert(units(" it was the first grey"))
    assert "".join(u.text for u in committed) == " it was the first"


def test_agreement_of_three_needs_all_three():
    la = LocalAgreement(3)
    la.insert(units("一二三"))
    assert la.insert(units("一二三四")) == []
    committed = la.insert(units("一二五"))
    assert "".join(u.text for u in committed) == "一二"


def test_commit_false_remembers_without_confirming():
    la = LocalAgreement(2)
    la.insert(units("你好世界"), commit=False)
    assert la.insert(units("你好世界啊"), commit=False) == []
    committed = la.insert(units("你好世界啊"))
    assert "".join(u.text for u in committed) == "你好世界啊"
