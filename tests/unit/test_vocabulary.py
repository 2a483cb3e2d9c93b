"""Custom vocabulary: the file format, replacement rules, and what both do to text."""

from __future__ import annotations

import pytest

from captioner.asr.engine_core import display_text
from captioner.text.script import Script
from captioner.text.vocabulary import (
    Replacement,
    Vocabulary,
    VocabularyError,
    VocabularyFixes,
    apply_replacements,
    parse_entries,
    read_vocabulary,
    vocabulary_prompt,
)


def test_terms_rules_comments_and_blank_lines():
    vocabulary = parse_entries(
        ["# names", "霍思燕", "", "  派森 =>  Python ", "霍思燕", "嗯 =>", "昆仑山"]
    )
    assert vocabulary.terms == ("霍思燕", "Python", "昆仑山")  # a rule's right side is a term
    assert vocabulary.replacements == (Replacement("派森", "Python"), Replacement("嗯", ""))


@pytest.mark.parametrize("entry", ["=> Python", "a => b => c"])
def test_a_malformed_rule_names_its_line(entry):
    with pytest.raises(VocabularyError, match="line 2"):
        parse_entries(["霍思燕", entry], source="words.txt")


def test_malformed_rules_in_the_settings_are_left_out_and_described():
    problems: list[str] = []
    vocabulary = parse_entries(["=> x", "霍思燕"], "recognition.vocabulary", problems)
    assert vocabulary.terms == ("霍思燕",)
    assert problems == ["recognition.vocabulary, line 1: a rule is 'wrong => right', not '=> x'."]


def test_longer_rules_win_whatever_their_order():
    rules = (Replacement("派森", "Python"), Replacement("派森语言", "Python 语言"))
    assert apply_replacements("我学派森语言和派森", rules) == "我学Python 语言和Python"


def test_rules_apply_to_shown_text_after_the_script_conversion():
    fixes = VocabularyFixes(Vocabulary(replacements=(Replacement("软件", "software"),)))
    assert display_text("這個軟件", Script.SIMPLIFIED, fixes) == "这个software"


def test_terms_are_put_right_by_sound_and_the_rules_have_the_last_word():
    fixes = VocabularyFixes(parse_entries(["达摩院", "打莫 => 达摩", "派森 => Python"]))
    assert fixes("欢迎体验打莫远推出的派森工具") == "欢迎体验达摩院推出的Python工具"
    # A rule whose wrong side a term would swallow still applies where the term does not.
    assert fixes("打莫") == "达摩"
    assert not Vocabulary()


def test_the_prompt_lists_the_terms():
    # Used only to decode again an utterance that has something like a term (engine).
    assert vocabulary_prompt(("霍思燕", "Python")) == "霍思燕、Python。"
    assert vocabulary_prompt(()) == ""


def test_files_in_utf8_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "words.txt"
    path.write_bytes("\ufeff霍思燕\r\n派森 => Python\r\n".encode())
    assert read_vocabulary(path) == Vocabulary(
        ("霍思燕", "Python"), (Replacement("派森", "Python"),)
    )


def test_unreadable_files_are_clear_errors(tmp_path):
    with pytest.raises(VocabularyError, match="does not exist"):
        read_vocabulary(tmp_path / "missing.txt")
    (tmp_path / "gbk.txt").write_bytes("霍思燕".encode("gbk"))
    with pytest.raises(VocabularyError, match="not UTF-8"):
        read_vocabulary(tmp_path / "gbk.txt")


def test_too_many_terms_is_an_error():
    with pytest.raises(VocabularyError, match="at most 200"):
        parse_entries([f"term{i}" for i in range(201)])
