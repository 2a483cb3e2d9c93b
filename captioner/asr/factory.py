"""Building a recogniser from user-facing settings."""

from __future__ import annotations

import threading

from captioner.asr.config import RecognitionConfig
from captioner.asr.downloads import ProgressCallback
from captioner.asr.recognizer import Recognizer
from captioner.errors import CaptionerError
from captioner.i18n import translate


def create_recognizer(
    config: RecognitionConfig,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Recognizer, str | None]:
    """The engine ``config`` asks for, and a notice the user should see (or None)."""
    if config.engine == "funasr":
        # Imported only when asked for: it pulls in funasr and torch.
        from captioner.asr.funasr.factory import create_funasr_recognizer

        return create_funasr_recognizer(config, progress, cancel)
    if config.engine == "whisper":
        from captioner.asr.whisper.factory import create_whisper_recognizer

        return create_whisper_recognizer(config, progress, cancel)
    raise CaptionerError(
        translate("recognition", "Unknown recognition engine '{engine}'.").format(
            engine=config.engine
        )
    )
