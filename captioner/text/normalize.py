"""Text normalisation: comparing transcripts, and tidying recogniser output for display."""

from __future__ import annotations

import re
import unicodedata

from captioner.text.script import Script, convert_script

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_HALF_TO_FULL = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"}
_HALF_PUNCT_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])([,?!:;])(?!\d)")
_SPACES = re.compile(r"\s+")


def is_cjk(char: str) -> bool:
    return re.fullmatch(f"[{_CJK}]", char) is not None


def tidy_chinese(text: str) -> str:
    """Full-width punctuation after Chinese characters, single spaces between phrases."""
    text = _HALF_PUNCT_AFTER_CJK.sub(lambda m: _HALF_TO_FULL[m.group(1)], text)
    return _SPACES.sub(" ", text).strip()


_OPEN_ENDING = "。，、；：,;:"


def open_ending(partial: str) -> str:
    """A partial without the sentence or clause punctuation it ends in: still-changing text
    whose "。" would vanish or move with the next word."""
    return partial.rstrip().rstrip(_OPEN_ENDING).rstrip()


def normalize_for_scoring(text: str) -> str:
    """Simplified, lower-case, no punctuation, symbols or spaces: the text CER is computed on."""
    text = convert_script(text, Script.SIMPLIFIED)
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")


def segment_separator(before: str, after: str) -> str:
    """What goes between two pieces of confirmed text so they stay readable: a space
    between Latin words, and between Chinese segments that do not end in punctuation."""
    if not before or not after or before[-1].isspace() or after[0].isspace():
        return ""
    punctuation = (unicodedata.category(c).startswith("P") for c in (before[-1], after[0]))
    return "" if any(punctuation) else " "


def join_segments(before: str, after: str) -> str:
    return before + segment_separator(before, after) + after
