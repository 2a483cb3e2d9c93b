"""Output script control: Simplified (default), Traditional, or as recognised.

Whisper often answers Mandarin in Traditional characters; users get the script they chose.
Conversion is OpenCC's character-and-phrase tables, applied to text that is about to be shown,
never to the text the recogniser conditions on.
"""

from __future__ import annotations

import enum
from functools import cache
from typing import Literal

import opencc

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


_OPENCC_CONFIG = {Script.SIMPLIFIED: "t2s", Script.TRADITIONAL: "s2t"}


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def convert_script(text: str, script: Script | str) -> str:
    script = Script.parse(script)
    if script is Script.ORIGINAL or not text:
        return text
    return str(_converter(_OPENCC_CONFIG[script]).convert(text))
