"""The built-in backend: Whisper's own ``translate`` task on the line's audio.

The recogniser's loaded model hears the confirmed line's audio again and writes it in
English (any spoken language → English only). Nothing to install, no network. The model is
the one the recogniser has now: a reload of another model is used from its next line on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from captioner.translate.translator import Job, TranslationFailure

SpeechTranslate = Callable[[np.ndarray], str]


class SpeechBackend:
    def __init__(self, model: Callable[[], SpeechTranslate | None]) -> None:
        """``model``: the recogniser's translate function now (None before one is
        loaded, or with an engine that has none)."""
        self._model = model

    def translate_line(self, job: Job, context: Sequence[str]) -> str:
        translate_audio = self._model()
        if translate_audio is None:
            raise TranslationFailure("other", "no speech model to translate with")
        if job.audio is None or not len(job.audio):
            raise TranslationFailure("other", "the line came without its audio")
        text = translate_audio(np.asarray(job.audio, dtype=np.float32))
        if not text.strip():
            raise TranslationFailure("nothing", "no words heard to translate")
        return text
