"""Words written below the interface, in the user's language.

Errors and notices come from modules that know nothing of Qt (audio, recognition, text,
transcripts, settings), yet users read them on the caption bar and in the terminal. Those
modules call :func:`translate` from here with a context and an English template, and format
the result. The interface installs Qt's translation at start (:func:`install_translator`), so
these strings live in the same ``captioner/translations/*.ts`` as the rest: PySide6's lupdate
extracts every ``translate("context", "text")`` call. Without an interface (unit tests,
scripts), the English source is used.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str], str]


def _english(context: str, text: str) -> str:
    return text


_translator: Translator = _english


def translate(context: str, text: str) -> str:
    """``text`` (an English template) in the interface's language; format it afterwards."""
    return _translator(context, text) or text


def install_translator(translator: Translator | None) -> None:
    """Use ``translator`` (e.g. ``QCoreApplication.translate``) from now on; None: English."""
    global _translator
    _translator = translator or _english
