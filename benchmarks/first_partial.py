"""How soon the first partial of each utterance appears after speech begins, in real time.

    python benchmarks/first_partial.py [--clips 10] [--gap-s 2.0]

Joins the first ``--clips`` recordings of ../shared/testdata/speech/zh_varied and six of
zh_biaobei_csmsc with ``--gap-s`` of room noise (-60 dBFS) before each, so every utterance
begins after the recogniser has gone idle. Plays the result in real time through the
recognition worker in its own thread (50 ms blocks, as the microphone delivers them) and
prints, per utterance, the wall time from speech onset (Silero on the clip alone) to the
first partial that reaches the receiving thread. Whisper base int8 on the CPU.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Slot

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from captioner.asr.vad import speech_spans  # noqa: E402
from captioner.asr.whisper.engine import WhisperStreamingRecognizer  # noqa: E402
from captioner.asr.whisper.loading import load_whisper  # noqa: E402
from captioner.audio import SAMPLE_RATE  # noqa: E402
from captioner.audio.file_source import FileSource, read_audio_file  # noqa: E402
from captioner.control.worker import RecognitionWorker, WorkerThread  # noqa: E402
from captioner.transcript.events import TranscriptEvent  # noqa: E402
from tests.support.data import write_wav  # noqa: E402

SPEECH = Path(os.environ.get("CAPTIONER_SHARED", ROOT.parent / "shared"), "testdata", "speech")


def build_stream(clips: int, gap_s: float) -> tuple[np.ndarray, list[float]]:
    """The joined audio and each utterance's speech onset (seconds)."""
    files = sorted((SPEECH / "zh_varied").glob("*.wav"))[:clips]
    files += sorted((SPEECH / "zh_biaobei_csmsc").glob("*.wav"))[:6]
    rng = np.random.default_rng(1)
    parts: list[np.ndarray] = []
    onsets: list[float] = []
    position = 0
    for path in files:
        clip = read_audio_file(path)
        spans = speech_spans(clip)
        if not spans:
            continue
        noise = (rng.standard_normal(int(gap_s * SAMPLE_RATE)) * 10 ** (-60 / 20)).astype(
            np.float32
        )
        onsets.append((position + noise.shape[0]) / SAMPLE_RATE + spans[0][0])
        parts += [noise, clip]
        position += noise.shape[0] + clip.shape[0]
    parts.append(np.zeros(2 * SAMPLE_RATE, dtype=np.float32))
    return np.concatenate(parts), onsets


class Receiver(QObject):
    """Stamps each partial as it arrives in this (the receiving) thread."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__()
        self.app = app
        self.partials: list[tuple[float, str]] = []

    @Slot(object)
    def partial(self, event: TranscriptEvent) -> None:
        self.partials.append((time.monotonic(), event.text))

    @Slot()
    def finished(self) -> None:
        self.app.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--gap-s", type=float, default=2.0)
    args = parser.parse_args()
    app = QCoreApplication([])
    audio, onsets = build_stream(args.clips, args.gap_s)
    model = load_whisper("base", device="cpu", compute_type="int8").model
    receiver = Receiver(app)
    started: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        path = write_wav(Path(folder) / "stream.wav", audio)

        def source() -> FileSource:
            started.append(time.monotonic())
            return FileSource(path, realtime=True, block_seconds=0.05)

        worker = RecognitionWorker(lambda: (WhisperStreamingRecognizer(model), None), source)
        worker.partial.connect(receiver.partial)
        worker.finished.connect(receiver.finished)
        runner = WorkerThread(worker)
        runner.start()
        app.exec()
        runner.stop()
    delays = []
    for onset in onsets:
        later = [t - started[0] for t, text in receiver.partials if text and t - started[0] > onset]
        if later:
            delays.append(later[0] - onset)
    d = np.array(delays)
    print(
        f"first partial after speech onset: {len(d)} of {len(onsets)} utterances, "
        f"median {np.median(d):.3f} s, p90 {np.percentile(d, 90):.3f} s, max {d.max():.3f} s"
    )
    print("per utterance:", " ".join(f"{x:.2f}" for x in d))


if __name__ == "__main__":
    main()
