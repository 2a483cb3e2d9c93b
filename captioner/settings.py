"""User settings: typed, validated on load, stored as JSON in the per-user config folder.

A value that is missing, of the wrong type or out of range falls back to its default with a
warning; a file that is not valid JSON is kept aside as a backup and replaced by defaults,
and the user is told. Settings never stop the app from starting.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import types
import typing
from dataclasses import MISSING, Field, asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import platformdirs

from captioner.asr.config import DeviceChoice, EngineName
from captioner.i18n import translate
from captioner.text.languages import AUTO, WHISPER_LANGUAGES
from captioner.text.script import ScriptName

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

SETTINGS_VERSION = 1
T = TypeVar("T", bound="DataclassInstance")
ModeName = Literal["hold", "toggle", "always"]  # how the hotkey controls listening


def _range(low: float, high: float) -> dict[str, Any]:
    return {"min": low, "max": high}


SourceName = Literal["mic", "system", "both"]  # what is captioned


@dataclass
class AudioSettings:
    input: str | None = None  # device name (or index as text); None: the system default
    # mic: the microphone; system: what the computer plays; both: each recognised apart
    source: SourceName = "mic"
    output: str | None = None  # output device whose sound is captioned; None: the default
    me_name: str = "Me"  # the labels of the two sides with source "both"
    others_name: str = "Others"


@dataclass
class RecognitionSettings:
    engine: EngineName = "whisper"
    model: str = "base"
    device: DeviceChoice = "auto"
    compute_type: str = "auto"
    language: str = field(default="zh", metadata={"choices": (AUTO, *WHISPER_LANGUAGES)})
    script: ScriptName = "simplified"
    download_mirror: str = ""  # e.g. https://hf-mirror.com; empty: huggingface.co
    # FunASR engine: the second pass that confirms each utterance, and the streaming step.
    funasr_second_pass: str = "paraformer-zh"  # paraformer-zh, sensevoice, none, or a folder
    funasr_chunk_ms: Literal[600, 480] = 600
    # Custom vocabulary, one entry per item: a term ("霍思燕") or a rule ("派森 => Python").
    vocabulary: list[str] = field(default_factory=list)


@dataclass
class HotkeySettings:
    mode: ModeName = "hold"
    keys: str = "ctrl+shift+space"
    # Opens (or closes) the transcript window. Not Ctrl+Shift+T: browsers reopen a closed tab
    # with it, and a global hotkey fires whatever has focus.
    transcript_keys: str = "ctrl+alt+h"


@dataclass
class OverlaySettings:
    font_family: str = ""  # empty: a system font with Chinese glyphs
    font_size: int = field(default=28, metadata=_range(8, 160))
    text_color: str = "#ffffff"
    partial_color: str = "#c8c8c8"
    outline_color: str = "#000000"
    outline_width: float = field(default=3.0, metadata=_range(0, 12))
    shadow: bool = True
    background_color: str = "#000000"
    background_opacity: float = field(default=0.45, metadata=_range(0, 1))
    alignment: Literal["left", "center", "right"] = "center"
    width: int = field(default=900, metadata=_range(200, 8000))
    lines: int = field(default=2, metadata=_range(1, 10))
    clear_after_s: float = field(default=8.0, metadata=_range(0, 3600))  # 0: never
    confirmed_only: bool = False
    locked: bool = True
    visible: bool = True
    # Where the overlay was on each screen: {screen key: [x, y, width, height]}.
    positions: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class TranscriptSettings:
    enabled: bool = True
    folder: str = ""  # empty: Documents/Captioner
    # The session's .srt with each translation as its cue's second line (written again when
    # the session ends).
    bilingual: bool = False


@dataclass
class ServerSettings:
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = field(default=8765, metadata=_range(1, 65535))
    token: str = ""
    allowed_origins: list[str] = field(default_factory=list)


TranslationBackendName = Literal["whisper", "chat"]  # Whisper's translate task; a chat endpoint


@dataclass
class TranslationSettings:
    """A line in another language under each confirmed line (never under partial text)."""

    enabled: bool = False
    target: str = "en"  # a language code; the built-in (Whisper) backend can only give "en"
    backend: TranslationBackendName = "whisper"
    # An OpenAI-compatible chat endpoint (Ollama's by default) and its model name.
    endpoint: str = "http://localhost:11434/v1"
    model: str = ""
    # A URL not on this computer sends the confirmed text out of it: only when the user says so.
    # The key is never here: it lives in the system's credential store.
    remote_allowed: bool = False
    size_ratio: float = field(default=0.7, metadata=_range(0.3, 1.5))  # of the caption's size
    color: str = "#ffe08a"


@dataclass
class InterfaceSettings:
    # The menus' and windows' language: the system's, English or Simplified Chinese (on the
    # next start).
    language: Literal["system", "en", "zh_CN"] = "system"
    # The CPU version of the installed app told, once, that this computer's NVIDIA GPU
    # needs the GPU version.
    gpu_version_told: bool = False
    # The transcript window's text size (its own Ctrl+plus / Ctrl+minus), in points.
    transcript_font_size: int = field(default=13, metadata=_range(6, 72))


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    interface: InterfaceSettings = field(default_factory=InterfaceSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    recognition: RecognitionSettings = field(default_factory=RecognitionSettings)
    hotkey: HotkeySettings = field(default_factory=HotkeySettings)
    overlay: OverlaySettings = field(default_factory=OverlaySettings)
    transcripts: TranscriptSettings = field(default_factory=TranscriptSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    translation: TranslationSettings = field(default_factory=TranslationSettings)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_settings_path() -> Path:
    return Path(platformdirs.user_config_dir("Captioner", appauthor=False)) / "settings.json"


def default_transcripts_folder() -> Path:
    return Path(platformdirs.user_documents_dir()) / "Captioner"


def stored_interface_language(path: Path) -> str:
    """The interface language the settings file asks for ("system" when it says nothing valid).

    Read before the settings themselves, so the warnings that loading them may give are
    already written in that language."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        language = data["interface"]["language"]
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError):
        return "system"
    choices = typing.get_args(typing.get_type_hints(InterfaceSettings)["language"])
    return language if language in choices else "system"


@dataclass
class LoadResult:
    settings: Settings
    warnings: list[str]
    backup: Path | None = None  # where a corrupt file was moved


def load_settings(path: Path) -> LoadResult:
    """Read settings; never fails (defaults plus warnings instead)."""
    if not path.exists():
        return LoadResult(Settings(), [])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            # Not a programming error: its text is the reason the user reads.
            raise ValueError(translate("settings", "the file does not contain a JSON object"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        kept = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        backup: Path | None = kept
        try:
            os.replace(path, kept)
        except OSError:
            backup = None
        # The backup first: a message cut short must still say where the old file went.
        where = (
            translate("settings", "the old one is kept as {backup}").format(backup=backup)
            if backup
            else translate("settings", "it was {path}").format(path=path)
        )
        warning = translate(
            "settings", "The settings file could not be read, defaults are used; {where} ({exc})."
        ).format(where=where, exc=exc)
        return LoadResult(Settings(), [warning], backup)
    warnings: list[str] = []
    settings = _build(Settings, data, "", warnings)
    return LoadResult(settings, warnings)


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically: a crash while saving never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(json.dumps(settings.to_dict(), ensure_ascii=False, indent=2))
        file.flush()
        os.fsync(file.fileno())  # on disk before it replaces the old file (power cuts)
    os.replace(temporary, path)


def _build(cls: type[T], data: dict[str, Any], prefix: str, warnings: list[str]) -> T:
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in fields(cls):
        name = f"{prefix}{f.name}"
        if f.name not in data:
            continue
        raw = data[f.name]
        hint = hints[f.name]
        if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
            if isinstance(raw, dict):
                values[f.name] = _build(hint, raw, f"{name}.", warnings)
            else:
                warnings.append(
                    translate(
                        "settings", "Setting '{name}' should be a group of settings; reset."
                    ).format(name=name)
                )
            continue
        problem = _problem(raw, hint, f.metadata)
        if problem is None:
            values[f.name] = float(raw) if hint is float else raw
        else:
            default = _default(f)
            warnings.append(
                translate(
                    "settings", "Setting '{name}' = {value} {problem}; using the default {default}."
                ).format(name=name, value=repr(raw), problem=problem, default=repr(default))
            )
    for key in data:
        if key not in {f.name for f in fields(cls)}:
            warnings.append(
                translate("settings", "Unknown setting '{name}' ignored.").format(
                    name=f"{prefix}{key}"
                )
            )
    return cls(**values)


def _default(f: Field[Any]) -> Any:
    return f.default_factory() if f.default_factory is not MISSING else f.default


def _problem(value: Any, hint: Any, metadata: Any) -> str | None:
    """Why ``value`` does not fit ``hint``/``metadata``, or None if it does."""
    if not _matches(value, hint):
        return translate("settings", "has the wrong type")
    if typing.get_origin(hint) is Literal and value not in typing.get_args(hint):
        return translate("settings", "is not one of {choices}").format(
            choices=", ".join(str(c) for c in typing.get_args(hint))
        )
    if "choices" in metadata and value not in metadata["choices"]:
        return translate("settings", "is not a known language code")
    if "min" in metadata and not metadata["min"] <= value <= metadata["max"]:
        return translate("settings", "is outside {min}..{max}").format(
            min=metadata["min"], max=metadata["max"]
        )
    return None


def _matches(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is Literal:  # which value is checked by _problem; here only the type
        return any(_matches(value, type(choice)) for choice in typing.get_args(hint))
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    if origin is dict:
        key, item = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _matches(k, key) and _matches(v, item) for k, v in value.items()
        )
    return False


def _get(settings: Settings, dotted: str) -> Any:
    group, name = dotted.split(".")
    return getattr(getattr(settings, group), name)


def _set(settings: Settings, dotted: str, value: Any) -> None:
    group, name = dotted.split(".")
    setattr(getattr(settings, group), name, value)


class SettingsStore:
    """The settings file plus this run's command-line overrides.

    Overrides (``--model small``, ``--transcripts D:\\talk``) apply to this run only: when the
    settings are saved, an overridden value the user did not change goes back to what the
    file had, so a portable one-off run does not silently rewrite the user's choices.
    """

    def __init__(self, path: Path, overrides: dict[str, Any] | None = None) -> None:
        self.path = path
        loaded = load_settings(path)
        self.warnings = loaded.warnings
        self.backup = loaded.backup
        if loaded.warnings and loaded.backup is None:
            # Values were reset: the file as the user left it is kept before it is rewritten.
            self.backup = _keep_copy(path)
        self._stored = loaded.settings
        self._overrides = dict(overrides or {})
        self.settings = copy_settings(self._stored)
        for dotted, value in self._overrides.items():
            _set(self.settings, dotted, value)

    def summary(self) -> str | None:
        """What loading the file changed, in one line (each warning is in ``warnings``)."""
        if not self.warnings:
            return None
        if (
            len(self.warnings) == 1
            and self.backup is not None
            and str(self.backup) in (self.warnings[0])
        ):
            return self.warnings[0]
        if len(self.warnings) == 1:
            if self.backup is None:
                return self.warnings[0]
            return translate("settings", "{warning}; the old file is kept as {backup}").format(
                warning=self.warnings[0], backup=self.backup
            )
        if self.backup is None:
            return translate(
                "settings", "{count} settings were reset to their defaults (details in the log)."
            ).format(count=len(self.warnings))
        return translate(
            "settings",
            "{count} settings were reset to their defaults; the old file is kept as {backup} "
            "(details in the log).",
        ).format(count=len(self.warnings), backup=self.backup)

    def save(self, settings: Settings) -> None:
        to_store = copy_settings(settings)
        for dotted, value in self._overrides.items():
            if _get(settings, dotted) == value:
                _set(to_store, dotted, _get(self._stored, dotted))
        save_settings(to_store, self.path)
        self._stored = to_store
        self.settings = settings


def _keep_copy(path: Path) -> Path | None:
    """Copy ``path`` aside (``settings.json.reset-20261129-020304``); None if it cannot be."""
    kept = path.with_name(f"{path.name}.reset-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        shutil.copy2(path, kept)
    except OSError:
        return None
    return kept


def copy_settings(settings: Settings) -> Settings:
    return _build(Settings, json.loads(json.dumps(settings.to_dict())), "", [])
