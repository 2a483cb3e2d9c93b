"""Hotkey combinations as users write them: "ctrl+shift+space", "f9", "alt+`"."""

from __future__ import annotations

from dataclasses import dataclass

from captioner.i18n import translate

MODIFIERS = ("ctrl", "alt", "shift", "cmd")
_ALIASES = {
    "control": "ctrl",
    "ctl": "ctrl",
    "option": "alt",
    "altgr": "alt",
    "win": "cmd",
    "windows": "cmd",
    "super": "cmd",
    "meta": "cmd",
    "command": "cmd",
    "return": "enter",
    "escape": "esc",
    "del": "delete",
    "ins": "insert",
    "pgup": "page_up",
    "pageup": "page_up",
    "pgdn": "page_down",
    "pagedown": "page_down",
    "spacebar": "space",
}
NAMED_KEYS = {
    "space", "enter", "tab", "esc", "backspace", "delete", "insert", "home", "end",
    "page_up", "page_down", "up", "down", "left", "right", "pause", "scroll_lock",
    "caps_lock", "num_lock", "print_screen", "menu",
    *(f"f{n}" for n in range(1, 25)),
}  # fmt: skip


class HotkeyError(ValueError):
    pass


@dataclass(frozen=True)
class Hotkey:
    modifiers: frozenset[str]
    key: str  # a named key (see NAMED_KEYS), a modifier alone, or one character

    def __str__(self) -> str:
        return "+".join([*(m for m in MODIFIERS if m in self.modifiers), self.key])


def parse_hotkey(text: str) -> Hotkey:
    parts = [p.strip().lower() for p in text.replace(" ", "").split("+")]
    if not text.strip() or any(not p for p in parts):
        raise HotkeyError(
            translate(
                "hotkey", "'{text}' is not a key combination (example: ctrl+shift+space)."
            ).format(text=text)
        )
    parts = [_ALIASES.get(p.strip("<>"), p.strip("<>")) for p in parts]
    *mods, key = parts
    for m in mods:
        if m not in MODIFIERS:
            raise HotkeyError(
                translate("hotkey", "'{key}' in '{text}' is not a modifier ({modifiers}).").format(
                    key=m, text=text, modifiers=", ".join(MODIFIERS)
                )
            )
    if key not in NAMED_KEYS and key not in MODIFIERS and len(key) != 1:
        raise HotkeyError(
            translate("hotkey", "Unknown key '{key}' in '{text}'.").format(key=key, text=text)
        )
    if len(set(mods)) != len(mods) or key in mods:
        raise HotkeyError(translate("hotkey", "A key appears twice in '{text}'.").format(text=text))
    if key == "shift" and not mods:
        raise HotkeyError(
            translate("hotkey", "Shift alone would fire whenever you type capitals; add a key.")
        )
    return Hotkey(frozenset(mods), key)


class ComboTracker:
    """Turns a stream of key presses/releases into combo pressed/released edges.

    The combo is "down" while all its keys are held; auto-repeat presses of held keys are not
    new edges. Keys are normalised names ("ctrl", "a", "f9") as produced by the adapter.
    """

    def __init__(self, hotkey: Hotkey) -> None:
        self.hotkey = hotkey
        self._needed = set(hotkey.modifiers) | {hotkey.key}
        self._held: set[str] = set()
        self.active = False

    def press(self, key: str) -> bool:
        """Returns True when this press completes the combo (a new activation)."""
        self._held.add(key)
        if not self.active and self._needed <= self._held:
            self.active = True
            return True
        return False

    def release(self, key: str) -> bool:
        """Returns True when this release ends an active combo."""
        self._held.discard(key)
        if self.active and key in self._needed:
            self.active = False
            return True
        return False

    def reset(self) -> None:
        self._held.clear()
        self.active = False
