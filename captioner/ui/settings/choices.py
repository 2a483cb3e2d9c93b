"""The settings' choices: the values from the settings' own types, their labels in one table.

A value that a Literal type of the settings gains is offered at once (by its value, until it
has a label here; a test asks for one). The labels are translated where the lists are built.
"""

from __future__ import annotations

import typing
from typing import Any, Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox

from captioner.ui.settings.fields import Field, Setting, combo

CONTEXT = "SettingsChoices"  # the labels' translation context


class Native(str):
    """A language's name in itself ("简体中文"): the same whatever the interface's language."""


# The lists in the order shown; a setting whose type is a plain string (the language, the
# compute type, the second pass) offers the values labelled here and keeps any other one.
LABELS: dict[str, dict[Any, object]] = {
    "audio.source": {
        "mic": QT_TRANSLATE_NOOP("SettingsChoices", "The microphone"),
        "system": QT_TRANSLATE_NOOP("SettingsChoices", "What the computer plays"),
        "both": QT_TRANSLATE_NOOP("SettingsChoices", "Both: me (microphone) and others (computer)"),
    },
    "recognition.engine": {
        "whisper": QT_TRANSLATE_NOOP("SettingsChoices", "Whisper (faster-whisper)"),
        "funasr": QT_TRANSLATE_NOOP("SettingsChoices", "FunASR Paraformer"),
    },
    "recognition.device": {
        "auto": QT_TRANSLATE_NOOP("SettingsChoices", "Automatic (GPU if available)"),
        "cuda": QT_TRANSLATE_NOOP("SettingsChoices", "NVIDIA GPU (CUDA)"),
        "cpu": QT_TRANSLATE_NOOP("SettingsChoices", "CPU"),
    },
    "recognition.compute_type": {
        "auto": QT_TRANSLATE_NOOP("SettingsChoices", "Automatic"),
        "float16": QT_TRANSLATE_NOOP("SettingsChoices", "float16"),
        "int8_float16": QT_TRANSLATE_NOOP("SettingsChoices", "int8_float16"),
        "int8": QT_TRANSLATE_NOOP("SettingsChoices", "int8"),
        "float32": QT_TRANSLATE_NOOP("SettingsChoices", "float32"),
    },
    "recognition.language": {
        "zh": QT_TRANSLATE_NOOP("SettingsChoices", "Mandarin Chinese"),
        "yue": QT_TRANSLATE_NOOP("SettingsChoices", "Cantonese"),
        "en": QT_TRANSLATE_NOOP("SettingsChoices", "English"),
        "ja": QT_TRANSLATE_NOOP("SettingsChoices", "Japanese"),
        "auto": QT_TRANSLATE_NOOP("SettingsChoices", "Detect automatically"),
    },
    "recognition.script": {
        "simplified": QT_TRANSLATE_NOOP("SettingsChoices", "Simplified (简体)"),
        "traditional": QT_TRANSLATE_NOOP("SettingsChoices", "Traditional (繁體)"),
        "original": QT_TRANSLATE_NOOP("SettingsChoices", "As recognised"),
    },
    "recognition.funasr_second_pass": {
        "paraformer-zh": QT_TRANSLATE_NOOP("SettingsChoices", "Paraformer-zh (most accurate)"),
        "sensevoice": QT_TRANSLATE_NOOP("SettingsChoices", "SenseVoiceSmall"),
        "none": QT_TRANSLATE_NOOP("SettingsChoices", "None (streaming text only)"),
    },
    "recognition.funasr_chunk_ms": {
        600: QT_TRANSLATE_NOOP("SettingsChoices", "600 ms"),
        480: QT_TRANSLATE_NOOP("SettingsChoices", "480 ms (faster partials)"),
    },
    "hotkey.mode": {
        "hold": QT_TRANSLATE_NOOP("SettingsChoices", "Hold to talk"),
        "toggle": QT_TRANSLATE_NOOP("SettingsChoices", "Press to start / stop"),
        "always": QT_TRANSLATE_NOOP("SettingsChoices", "Always on (voice detection)"),
    },
    "overlay.alignment": {
        "center": QT_TRANSLATE_NOOP("SettingsChoices", "Centre"),
        "left": QT_TRANSLATE_NOOP("SettingsChoices", "Left"),
        "right": QT_TRANSLATE_NOOP("SettingsChoices", "Right"),
    },
    "translation.target": {
        "en": QT_TRANSLATE_NOOP("SettingsChoices", "English"),
        "zh": QT_TRANSLATE_NOOP("SettingsChoices", "Chinese"),
        "ja": QT_TRANSLATE_NOOP("SettingsChoices", "Japanese"),
        "ko": QT_TRANSLATE_NOOP("SettingsChoices", "Korean"),
        "fr": QT_TRANSLATE_NOOP("SettingsChoices", "French"),
        "de": QT_TRANSLATE_NOOP("SettingsChoices", "German"),
        "es": QT_TRANSLATE_NOOP("SettingsChoices", "Spanish"),
        "ru": QT_TRANSLATE_NOOP("SettingsChoices", "Russian"),
        "vi": QT_TRANSLATE_NOOP("SettingsChoices", "Vietnamese"),
    },
    "translation.backend": {
        "whisper": QT_TRANSLATE_NOOP(
            "SettingsChoices", "Built in, offline: Whisper (into English only)"
        ),
        "chat": QT_TRANSLATE_NOOP(
            "SettingsChoices", "A language model (OpenAI-compatible chat endpoint)"
        ),
    },
    "interface.language": {
        "system": QT_TRANSLATE_NOOP("SettingsChoices", "As the system"),
        "en": Native("English"),
        "zh_CN": Native("简体中文"),
    },
}


def offered(path: str) -> list[Any]:
    """The values the list of setting ``path`` offers: the labelled ones, in the table's order,
    then those of its Literal type that have no label yet."""
    hint = Setting(path).hint
    labelled = list(LABELS[path])
    allowed = typing.get_args(hint) if typing.get_origin(hint) is Literal else ()
    return labelled + [value for value in allowed if value not in labelled]


def label(path: str, value: Any) -> str:
    """What the list of setting ``path`` calls ``value``, in the interface's language."""
    name = LABELS[path].get(value)
    if name is None:
        return str(value)
    return name if isinstance(name, Native) else QCoreApplication.translate(CONTEXT, str(name))


def choice(path: str) -> Field[QComboBox]:
    """One of the choices of setting ``path``, each by its label."""
    return combo(path, [(label(path, value), value) for value in offered(path)])
