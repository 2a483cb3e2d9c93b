"""The command line's words in the user's language (the system's): Qt translations, as the
app's, from the same captioner/translations/*.qm (context "cli").

The CLI may run before (or without) a QCoreApplication, so it asks its QTranslator
directly; ``translate("cli", "...")`` is the call PySide6's lupdate extracts.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QTranslator

from captioner.ui import i18n


@cache
def _translator() -> QTranslator | None:
    translators = i18n.load_translators(i18n.interface_language("system"))
    return translators[0] if translators else None


def translate(context: str, text: str) -> str:
    translator = _translator()
    return (translator.translate(context, text) if translator is not None else "") or text
