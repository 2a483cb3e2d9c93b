"""Building the FunASR engine from a RecognitionConfig (imports funasr/torch lazily)."""

from __future__ import annotations

import threading

import numpy as np

from captioner.asr.config import RecognitionConfig
from captioner.asr.downloads import ProgressCallback
from captioner.asr.funasr.engine import (
    FunasrStreamingOptions,
    FunasrStreamingRecognizer,
    offline_segments,
)
from captioner.asr.funasr.loading import LoadedFunasr, load_funasr
from captioner.asr.funasr.pipeline import FunasrPipeline
from captioner.asr.types import Segment
from captioner.errors import ModelError
from captioner.i18n import translate
from captioner.text.vocabulary import vocabulary_fixes


def pipeline_for(loaded: LoadedFunasr, config: RecognitionConfig) -> FunasrPipeline:
    return FunasrPipeline(
        streaming=loaded.streaming,
        vad=loaded.vad,
        second_pass=loaded.second_pass,
        punctuation=loaded.punctuation,
        settings=config.funasr,
        hotwords=config.vocabulary.terms,
    )


def hotword_notice(pipeline: FunasrPipeline, config: RecognitionConfig) -> str | None:
    """What the user should know when their terms cannot bias this second-pass model."""
    if not config.vocabulary.terms or pipeline.takes_hotwords:
        return None
    return translate(
        "recognition",
        "The FunASR second-pass model '{model}' takes no hotwords, so the vocabulary's terms "
        "are not used (its replacement rules still are); a SeACo-Paraformer model folder as "
        "the second pass takes them.",
    ).format(model=config.funasr.second_pass)


def create_funasr_recognizer(
    config: RecognitionConfig,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> tuple[FunasrStreamingRecognizer, str | None]:
    if config.language not in (None, "zh"):
        raise ModelError(
            translate(
                "recognition",
                "The FunASR engine recognises Mandarin (zh), not '{language}': use the "
                "Whisper engine for other languages.",
            ).format(language=config.language)
        )
    loaded = load_funasr(config.funasr, config.device, config.cpu_threads, progress, cancel)
    options = FunasrStreamingOptions(script=config.script, vocabulary=config.vocabulary)
    pipeline = pipeline_for(loaded, config)
    recognizer = FunasrStreamingRecognizer(pipeline, options, loaded.device)
    notices = [n for n in (loaded.notice, hotword_notice(pipeline, config)) if n]
    return recognizer, " ".join(notices) or None


def offline_funasr_transcript(
    config: RecognitionConfig, audio: np.ndarray
) -> tuple[list[Segment], str | None]:
    """Whole-file transcription with FunASR (`captioner transcribe FILE --engine funasr`)."""
    loaded = load_funasr(config.funasr, config.device, config.cpu_threads)
    pipeline = pipeline_for(loaded, config)
    fixes = vocabulary_fixes(config.vocabulary)
    segments = offline_segments(pipeline, audio, config.script, fixes)
    notices = [n for n in (loaded.notice, hotword_notice(pipeline, config)) if n]
    return segments, " ".join(notices) or None
