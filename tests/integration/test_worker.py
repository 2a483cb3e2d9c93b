"""The recognition worker in its own QThread, driven through Qt signals and slots."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject, Slot

from captioner.asr.whisper.engine import WhisperStreamingRecognizer
from captioner.audio.file_source import FileSource
from captioner.control.worker import RecognitionWorker, WorkerThread
from captioner.errors import AudioDeviceError
from captioner.transcript.metrics import character_error_rate
from tests.support.data import write_wav, zh_stream

pytestmark = pytest.mark.model


class Recorder(QObject):
    """Receives the worker's signals in the GUI thread, as the app's widgets do (queued)."""

    def __init__(self, worker: RecognitionWorker) -> None:
        super().__init__()
        self.got: dict[str, list] = {n: [] for n in ("partial", "confirmed", "status", "error")}
        self.got.update(ready=[], finished=[], source_failed=[], capturing=[])
        worker.partial.connect(self.on_partial)
        worker.confirmed.connect(self.on_confirmed)
        worker.status.connect(self.on_status)
        worker.error.connect(self.on_error)
        worker.ready.connect(self.on_ready)
        worker.finished.connect(self.on_finished)
        worker.source_failed.connect(self.on_source_failed)
        worker.capturing.connect(self.on_capturing)

    @Slot(object)
    def on_partial(self, event) -> None:
        self.got["partial"].append(event)

    @Slot(object)
    def on_confirmed(self, event) -> None:
        self.got["confirmed"].append(event)

    @Slot(object)
    def on_status(self, status) -> None:
        self.got["status"].append(status)

    @Slot(str)
    def on_error(self, message: str) -> None:
        self.got["error"].append(message)

    @Slot(str)
    def on_ready(self, notice: str) -> None:
        self.got["ready"].append(notice)

    @Slot()
    def on_finished(self) -> None:
        self.got["finished"].append(True)

    @Slot(str)
    def on_source_failed(self, message: str) -> None:
        self.got["source_failed"].append(message)

    @Slot(str)
    def on_capturing(self, source: str) -> None:
        self.got["capturing"].append(source)


@pytest.fixture
def start_worker(whisper_base):
    """Makes a worker on the real base model and its thread (not yet started), and records
    what it emits; every thread is stopped at teardown, whatever the test did."""
    runners = []

    def start(make_source, listening=True, load_s=0.0):
        def make_recognizer():
            time.sleep(load_s)  # stands for a slow model load
            return WhisperStreamingRecognizer(whisper_base.model), None

        worker = RecognitionWorker(
            make_recognizer,
            make_source,
            listening=listening,
        )
        runner = WorkerThread(worker)
        recorder = Recorder(worker)
        runners.append((runner, recorder))
        return runner, recorder.got

    yield start
    for runner, _recorder in runners:
        runner.stop()


def speech_file(tmp_path, numbers, gap_s=0.6):
    audio, reference = zh_stream(numbers, gap_s=gap_s)
    return write_wav(tmp_path / "speech.wav", audio), reference


def test_worker_thread_turns_audio_into_signals(qtbot, qapp, start_worker, tmp_path):
    wav, reference = speech_file(tmp_path, [61, 72])  # right from a file under every kernel set
    runner, got = start_worker(lambda: FileSource(wav, realtime=True))
    runner.start()
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=120_000)
    runner.stop()
    assert got["ready"] == [""]
    assert got["error"] == []
    confirmed = "".join(e.text for e in got["confirmed"])
    assert character_error_rate(confirmed, reference) < 0.25
    assert any(e.text for e in got["partial"])
    assert got["status"] and got["status"][-1].dropped_s == 0
    assert runner.thread.isFinished()


def test_event_times_count_from_the_stream_start_not_the_model_load(
    qtbot, qapp, start_worker, tmp_path
):
    # `t` is wall-clock seconds since the stream started (the --events contract, and what the
    # benchmark's latencies are computed from): a slow model load must not shift it.
    wav, _ = speech_file(tmp_path, [2])
    runner, got = start_worker(lambda: FileSource(wav, realtime=True), load_s=3.0)
    runner.start()
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=120_000)
    runner.stop()
    assert got["confirmed"]
    for event in got["confirmed"]:
        # Confirmed after its audio ended (played in real time), and well before 3 s later.
        assert event.end - 0.1 <= event.t < event.end + 2.5, (event.t, event.end)


def test_finish_and_reset_requests_act_in_the_worker_thread(qtbot, qapp, start_worker, tmp_path):
    wav, _ = speech_file(tmp_path, [71, 91], gap_s=0.0)
    runner, got = start_worker(lambda: FileSource(wav, realtime=True))
    runner.start()
    qtbot.waitUntil(lambda: bool(got["ready"]), timeout=30_000)
    qtbot.waitUntil(lambda: any(e.text for e in got["partial"]), timeout=10_000)
    runner.finish_utterance()  # confirm mid-sentence, as a push-to-talk release does
    qtbot.waitUntil(lambda: bool(got["confirmed"]), timeout=10_000)
    qtbot.waitUntil(lambda: got["partial"][-1].text == "", timeout=5_000)
    qtbot.waitUntil(lambda: bool(got["partial"][-1].text), timeout=10_000)
    confirmed_before = len(got["confirmed"])
    runner.reset()  # forget the sentence in progress: its partial goes, nothing is confirmed
    qtbot.waitUntil(lambda: got["partial"][-1].text == "", timeout=10_000)
    assert len(got["confirmed"]) == confirmed_before
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=30_000)
    runner.stop()
    assert got["error"] == []


def test_capture_failure_is_reported_and_a_restart_recovers(qtbot, qapp, start_worker, tmp_path):
    wav, reference = speech_file(tmp_path, [61])

    def unplugged():
        raise AudioDeviceError("No microphone or other audio input device was found.")

    runner, got = start_worker(unplugged)
    runner.start()
    qtbot.waitUntil(lambda: bool(got["source_failed"]), timeout=30_000)
    assert got["source_failed"] == ["No microphone or other audio input device was found."]
    assert not got["finished"]  # the worker waits for the device instead of dying
    runner.restart_source(lambda: FileSource(wav, realtime=True))  # "plugged back in"
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=60_000)
    assert got["capturing"]
    confirmed = "".join(e.text for e in got["confirmed"])
    assert character_error_rate(confirmed, reference) < 0.25


def test_a_retry_that_crosses_a_successful_reopen_leaves_capture_alone(
    qtbot, qapp, start_worker, tmp_path
):
    # The app retries a failed device every 2 s and opening may take longer, so a retry can
    # arrive after capture is back: reopening then would lose what plays meanwhile.
    wav, reference = speech_file(tmp_path, [61])
    opened = []

    def make_source():
        opened.append(FileSource(wav, realtime=True))
        return opened[-1]

    runner, got = start_worker(make_source)
    runner.start()
    qtbot.waitUntil(lambda: bool(got["capturing"]), timeout=30_000)
    runner.restart_source()  # "reopen the same": capture is working, so nothing to do
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=60_000)
    assert len(opened) == 1 and len(got["capturing"]) == 1
    confirmed = "".join(e.text for e in got["confirmed"])
    assert character_error_rate(confirmed, reference) < 0.25


def test_not_listening_recognises_nothing(qtbot, qapp, start_worker, tmp_path):
    wav, _ = speech_file(tmp_path, [61], gap_s=0.0)
    runner, got = start_worker(lambda: FileSource(wav, realtime=False), listening=False)
    runner.start()
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=60_000)
    runner.stop()
    assert got["confirmed"] == [] and not any(e.text for e in got["partial"])
    assert got["status"][-1].listening is False


def test_push_to_talk_listens_only_while_held(qtbot, qapp, start_worker, tmp_path):
    wav, reference = speech_file(tmp_path, [71], gap_s=1.0)
    runner, got = start_worker(lambda: FileSource(wav, realtime=True), listening=False)
    runner.start()
    qtbot.waitUntil(lambda: bool(got["ready"]), timeout=30_000)
    runner.set_listening(True)  # press
    qtbot.waitUntil(lambda: any(len(e.text) >= 6 for e in got["partial"]), timeout=10_000)
    runner.set_listening(False)  # release: what was heard is confirmed at once
    qtbot.waitUntil(lambda: bool(got["confirmed"]), timeout=10_000)
    qtbot.waitUntil(lambda: got["partial"][-1].text == "", timeout=5_000)
    qtbot.waitUntil(lambda: got["status"][-1].listening is False, timeout=5_000)
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=30_000)
    runner.stop()
    heard = "".join(e.text for e in got["confirmed"])
    # What was heard while held: the start of the sentence, and nothing after the release.
    assert heard and character_error_rate(heard, reference[: len(heard)]) < 0.5
    assert len(heard) < len(reference) - 3


def test_silence_is_read_in_larger_batches_and_reported_less_often(
    qtbot, qapp, start_worker, tmp_path
):
    # Between utterances a 20 ms tick and a status signal per tick cost a silent meeting
    # about 5 % of a core; silence is now read every IDLE_TICK_MS and reported when what it
    # shows changes (or its lag moves), at most every LAG_STEP_S.
    import numpy as np

    from captioner.asr.session import LAG_STEP_S

    silence = write_wav(tmp_path / "silence.wav", np.zeros(3 * 16000, np.float32))
    runner, got = start_worker(lambda: FileSource(silence, realtime=True))
    runner.start()
    qtbot.waitUntil(lambda: bool(got["finished"]), timeout=60_000)
    statuses = got["status"]
    assert statuses and not any(s.in_speech for s in statuses)
    assert len(statuses) <= 3.0 / LAG_STEP_S + 3, len(statuses)  # 20 ms ticks sent ~150
    assert got["confirmed"] == [] and got["error"] == []


def test_saved_transcripts_keep_the_sessions_wall_clock(qtbot, qapp, whisper_base, tmp_path):
    # Push-to-talk: the first sentence plays while not listening, the second is held. The
    # recogniser hears only the second, from its own clock's 0; the transcript (and its .srt)
    # must place it where it was said in the session, to line up with a recording of it.
    from captioner.asr.types import Segment

    first = zh_stream([2], gap_s=1.0)[0].shape[0] / 16000  # where the second one starts
    wav, _ = speech_file(tmp_path, [2, 61], gap_s=1.0)
    saved: list[Segment] = []
    worker = RecognitionWorker(
        lambda: (WhisperStreamingRecognizer(whisper_base.model), None),
        lambda: FileSource(wav, realtime=True),
        listening=False,
        confirmed_sinks=[saved.append],
    )
    runner = WorkerThread(worker)
    recorder = Recorder(worker)  # kept: a collected QObject would receive nothing
    got = recorder.got
    runner.start()
    try:
        qtbot.waitUntil(lambda: bool(got["capturing"]), timeout=60_000)
        playing_since = time.monotonic()  # the file plays at real-time pace from here
        qtbot.waitUntil(lambda: time.monotonic() - playing_since >= first - 0.5, timeout=60_000)
        runner.set_listening(True)  # press, just before the second sentence
        qtbot.waitUntil(lambda: bool(got["finished"]), timeout=60_000)
    finally:
        runner.stop()
    assert saved and got["confirmed"]
    heard_from = got["confirmed"][0].start  # the recogniser's clock: about 0
    assert heard_from < 1.5
    assert first - 0.8 <= saved[0].start <= first + 1.5, (saved[0], first)
    assert saved[-1].end <= wav.stat().st_size / 32000 + 1.0
