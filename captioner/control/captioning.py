"""Live captioning as the desktop app runs it: the live pipeline (captioner.control.pipeline)
configured from the user's settings, saving transcripts, and what the caption bar shows of it.

The command line runs the same pipeline (captioner.cli.live); only what is shown differs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from captioner.asr.config import RecognitionConfig
from captioner.asr.factory import create_recognizer
from captioner.asr.recognizer import Recognizer
from captioner.control.channels import channels_for
from captioner.control.config import CaptioningConfig
from captioner.control.listening import ListeningController, ListeningMode
from captioner.control.pipeline import LivePipeline
from captioner.control.problems import Problem, StandingProblems
from captioner.control.state import CaptionState
from captioner.control.worker import RecognizerFactory
from captioner.transcript.events import TranscriptEvent
from captioner.transcript.files import TranscriptSink


def labelled(text: str, source: str | None) -> str:
    """What the overlay shows: with two sources each line names its side."""
    return f"{source}: {text}" if source and text else text


def recognizer_factory(config: RecognitionConfig) -> RecognizerFactory:
    def make() -> tuple[Recognizer, str | None]:
        return create_recognizer(config)

    return make


class CaptionController(QObject):
    partial_text = Signal(str)  # every source's partial, side by side
    confirmed_text = Signal(str)
    # The TranscriptEvent (times, side, the final's number that its translation will name):
    # the overlay and the transcript window.
    confirmed_line = Signal(object)
    translated_line = Signal(int, str)  # the number of the final it translates, the text
    state_changed = Signal(object, float)  # CaptionState, lag in seconds
    listening_changed = Signal(bool)
    cleared = Signal()  # a reset: what was on screen (and in the feed) should go
    problem = Signal(object)  # Problem: shown on the overlay and as a tray notification
    standing_changed = Signal(str)  # the problem that stands now ("" when none does)

    def __init__(self, config: CaptioningConfig) -> None:
        super().__init__()
        self.config = config
        # The library's notices (a damaged file set aside) come from the recognition
        # threads: a signal takes them to the GUI thread.
        self.sink = TranscriptSink(
            config.transcripts,
            config.sources.source,
            lambda text: self.problem.emit(Problem(text, "warning")),
        )
        self.sink.bilingual = config.bilingual
        self.pipeline = LivePipeline(
            channels_for(config.sources),
            recognizer_factory(config.recognition),
            config.mode,
            sinks=[self.sink],
            parent=self,
        )
        self._partials: dict[str | None, str] = {}  # the current partial of each source
        p = self.pipeline
        p.partial.connect(self._on_partial)
        p.confirmed.connect(self._on_confirmed)
        p.translated.connect(self._on_translated)
        p.state_changed.connect(self.state_changed)
        p.listening_changed.connect(self.listening_changed)
        p.problem.connect(self.problem)
        p.standing_changed.connect(self.standing_changed)
        p.cleared.connect(self._on_cleared)

    @property
    def listening(self) -> ListeningController:
        return self.pipeline.listening

    @property
    def standing(self) -> StandingProblems:
        return self.pipeline.standing

    @property
    def system_paused(self) -> bool:
        return self.pipeline.paused

    def state(self) -> tuple[CaptionState, float]:
        return self.pipeline.state()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self, config: CaptioningConfig | None = None) -> None:
        """Start captioning, with ``config`` if the app settled it meanwhile (a model that
        had to be downloaded, or the built-in one instead)."""
        if config is not None:
            self.apply(config)
        self.pipeline.start()

    def shutdown(self) -> None:
        self.pipeline.shutdown()
        self.sink.close()

    # -- what the app asks ----------------------------------------------------------------

    def hotkey_pressed(self) -> None:
        self.pipeline.hotkey_pressed()

    def hotkey_released(self) -> None:
        self.pipeline.hotkey_released()

    def start_listening(self) -> None:
        self.pipeline.start_listening()

    def stop_listening(self) -> None:
        self.pipeline.stop_listening()

    def toggle_listening(self) -> None:
        self.pipeline.toggle_listening()

    def reset(self) -> None:
        self.pipeline.reset()

    def toggle_system_audio(self) -> None:
        """Pause or resume captioning what the computer plays (source "both"; push-to-talk
        is the microphone's)."""
        self.pipeline.toggle_paused()

    def set_mode(self, mode: ListeningMode) -> None:
        self.pipeline.set_mode(mode)

    def apply(self, config: CaptioningConfig) -> None:
        """The settings changed: only what changed is redone (a new model keeps the old one
        captioning until it is loaded; a new device reopens capture)."""
        old, self.config = self.config, config
        if config.recognition != old.recognition:
            self.pipeline.reload(recognizer_factory(config.recognition))
        if config.sources != old.sources:
            self.pipeline.reconfigure(channels_for(config.sources))
            self._partials.clear()
        if config.mode != self.pipeline.listening.mode:
            self.pipeline.set_mode(config.mode)
        self.sink.source = config.sources.source  # for the next session
        self.sink.bilingual = config.bilingual
        self.sink.set_folder(config.transcripts)

    # -- from the pipeline ----------------------------------------------------------------

    def _on_partial(self, event: TranscriptEvent) -> None:
        # Each source has its own partial; the overlay shows them side by side.
        self._partials[event.source] = labelled(event.text, event.source)
        self.partial_text.emit("  ".join(t for t in self._partials.values() if t))

    def _on_confirmed(self, event: TranscriptEvent) -> None:
        self.confirmed_text.emit(labelled(event.text, event.source))
        self.confirmed_line.emit(event)

    def _on_translated(self, event: TranscriptEvent) -> None:
        """A final's translation: saved with its line, then shown under it."""
        self.sink.add_translation(event)
        if event.final is not None:
            self.translated_line.emit(event.final, event.text)

    def _on_cleared(self) -> None:
        self._partials.clear()
        self.cleared.emit()
