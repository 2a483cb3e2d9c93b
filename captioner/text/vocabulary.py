"""Custom vocabulary: terms the recogniser should know, and replacement rules for its text.

Meetings and lectures are full of names and jargon that a general model writes wrongly.
A vocabulary file has one entry per line::

    # comments and blank lines are ignored
    霍思燕                  a term: recognition is biased towards it
    派森 => Python          a replacement rule: shown text has the right side instead

The terms are put into recognised text where something that sounds like them was written
(:mod:`captioner.text.sound_alike`), and FunASR also takes them as hotwords where the model
has them. The rules are plain text substitutions applied to what is shown and saved, as
Chinese push-to-talk tools offer, for mistakes the sound does not fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from captioner.errors import CaptionerError
from captioner.i18n import translate
from captioner.text.sound_alike import SoundAlikeTerms

ARROW = "=>"
MAX_TERMS = 200  # FunASR's hotword lists, and a list a person keeps by hand


@dataclass(frozen=True)
class Replacement:
    wrong: str
    right: str


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[str, ...] = ()
    replacements: tuple[Replacement, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.replacements)


class VocabularyError(CaptionerError):
    """A vocabulary entry that cannot be understood (the message names the line)."""


def parse_entries(
    lines: list[str], source: str = "vocabulary", problems: list[str] | None = None
) -> Vocabulary:
    """Terms and rules from entries as written in a file or in the settings list.

    A malformed entry raises :class:`VocabularyError`, or, when ``problems`` is given, is
    described there and left out (the settings file: the rest of the list still applies).
    """
    terms: list[str] = []
    replacements: list[Replacement] = []
    for number, line in enumerate(lines, start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if ARROW in entry:
            wrong, _, right = (part.strip() for part in entry.partition(ARROW))
            if not wrong or ARROW in right:
                problem = translate(
                    "text", "{source}, line {number}: a rule is 'wrong => right', not '{entry}'."
                ).format(source=source, number=number, entry=entry)
                if problems is None:
                    raise VocabularyError(problem)
                problems.append(problem)
                continue
            replacements.append(Replacement(wrong, right))
            if right and right not in terms:
                terms.append(right)  # the right form is a term too
        elif entry not in terms:
            terms.append(entry)
    if len(terms) > MAX_TERMS:
        raise VocabularyError(
            translate("text", "{source}: at most {most} terms, not {count}.").format(
                source=source, most=MAX_TERMS, count=len(terms)
            )
        )
    return Vocabulary(tuple(terms), tuple(replacements))


def read_vocabulary(path: Path) -> Vocabulary:
    """A vocabulary file (UTF-8, with or without a byte-order mark)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise VocabularyError(
            translate("text", "The vocabulary file {path} does not exist.").format(path=path)
        ) from None
    except UnicodeDecodeError:
        raise VocabularyError(
            translate("text", "The vocabulary file {path} is not UTF-8 text.").format(path=path)
        ) from None
    except OSError as error:
        raise VocabularyError(
            translate("text", "The vocabulary file {path} cannot be read: {error}").format(
                path=path, error=error
            )
        ) from None
    return parse_entries(text.splitlines(), source=str(path))


def apply_replacements(text: str, replacements: tuple[Replacement, ...]) -> str:
    """``text`` with each rule applied in turn; longer wrong forms first, so a rule for
    "派森语言" wins over one for "派森" whatever their order in the file."""
    for rule in sorted(replacements, key=lambda r: len(r.wrong), reverse=True):
        text = text.replace(rule.wrong, rule.right)
    return text


def vocabulary_prompt(terms: tuple[str, ...]) -> str:
    """Terms as a Whisper prompt: a list in the text's own punctuation, which the model reads
    as earlier speech that used them."""
    return "、".join(terms) + "。" if terms else ""


class VocabularyFixes:
    """What a vocabulary does to recognised text: terms put right by how they sound, then
    the user's rules (theirs is the last word)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.terms = SoundAlikeTerms(vocabulary.terms) if vocabulary.terms else None
        self.prompt = vocabulary_prompt(vocabulary.terms)
        self._rules = vocabulary.replacements

    def __call__(self, text: str) -> str:
        if self.terms:
            text = self.terms.correct(text)
        return apply_replacements(text, self._rules) if self._rules else text


def vocabulary_fixes(vocabulary: Vocabulary | None) -> VocabularyFixes | None:
    """The fixes of a vocabulary, or None when it is empty (text is then left alone)."""
    return VocabularyFixes(vocabulary) if vocabulary else None
