"""Spoken languages Captioner can be asked for: Whisper's language codes, or ``auto``.

Checked before anything loads, so ``--language xx`` (or a settings file that says so) is a
one-line message, not a failure deep inside the model. The list is Whisper's own
(faster-whisper's tokenizer; tests/unit/test_languages.py keeps the two equal).
"""

from __future__ import annotations

from captioner.errors import CaptionerError
from captioner.i18n import translate

AUTO = "auto"  # let the model detect the language

WHISPER_LANGUAGES: tuple[str, ...] = (
    "af",
    "am",
    "ar",
    "as",
    "az",
    "ba",
    "be",
    "bg",
    "bn",
    "bo",
    "br",
    "bs",
    "ca",
    "cs",
    "cy",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "eu",
    "fa",
    "fi",
    "fo",
    "fr",
    "gl",
    "gu",
    "ha",
    "haw",
    "he",
    "hi",
    "hr",
    "ht",
    "hu",
    "hy",
    "id",
    "is",
    "it",
    "ja",
    "jw",
    "ka",
    "kk",
    "km",
    "kn",
    "ko",
    "la",
    "lb",
    "ln",
    "lo",
    "lt",
    "lv",
    "mg",
    "mi",
    "mk",
    "ml",
    "mn",
    "mr",
    "ms",
    "mt",
    "my",
    "ne",
    "nl",
    "nn",
    "no",
    "oc",
    "pa",
    "pl",
    "ps",
    "pt",
    "ro",
    "ru",
    "sa",
    "sd",
    "si",
    "sk",
    "sl",
    "sn",
    "so",
    "sq",
    "sr",
    "su",
    "sv",
    "sw",
    "ta",
    "te",
    "tg",
    "th",
    "tk",
    "tl",
    "tr",
    "tt",
    "uk",
    "ur",
    "uz",
    "vi",
    "yi",
    "yo",
    "zh",
    "yue",
)


def parse_language(code: str) -> str | None:
    """The language code to recognise (``None``: detect it); CaptionerError if unknown."""
    normalized = code.strip().lower()
    if normalized == AUTO:
        return None
    if normalized not in WHISPER_LANGUAGES:
        raise CaptionerError(
            translate(
                "text",
                "Unknown language {code!r}: use a language code such as zh, yue, en or ja "
                "(one of {count} that Whisper knows), or auto to detect it.",
            ).format(code=code, count=len(WHISPER_LANGUAGES))
        )
    return normalized
