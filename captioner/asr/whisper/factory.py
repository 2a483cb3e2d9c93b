"""Building the Whisper engine from a RecognitionConfig."""

from __future__ import annotations

import threading

from captioner.asr.config import RecognitionConfig
from captioner.asr.downloads import ProgressCallback
from captioner.asr.whisper.engine import WhisperStreamingOptions, WhisperStreamingRecognizer
from captioner.asr.whisper.loading import load_whisper


def create_whisper_recognizer(
    config: RecognitionConfig,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> tuple[WhisperStreamingRecognizer, str | None]:
    loaded = load_whisper(
        config.whisper_model,
        device=config.device,
        compute_type=config.compute_type,
        cpu_threads=config.cpu_threads,
        progress=progress,
        cancel=cancel,
        mirror=config.download_mirror or None,
    )
    options = WhisperStreamingOptions(
        language=config.language,
        script=config.script,
        policy=config.policy,
        vocabulary=config.vocabulary,
    )
    return WhisperStreamingRecognizer(
        loaded.model, options, name=config.whisper_model
    ), loaded.notice
