"""Vocabulary terms put right by how they sound (captioner.text.sound_alike)."""

from __future__ import annotations

import json

import pytest

from captioner.text.sound_alike import SoundAlikeTerms, near, normalise
from tests.support.data import speech

# Fifty terms a meeting might list: names, companies, jargon (two-character ones included:
# they must not be matched by sound at all).
_MEETING_TERMS_TEXT = (
    "张伟 李娜 季度营收 供应链 Kubernetes 深度学习 OKR 王建国 达摩院 霍思燕 "
    "王芳 刘洋 陈静 杨帆 赵磊 周杰 吴敏 孙浩 马丽 朱军 "
    "阿里巴巴 腾讯 字节跳动 华为云 百度 拼多多 美团 京东 小米 蔚来 "
    "神经网络 大模型 强化学习 微服务 数据中台 用户增长 转化率 复盘 赋能 抓手 "
    "季度财报 毛利率 现金流 董事会 路演 尽职调查 并购 估值 融资 上市"
)
MEETING_TERMS = _MEETING_TERMS_TEXT.split(" ")


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("露背的或试验", "露背的霍思燕"),  # si heard as shi (AVX2 kernels, clip 20)
        ("露背的或是愿", "露背的霍思燕"),  # and yan as yuan, one near syllable (AVX-512)
        ("欢迎大家来体验打莫远推出的模型", "欢迎大家来体验达摩院推出的模型"),  # varied stream
        ("我们的公营链出了问题", "我们的供应链出了问题"),
        ("这个季度营收不错", "这个季度营收不错"),  # already right: unchanged
    ],
)
def test_what_the_model_wrote_for_a_term_it_did_not_know(heard, meant):
    assert SoundAlikeTerms(MEETING_TERMS).correct(heard) == meant


def test_what_is_close_enough():
    assert normalise("zhi") == normalise("zi") == "zi"
    assert normalise("chuang") == "cuang" and normalise("shang") == "sang"
    assert near("yuan", "yan") and near("jian", "jan")
    assert not near("mo", "ma")  # another vowel
    assert not near("li", "liu") and not near("liang", "lian")  # another ending
    assert not near("yan", "yan") and not near("xing", "yuan")
    terms = SoundAlikeTerms(["霍思燕"])
    assert terms.correct("或是验") == "霍思燕"
    assert terms.correct("或是愿") == "霍思燕"  # one near syllable
    assert terms.correct("或虽愿") == "或虽愿"  # ... but not two (sui, yuan)
    assert terms.correct("是思燕") == "是思燕"  # and never the first


def test_two_character_terms_are_left_to_rules():
    # 蔚来 and 未来 are one sound; matching two characters would rewrite common words.
    terms = SoundAlikeTerms(["蔚来", "张伟"])
    assert terms.correct("未来几年章维会来") == "未来几年章维会来"
    assert not SoundAlikeTerms(["蔚来"])


def test_latin_terms_ignore_case_and_spaced_letters():
    terms = SoundAlikeTerms(["OKR", "Kubernetes", "C++"])
    assert terms.correct("我们的o k r和kubernetes集群") == "我们的OKR和Kubernetes集群"
    assert terms.correct("用c++写") == "用C++写"
    assert terms.correct("WORKROOM和k ubernetes") == "WORKROOM和k ubernetes"  # whole words only


def test_a_character_without_a_known_reading_matches_only_itself():
    # U+3402 is in CJK Extension A, and pypinyin's table has no reading for it.
    assert SoundAlikeTerms(["霍思燕"]).correct("或\u3402是愿") == "或\u3402是愿"
    assert SoundAlikeTerms(["霍\u3402燕"]).correct("或\u3402燕和或思燕") == "霍\u3402燕和或思燕"


def test_real_sentences_that_say_no_term_are_left_alone():
    # 7,176 AISHELL-1 test sentences (news, 104,765 characters). With the nasal endings
    # blurred too (ang/an) and any one syllable near, these terms changed 325 of them.
    path = speech("zh_aishell1/aishell1_test_transcripts_7176.jsonl")
    sentences = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    assert len(sentences) == 7176
    terms = SoundAlikeTerms(MEETING_TERMS)
    changed = [(s, terms.correct(s)) for s in sentences if terms.correct(s) != s]
    assert changed == []


def test_the_benchmark_references_are_left_alone():
    # Both benchmark streams' own texts, 达摩院 included, with the terms listed.
    terms = SoundAlikeTerms(MEETING_TERMS)
    for folder in ("zh_varied", "zh_biaobei_csmsc"):
        index = speech("index.tsv").read_text("utf-8").splitlines()
        texts = [row.split("\t")[4] for row in index if row.startswith(folder + "\t")]
        assert texts
        assert [t for t in texts if terms.correct(t) != t] == []


def test_loosely_heard_terms_and_a_decode_that_puts_one_in():
    terms = SoundAlikeTerms(MEETING_TERMS)
    # All syllables but one: worth decoding again with the terms (huo si nian / huo si yan).
    assert terms.loosely_heard("或思念露背秀辱高") == ["霍思燕"]
    assert terms.loosely_heard("霍思燕露背") == []  # already there
    assert terms.loosely_heard("今天天气很好") == []
    # That decode is kept only where it changed little besides the term: what it gave for
    # clip 20 (two characters besides the term; punctuation and spaces do not count) ...
    before, after = "或思念露背秀辱高 性感热火", "霍思燕露被秀辱高,性感惹火。"
    assert terms.put_in(before, after, ["霍思燕"]) == "霍思燕"
    # ... but not one that says something else.
    assert terms.put_in(before, "霍思燕露被秀乳沟，很性感吧", ["霍思燕"]) is None
    assert terms.put_in("或思念露背", "或思念露背", ["霍思燕"]) is None


def test_how_often_real_sentences_would_be_decoded_again():
    # Each sentence with a loose match costs one more second pass (not a wrong word: the
    # decode with the terms must put one in and change little else). With ten terms, 53 of
    # 7,176 AISHELL-1 sentences (0.7 %); with fifty, 268 (3.7 %).
    path = speech("zh_aishell1/aishell1_test_transcripts_7176.jsonl")
    sentences = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    ten = SoundAlikeTerms(MEETING_TERMS[:10])
    assert sum(1 for s in sentences if ten.loosely_heard(s)) < 0.01 * len(sentences)
