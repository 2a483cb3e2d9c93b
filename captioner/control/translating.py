"""Translation of the live pipeline's finals: a line in another language under each.

Each final is handed to a translator (captioner.translate) once it is shown, and its
translation comes back as ``translated``, naming the same final. The translator works in its
own thread and its results are queued back to the Qt thread, so neither the captions nor the
window wait. The built-in backend translates a final's audio: the recognisers attach it,
and it is kept here from the final's numbering (in a worker's thread) until it is shown.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from captioner.asr.recognizer import Recognizer
from captioner.transcript.events import TranscriptEvent
from captioner.translate.chat import ChatBackend
from captioner.translate.config import (
    TranslationConfig,
    TranslationConfigError,
    whisper_model_notice,
)
from captioner.translate.speech import SpeechBackend, SpeechTranslate
from captioner.translate.translator import Backend, Job, Result, Translator

KEPT_AUDIO = 16  # finals numbered but not shown yet
KEPT_SHOWN = 64  # finals shown but not translated yet


def audio_wanted(
    config: TranslationConfig | None, recognizer: Recognizer
) -> tuple[bool, str | None]:
    """Whether a recogniser attaches each final's audio under ``config``, and why it cannot
    when the config wants it (FunASR, large-v3-turbo: told, and nothing translated)."""
    if config is None or config.backend != "whisper":
        return False, None
    info = recognizer.model_info
    why = whisper_model_notice(info.engine, info.model)
    return why is None, why


class LineTranslation(QObject):
    """The config, its Translator and the finals' audio. Lives in the Qt thread; ``keep``
    and ``attach`` also run in the workers' threads."""

    # TranscriptEvent of type "translation": a final (``final`` its number) in ``lang``.
    translated = Signal(object)
    notice = Signal(str)  # an endpoint that fails, lines skipped, a config that cannot work
    _done = Signal(object, object)  # (Translator, Result), from its thread
    _told = Signal(object, str)  # (Translator, text), from its thread or a worker's

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config: TranslationConfig | None = None
        self.translator: Translator | None = None
        self._lock = threading.Lock()  # the recognisers, their translate task, the audio
        self._recognizers: list[Recognizer] = []  # loaded, newest last (their audio switch)
        self._speech: SpeechTranslate | None = None  # the newest recogniser's translate task
        self._audio: OrderedDict[int, Any] = OrderedDict()
        self._shown_at: OrderedDict[int, tuple[float, float]] = OrderedDict()  # (t, monotonic)
        queued = Qt.ConnectionType.QueuedConnection
        self._done.connect(self._arrived, queued)
        self._told.connect(self._relay, queued)

    def set(self, config: TranslationConfig | None) -> None:
        """Translate each final from now on as ``config`` says (None: stop translating).
        A config that cannot work is told and translation stays off."""
        self.close()
        self.config = None
        if config is not None:
            try:
                config.validate()
            except TranslationConfigError as exc:
                self.notice.emit(str(exc))
                config = None
        self.config = config
        cannot = None
        with self._lock:
            for recognizer in self._recognizers:
                recognizer.attach_audio, why = audio_wanted(config, recognizer)
                cannot = cannot or why
            self._audio.clear()
        if cannot is not None:
            self.notice.emit(cannot)
        if config is None:
            return
        backend: Backend
        if config.backend == "whisper":
            backend = SpeechBackend(lambda: self._speech)
        else:
            backend = ChatBackend(config)
        translator: Translator | None = None

        def done(result: Result) -> None:  # in the translator's thread
            self._done.emit(translator, result)

        def notice(text: str) -> None:  # in the translator's thread
            self._told.emit(translator, text)

        translator = Translator(backend, done, notice, context_lines=config.context_lines)
        self.translator = translator

    def close(self) -> None:
        translator, self.translator = self.translator, None
        if translator is not None:
            translator.close(timeout_s=0.0)  # a request in progress ends on its own

    def attach(self, recognizer: Recognizer) -> None:
        """A recogniser was loaded (in a worker's thread): it attaches each final's audio
        while the built-in backend translates, and translates with its speech model."""
        speech = recognizer.speech_translator()
        with self._lock:
            config, translator = self.config, self.translator
            recognizer.attach_audio, cannot = audio_wanted(config, recognizer)
            self._recognizers = [*self._recognizers[-7:], recognizer]
            if speech is not None:
                self._speech = speech
        if cannot is not None:
            self._told.emit(translator, cannot)

    def keep(self, number: int, audio: Any) -> None:
        """A final's audio, from its numbering (in a worker's thread) until it is shown."""
        if audio is None:
            return
        with self._lock:
            self._audio[number] = audio
            while len(self._audio) > KEPT_AUDIO:
                self._audio.popitem(last=False)

    def shown(self, event: TranscriptEvent) -> None:
        """A final was shown: hand it to the translator (never waits for it)."""
        number = event.final
        if number is None:
            return
        with self._lock:
            audio = self._audio.pop(number, None)
        if self.translator is None or self.config is None or not event.text.strip():
            return
        if self.config.backend == "whisper" and audio is None:
            return  # confirmed before translation was turned on: its audio is gone
        now = time.monotonic()
        self._shown_at[number] = (event.t, now)
        while len(self._shown_at) > KEPT_SHOWN:
            self._shown_at.popitem(last=False)
        self.translator.submit(
            Job(number, event.text, event.start, event.end, event.source, audio, now)
        )

    @Slot(object, str)
    def _relay(self, translator: Translator | None, text: str) -> None:
        if translator is self.translator:
            self.notice.emit(text)

    @Slot(object, object)
    def _arrived(self, translator: Translator, result: Result) -> None:
        if translator is not self.translator or self.config is None:
            return  # translation was turned off or changed meanwhile
        job = result.job
        t, shown = self._shown_at.pop(job.final, (0.0, job.submitted))
        self.translated.emit(
            TranscriptEvent(
                round(t + time.monotonic() - shown, 3),
                "translation",
                result.text,
                job.start,
                job.end,
                job.source,
                lang=self.config.target,
                final=job.final,
            )
        )
