"""Vocabulary terms put right by how they sound.

A recogniser that does not know a name writes other characters that sound the same: Whisper
base hears 达摩院 as 打莫远 and 霍思燕 as 或试验 or 或是愿. Biasing the decoder with the terms
(a prompt) fixes some of these but costs accuracy on everything else: nine terms took the
varied benchmark stream's CER from 0.193 to 0.239. Matching on the text instead
costs nothing where no term is said: a run of characters whose pinyin is a term's pinyin is
replaced by the term.

Pinyin is pypinyin's, read in context (银行 is yin hang), for the term and for the text. How
close is close enough (tones are ignored: the model gets them wrong as often as not):

* Each syllable may differ the way Mandarin speakers and the model commonly blur them:
  zh/z, ch/c, sh/s. (Blurring the nasal endings too, ang/an, made 供应量 into 供应链.)
* One syllable after the first may be only *near*: one inner letter more or less (yan/yuan),
  as in 或是愿 for 霍思燕.
* Only terms of three or more characters are matched. Two characters are too often a common
  word of the same sound (蔚来 and 未来; 上市 and 三十 once blurred): on 7,176 AISHELL-1
  sentences fifty meeting terms changed 325 of them when two-character terms took part. A
  two-character name needs a replacement rule for what the recogniser writes instead
  (章维 => 张伟).

Terms written in Latin letters (OKR, Kubernetes) are matched without regard to case and,
for short ones, spaces between letters ("o k r"). Other terms (mixed scripts, digits) are
left to replacement rules.

Some mistakes are further off (或思念 for 霍思燕: nian is not yan). :meth:`loosely_heard`
finds text with all syllables but one of a term, where the Whisper engine decodes once more
with the terms as a prompt, and :meth:`put_in` says whether to keep that decode.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from captioner.text.normalize import normalize_for_scoring

SHORTEST = 3  # Chinese terms with fewer characters are not matched by sound (see above)
SPACED_LETTERS_UP_TO = 5  # Latin terms this short also match with spaces between letters
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[ .+#-][A-Za-z0-9]+)*[+#]*")

Pronounce = Callable[[str], list[str]]  # one syllable per character of a Chinese run


def normalise(syllable: str) -> str:
    """A toneless syllable with the blurred initials merged (zh -> z)."""
    plain = syllable.lower()
    for long, short in _FUZZY_INITIALS:
        if plain.startswith(long):
            plain = short + plain[len(long) :]
            break
    return plain


def near(heard: str, term: str) -> bool:
    """Two normalised syllables one inner letter apart, such as a medial u or i dropped or
    added (yan / yuan, jan / jian); not a different vowel (mo / ma) or ending (li / liu)."""
    if abs(len(heard) - len(term)) != 1 or heard[0] != term[0] or heard[-1] != term[-1]:
        return False
    shorter, longer = sorted((heard, term), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(1, len(longer) - 1))


def pypinyin_syllables(run: str) -> list[str]:
    """One syllable per character of a run of Chinese characters, read in context. A
    character pypinyin has no reading for comes back as itself, so it matches only itself
    (the callers still check the count: pypinyin's errors="default" may join such
    characters)."""
    from pypinyin import Style, lazy_pinyin  # 0.3 s and ~55 MB: only with Chinese terms

    return lazy_pinyin(run, style=Style.NORMAL)


@dataclass(frozen=True)
class _HanTerm:
    text: str
    syllables: tuple[str, ...]  # normalised


class SoundAlikeTerms:
    """Puts vocabulary terms into text where something that sounds like them was written."""

    def __init__(self, terms: Iterable[str], pronounce: Pronounce = pypinyin_syllables) -> None:
        self._pronounce = pronounce
        self._han: list[_HanTerm] = []
        self._by_first: dict[str, list[_HanTerm]] = {}
        latin: list[str] = []
        for term in terms:
            if _HAN.fullmatch(term) and len(term) >= SHORTEST:
                syllables = tuple(normalise(s) for s in pronounce(term))
                if len(syllables) == len(term):  # else a character without a known reading
                    self._han.append(_HanTerm(term, syllables))
            elif _LATIN_TERM.fullmatch(term):
                latin.append(term)
        for han in self._han:
            self._by_first.setdefault(han.syllables[0], []).append(han)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda t: -len(t.text))  # the longest term wins
        self._latin = [(_latin_pattern(term), term) for term in latin]

    def __bool__(self) -> bool:
        return bool(self._by_first or self._latin)

    def correct(self, text: str) -> str:
        if self._by_first:
            text = _HAN.sub(lambda run: self._correct_run(run.group()), text)
        for pattern, term in self._latin:
            text = pattern.sub(term, text)
        return text

    def loosely_heard(self, text: str) -> list[str]:
        """Terms not in ``text`` that it has something like, all syllables but one the
        same (或思念 for 霍思燕): where a decode that knows the terms may put them right."""
        found: list[str] = []
        for run in _HAN.findall(text):
            heard = [normalise(s) for s in self._pronounce(run)]
            if len(heard) != len(run):
                continue
            for term in self._han:
                n = len(term.syllables)
                if term.text in found or term.text in text:
                    continue
                if any(
                    sum(a != b for a, b in zip(heard[i : i + n], term.syllables, strict=True)) <= 1
                    for i in range(len(heard) - n + 1)
                ):
                    found.append(term.text)
        return found

    def put_in(self, before: str, after: str, candidates: list[str]) -> str | None:
        """The candidate term that ``after`` (a decode that knew the terms) has and
        ``before`` lacks, if little else changed: besides the term, at most two characters
        and one in ten (punctuation and spaces aside). None when it changed more."""
        before, after = normalize_for_scoring(before), normalize_for_scoring(after)
        for term in candidates:
            if term in after and term not in before:
                opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
                changed = sum(
                    max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"
                )
                if changed <= len(term) + 2 + len(before) // 10:
                    return term
        return None

    def _correct_run(self, run: str) -> str:
        if len(run) < SHORTEST:
            return run
        heard = [normalise(s) for s in self._pronounce(run)]
        if len(heard) != len(run):  # a character without a known reading: left as it is
            return run
        out: list[str] = []
        i = 0
        while i < len(run):
            term = self._term_at(heard, i)
            out.append(term.text if term else run[i])
            i += len(term.text) if term else 1
        return "".join(out)

    def _term_at(self, heard: list[str], i: int) -> _HanTerm | None:
        for term in self._by_first.get(heard[i], ()):
            window = heard[i : i + len(term.syllables)]
            if len(window) == len(term.syllables) and _sounds_like(window, term.syllables):
                return term
        return None


def _sounds_like(heard: list[str], term: tuple[str, ...]) -> bool:
    """Whether syllables heard match a term's: all equal but at most one near one after the
    first (the first already matched)."""
    near_left = 1
    for said, wanted in zip(heard[1:], term[1:], strict=True):
        if said == wanted:
            continue
        if near_left and near(said, wanted):
            near_left -= 1
            continue
        return False
    return True


def _latin_pattern(term: str) -> re.Pattern[str]:
    letters = [re.escape(c) for c in term if not c.isspace()]
    body = r"\s*".join(letters) if len(letters) <= SPACED_LETTERS_UP_TO else re.escape(term)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)
