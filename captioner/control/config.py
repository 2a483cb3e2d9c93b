"""What the user's settings ask of live captioning, worked out in one place.

``Settings`` are the user's file (captioner.settings: what they chose, in their terms);
the configs here are what the parts below take: the recognition config, the channels'
sources, when to listen, where transcripts go. The app derives one from its settings each
time they change; the command line derives one from its options, through the same
functions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from captioner.asr.config import FunasrConfig, RecognitionConfig
from captioner.control.channels import SourceChoice
from captioner.control.listening import ListeningMode
from captioner.settings import (
    AudioSettings,
    RecognitionSettings,
    Settings,
    TranscriptSettings,
    TranslationSettings,
    default_transcripts_folder,
)
from captioner.text.script import Script
from captioner.text.vocabulary import parse_entries
from captioner.translate.config import TranslationConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaptioningConfig:
    """Everything live captioning needs to know of the user's choices."""

    recognition: RecognitionConfig
    sources: SourceChoice
    mode: ListeningMode
    transcripts: Path | None  # None: not saved
    bilingual: bool = False  # the session's .srt with the translations (when it ends)


def funasr_config(r: RecognitionSettings) -> FunasrConfig:
    return FunasrConfig(second_pass=r.funasr_second_pass, chunk_ms=r.funasr_chunk_ms)


def recognition_config(r: RecognitionSettings) -> RecognitionConfig:
    problems: list[str] = []
    vocabulary = parse_entries(r.vocabulary, "recognition.vocabulary", problems)
    for problem in problems:
        log.warning("%s It is left out.", problem)
    return RecognitionConfig(
        engine=r.engine,
        whisper_model=r.model,
        device=r.device,
        compute_type=r.compute_type,
        language=None if r.language == "auto" else r.language,
        script=Script.parse(r.script),
        download_mirror=r.download_mirror,
        funasr=funasr_config(r),
        vocabulary=vocabulary,
    )


def translation_config(settings: Settings, key: str | None) -> TranslationConfig | None:
    """What the translation settings ask for (None: translation is off). ``key`` is the
    endpoint's, from captioner.translate.keys (never from the settings file). Not checked
    here: the pipeline checks it when it starts translating and tells the user why not."""
    terms = recognition_config(settings.recognition).vocabulary.terms
    return translation_config_for(settings.translation, key, terms)


def translation_config_for(
    t: TranslationSettings, key: str | None, terms: tuple[str, ...] = ()
) -> TranslationConfig | None:
    """The same from the translation group alone and the vocabulary's terms (the command
    line's options are put into a TranslationSettings first)."""
    if not t.enabled:
        return None
    return TranslationConfig(
        backend=t.backend,
        target=t.target,
        endpoint=t.endpoint,
        model=t.model,
        key=key if t.backend == "chat" else None,
        remote_allowed=t.remote_allowed,
        terms=tuple(terms),
    )


def input_spec(value: str | None) -> int | str | None:
    """A microphone as the settings name it: a device number (as text) or a name."""
    return int(value) if value is not None and value.isdigit() else value


def source_choice(audio: AudioSettings) -> SourceChoice:
    return SourceChoice(
        audio.source, input_spec(audio.input), audio.output, (audio.me_name, audio.others_name)
    )


def listening_mode(settings: Settings) -> ListeningMode:
    """What the hotkey does: with only what the computer plays there is nobody to push to
    talk, so it is captioned whenever something plays and the hotkey pauses it."""
    if settings.audio.source == "system":
        return ListeningMode.ALWAYS
    return ListeningMode(settings.hotkey.mode)


def transcripts_folder(transcripts: TranscriptSettings) -> Path | None:
    if not transcripts.enabled:
        return None
    return Path(transcripts.folder) if transcripts.folder else default_transcripts_folder()


def captioning_config(settings: Settings) -> CaptioningConfig:
    return CaptioningConfig(
        recognition_config(settings.recognition),
        source_choice(settings.audio),
        listening_mode(settings),
        transcripts_folder(settings.transcripts),
        settings.transcripts.bilingual,
    )
