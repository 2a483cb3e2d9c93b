"""The interface's language: English (the source strings) or Simplified Chinese.

Translations are Qt's own: strings go through ``tr()`` / ``QCoreApplication.translate()``,
``captioner/translations/*.ts`` are their sources (``packaging/translations.py update``
runs PySide6's lupdate, ``compile`` its lrelease), and the compiled ``.qm`` files ship as
package data and in the bundle. The choice follows the system language unless Settings say
otherwise; it takes effect when the app starts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import captioner.i18n

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
TRANSLATED = ("zh_CN",)  # the languages with a .qm, besides English


def interface_language(choice: str, system: QLocale | None = None) -> str:
    """``en`` or one of TRANSLATED, for a settings choice ("system", "en", "zh_CN")."""
    if choice != "system":
        return choice if choice in TRANSLATED else "en"
    for name in (system or QLocale.system()).uiLanguages():
        if name.lower().startswith("zh"):
            return "zh_CN"
        if name.lower().startswith("en"):
            return "en"
    return "en"


def load_translators(language: str) -> list[QTranslator]:
    """Captioner's translation for ``language`` and Qt's own (standard buttons, dialogs),
    where they exist; nothing for English."""
    if language not in TRANSLATED:
        return []
    translators = []
    own = QTranslator()
    if own.load(str(TRANSLATIONS / f"captioner_{language}.qm")):
        translators.append(own)
    qt = QTranslator()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", qt_folder):
        translators.append(qt)
    return translators


def install(language: str) -> list[QTranslator]:
    """Install the translators on the running application; keep the result alive."""
    translators = load_translators(language)
    for translator in translators:
        QCoreApplication.installTranslator(translator)
    # The modules below Qt (audio, recognition, settings …) ask captioner.i18n for their words.
    captioner.i18n.install_translator(QCoreApplication.translate)
    return translators
