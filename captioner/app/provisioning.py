"""Getting the models the settings ask for onto this computer before recognition starts:
downloading them with a progress window, or falling back to the embedded Whisper model."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject

from captioner.asr.funasr.loading import funasr_available, install_hint, resolve_all
from captioner.asr.whisper.models import embedded_base_available, find_local_whisper_model
from captioner.control.config import funasr_config
from captioner.control.problems import Problem
from captioner.settings import Settings
from captioner.ui.download_dialog import DownloadDialog


class ModelProvisioner(QObject):
    """Runs a continuation once the models a Settings needs are here (or replaced)."""

    def __init__(self, report: Callable[[Problem], None]) -> None:
        super().__init__()
        self._report = report
        self.download_dialog: DownloadDialog | None = None  # while a download runs

    def ensure(self, settings: Settings, then: Callable[[Settings], None]) -> None:
        """Call ``then(settings)`` once its models are on this computer: downloading them
        first (with a progress dialog) or, if that fails, switching ``settings`` to the
        embedded Whisper model when there is one."""
        recognition = settings.recognition
        if recognition.engine == "funasr":
            if not funasr_available():
                self._report(
                    Problem(
                        self.tr("The FunASR engine is not installed. {INSTALL_HINT}").format(
                            INSTALL_HINT=install_hint()
                        ),
                        "error",
                    )
                )
                self._fall_back_to_embedded(settings)
                then(settings)
                return
            options = funasr_config(settings.recognition)
            # Always through the dialog: even finding the cached models takes a moment
            # (it loads the hub clients), which the window must not wait for.
            dialog = DownloadDialog(
                "FunASR (Paraformer, VAD, punctuation)",
                resolve=lambda progress, cancel: resolve_all(options, progress, cancel),
            )
        elif find_local_whisper_model(recognition.model):
            then(settings)
            return
        else:
            dialog = DownloadDialog(recognition.model, recognition.download_mirror)
        wanted = recognition.model if recognition.engine == "whisper" else "FunASR"

        def finished(outcome: str) -> None:
            self.download_dialog = None
            if outcome != "ready":
                fell_back = self._fall_back_to_embedded(settings)
                if outcome != "use_base":
                    self._report(_unavailable(wanted, fell_back))
            then(settings)

        dialog.outcome.connect(finished)
        self.download_dialog = dialog  # kept alive while it runs
        dialog.start()

    @staticmethod
    def _fall_back_to_embedded(settings: Settings) -> bool:
        """Switch ``settings`` to the embedded Whisper base model, if it is installed."""
        if not embedded_base_available():
            return False
        settings.recognition.engine = "whisper"
        settings.recognition.model = "base"
        return True


def _unavailable(wanted: str, fell_back: bool) -> Problem:
    if fell_back:
        return Problem(
            QCoreApplication.translate(
                "provisioning", "{wanted} is not available: using the built-in base model."
            ).format(wanted=wanted),
            "warning",
        )
    return Problem(
        QCoreApplication.translate(
            "provisioning",
            "{wanted} is not available, and this installation has no built-in model: "
            "captioning needs a model (choose or download one in Settings).",
        ).format(wanted=wanted),
        "error",
    )
