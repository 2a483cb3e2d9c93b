"""The interface in another language for one test, as the app installs it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def chinese_interface() -> Iterator[None]:
    """Simplified Chinese, for Qt code and the modules below it; English again afterwards,
    so the tests after this one read English. Needs a QCoreApplication (``qapp``)."""
    from PySide6.QtCore import QCoreApplication

    import captioner.i18n
    from captioner.ui import i18n

    translators = i18n.install("zh_CN")
    assert translators, "the zh_CN translation did not load"
    try:
        yield
    finally:
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
        captioner.i18n.install_translator(None)
