"""Where the caption bar goes on the screens there are now, and remembering where the user
put it on each (the pure rules are in captioner.ui.placement)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen

from captioner.settings import OverlaySettings
from captioner.ui.overlay import OverlayWindow
from captioner.ui.placement import Rect, ScreenInfo, place, remember, screen_containing, screen_key


def screens() -> tuple[list[ScreenInfo], ScreenInfo]:
    """All screens and the primary one, as the placement rules see them."""

    def info(screen: QScreen) -> ScreenInfo:
        g = screen.availableGeometry()
        size = screen.size()
        return ScreenInfo(
            screen_key(screen.name(), size.width(), size.height()),
            Rect(g.x(), g.y(), g.width(), g.height()),
        )

    primary = QGuiApplication.primaryScreen()
    return [info(s) for s in QGuiApplication.screens()], info(primary)


def place_overlay(overlay: OverlayWindow, style: OverlaySettings) -> None:
    """Put the overlay where it was last on an attached screen (pulled back on-screen)."""
    all_screens, primary = screens()
    rect, _ = place(
        style.positions, all_screens, primary, style.width, overlay.height_for_lines(style.lines)
    )
    overlay.setGeometry(QRect(rect.x, rect.y, rect.width, rect.height))


def remember_overlay(overlay: OverlayWindow, style: OverlaySettings, geometry: QRect) -> None:
    """Record in ``style`` where the user moved or resized the overlay, for its screen."""
    rect = Rect(geometry.x(), geometry.y(), geometry.width(), geometry.height())
    all_screens, primary = screens()
    screen = screen_containing(rect, all_screens) or primary
    style.positions = remember(style.positions, screen, rect)
    style.width = rect.width
    style.lines = overlay.visible_lines()
