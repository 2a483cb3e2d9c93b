"""Screenshots of the interface in English and Simplified Chinese for the README.

    python docs/make_language_screenshots.py     # any platform; renders offscreen

Builds the real windows (settings dialog, the caption bar's first-run hint, the tray menu,
the download dialog's offline error) with each language's translation installed, as the app
does at start, and saves docs/language-<en|zh_CN>-<what>.png.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from captioner.control.listening import ListeningMode  # noqa: E402
from captioner.errors import ModelError  # noqa: E402
from captioner.settings import OverlaySettings, Settings  # noqa: E402
from captioner.ui import i18n  # noqa: E402
from captioner.ui.download_dialog import DownloadDialog  # noqa: E402
from captioner.ui.overlay import OverlayWindow  # noqa: E402
from captioner.ui.settings_dialog import SettingsDialog  # noqa: E402
from captioner.ui.tray import AppMenu  # noqa: E402

OFFLINE = (
    "Cannot download the model 'small': huggingface.co could not be reached (offline, or "
    "blocked). Connect to the internet, set a download mirror in Settings, or choose a "
    "CTranslate2 model folder."
)


def on_backdrop(widget: QWidget) -> QPixmap:
    """The translucent caption bar over a mid-grey backdrop, as it would sit on a desktop."""
    shot = widget.grab()
    out = QPixmap(shot.size())
    out.fill(QColor("#5b6670"))
    painter = QPainter(out)
    painter.drawPixmap(0, 0, shot)
    painter.end()
    return out


def shoot(language: str, app: QApplication) -> None:
    translators = i18n.install(language)
    try:
        settings = Settings()
        dialog = SettingsDialog(settings)
        dialog.tabs.setCurrentIndex(1)  # Recognition: only Whisper's fields
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(ROOT / "docs" / f"language-{language}-settings.png"))
        dialog.close()

        overlay = OverlayWindow(OverlaySettings(width=720))
        hint = QCoreApplication.translate("CaptionerApp", "Hold {keys} to talk")
        overlay.set_hint(hint.format(keys="Ctrl+Shift+Space"))
        overlay.show()
        app.processEvents()
        on_backdrop(overlay).save(str(ROOT / "docs" / f"language-{language}-first-run.png"))
        overlay.close()

        menu = AppMenu()
        menu.update_state(False, ListeningMode.HOLD, True, True)
        menu.menu.adjustSize()
        menu.menu.grab().save(str(ROOT / "docs" / f"language-{language}-menu.png"))

        def offline(progress: object, cancel: object) -> object:
            raise ModelError(OFFLINE)

        download = DownloadDialog("small", resolve=offline)
        download.start()
        while not download._failed:
            app.processEvents()
        download.grab().save(str(ROOT / "docs" / f"language-{language}-download.png"))
        download.close()
    finally:
        for translator in translators:
            QCoreApplication.removeTranslator(translator)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    for language in ("en", "zh_CN"):
        shoot(language, app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
