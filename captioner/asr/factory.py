"""Building a recogniser from user-facing settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

from captioner.asr.funasr_options import FunasrSettings
from captioner.asr.loading import load_whisper
from captioner.asr.models import ProgressCallback
from captioner.asr.recognizer import Recognizer
from captioner.asr.whisper_engine import Policy, WhisperStreamingOptions, WhisperStreamingRecognizer
from captioner.errors import CaptionerError
from captioner.transcript.script import Script

EngineName = Literal["whisper", "funasr"]
ENGINES: tuple[EngineName, ...] = ("whisper", "funasr")


@dataclass(frozen=True)
class RecognitionConfig:
    engine: EngineName = "whisper"
    model: str = "base"  # the Whisper model (engine "whisper")
    device: Literal["auto", "cuda", "cpu"] = "auto"
    compute_type: str = "auto"
    language: str | None = "zh"
    script: Script = Script.SIMPLIFIED
    policy: Policy = "two-pass"
    cpu_threads: int = 0  # 0: CTranslate2's default (all cores)
    funasr: FunasrSettings = field(default_factory=FunasrSettings)  # engine "funasr"


def create_recognizer(
    config: RecognitionConfig,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Recognizer, str | None]:
    """The engine ``config`` asks for, and a notice the user should see (or None)."""
    if config.engine == "funasr":
        from captioner.asr.funasr_factory import create_funasr_recognizer

        return create_funasr_recognizer(config, progress, cancel)
    if config.engine != "whisper":
        raise CaptionerError(f"Unknown recognition engine '{config.engine}'.")
    loaded = load_whisper(
        config.model,
        device=config.device,
        compute_type=config.compute_type,
        cpu_threads=config.cpu_threads,
        progress=progress,
        cancel=cancel,
    )
    options = WhisperStreamingOptions(
        language=config.language, script=config.script, policy=config.policy
    )
    return WhisperStreamingRecognizer(loaded.model, options), loaded.notice
