"""Where the overlay goes: remembered per screen, pulled back on-screen (pure logic).

Positions are stored relative to each screen's available area, in Qt's device-independent
pixels, so they survive monitors being rearranged and mixed DPI scaling.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class ScreenInfo:
    key: str  # stable name: model and size, e.g. "DELL U2720Q 2560x1440"
    area: Rect  # available geometry (without taskbars), device-independent pixels


def screen_key(name: str, width: int, height: int) -> str:
    return f"{name} {width}x{height}"


def default_rect(screen: ScreenInfo, width: int, height: int) -> Rect:
    """Centred near the bottom, where subtitles usually are."""
    area = screen.area
    width = min(width, area.width)
    height = min(height, area.height)
    x = area.x + (area.width - width) // 2
    y = area.y + area.height - height - max(area.height // 12, 16)
    return Rect(x, max(area.y, y), width, height)


def clamp_into(rect: Rect, screen: ScreenInfo) -> Rect:
    """Move (and if needed shrink) ``rect`` so it lies entirely on ``screen``."""
    area = screen.area
    width = min(rect.width, area.width)
    height = min(rect.height, area.height)
    x = min(max(rect.x, area.x), area.x + area.width - width)
    y = min(max(rect.y, area.y), area.y + area.height - height)
    return Rect(x, y, width, height)


def place(
    saved: dict[str, list[int]],
    screens: list[ScreenInfo],
    primary: ScreenInfo,
    width: int,
    height: int,
) -> tuple[Rect, ScreenInfo]:
    """The overlay's rectangle: on the most recently used screen that is still connected,
    else centred at the bottom of the primary screen."""
    by_key = {s.key: s for s in screens}
    for key in reversed(list(saved)):
        screen = by_key.get(key)
        value = saved[key]
        if screen is None or len(value) != 4:
            continue
        dx, dy, w, h = value
        absolute = Rect(screen.area.x + dx, screen.area.y + dy, max(w, 50), max(h, 20))
        return clamp_into(absolute, screen), screen
    return default_rect(primary, width, height), primary


def remember(saved: dict[str, list[int]], screen: ScreenInfo, rect: Rect) -> dict[str, list[int]]:
    """Record ``rect`` for ``screen`` as the most recent position (kept last)."""
    updated = {k: v for k, v in saved.items() if k != screen.key}
    updated[screen.key] = [rect.x - screen.area.x, rect.y - screen.area.y, rect.width, rect.height]
    return updated


def screen_containing(rect: Rect, screens: list[ScreenInfo]) -> ScreenInfo | None:
    """The screen holding the rectangle's centre, if any."""
    cx, cy = rect.x + rect.width // 2, rect.y + rect.height // 2
    for screen in screens:
        a = screen.area
        if a.x <= cx < a.x + a.width and a.y <= cy < a.y + a.height:
            return screen
    return None
