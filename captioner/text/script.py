"""Output script control: Simplified (default), Traditional, or as recognised.

Whisper often answers Mandarin in Traditional characters; users get the script they chose.
Conversion is OpenCC's character-and-phrase tables, applied to text that is about to be shown,
never to the text the recogniser conditions on.
"""

from __future__ import annotations

import enum
from functools import cache
from pathlib import Path
from typing import Literal

import opencc

from captioner.native_paths import narrow_path

ScriptName = Literal["simplified", "traditional", "original"]  # Script's values, as settings


class Script(str, enum.Enum):
    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"
    ORIGINAL = "original"

    @classmethod
    def parse(cls, value: str | Script) -> Script:
        if isinstance(value, Script):
            return value
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"Unknown script '{value}'. Choose one of: {choices}.") from None


# Whisper writes Traditional Mandarin the Taiwan way: OpenCC's Taiwan table knows that the
# particle is 着 in Simplified (包裹著 -> 包裹着, 看著 -> 看着), which plain t2s keeps as 著.
_OPENCC_CONFIG = {Script.SIMPLIFIED: "tw2s", Script.TRADITIONAL: "s2t"}
# Where that table turns the 著 of "written work" into 着: put back (专著, 原著, 土著 …).
# Left alone: 大着/合着/新着, which are also 大着胆子, 合着, 新着装.
_WORKS = ("专", "编", "论", "遗", "译", "卓", "拙", "土", "原", "巨", "名")
_SIMPLIFIED_FIXES = {f"{head}着": f"{head}著" for head in _WORKS}


@cache
def _converter(config: str) -> opencc.OpenCC:
    # OpenCC opens its tables by narrow paths: give it one Windows can open
    # (captioner.native_paths) where the package sits under a non-ASCII user folder.
    table = Path(opencc.__file__).parent / "clib" / "share" / "opencc" / f"{config}.json"
    native = narrow_path(table) if table.is_file() else None
    return opencc.OpenCC(native or config)


def convert_script(text: str, script: Script | str) -> str:
    script = Script.parse(script)
    if script is Script.ORIGINAL or not text:
        return text
    converted = str(_converter(_OPENCC_CONFIG[script]).convert(text))
    if script is Script.SIMPLIFIED and "着" in converted:
        for wrong, right in _SIMPLIFIED_FIXES.items():
            converted = converted.replace(wrong, right)
    return converted
