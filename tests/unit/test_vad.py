import numpy as np

from captioner.asr.vad import WINDOW, SileroVad, SpeechSegmenter, VadConfig
from captioner.audio.file_source import read_audio_file
from tests.support.data import speech


def windows(seconds: float) -> int:
    return int(seconds * 16000 / WINDOW)


def test_segmenter_reports_start_and_end_with_hysteresis():
    seg = SpeechSegmenter(VadConfig(threshold=0.5, neg_threshold=0.35, min_silence_s=0.3))
    probs = np.concatenate(
        [
            np.full(windows(0.5), 0.1),  # silence
            np.full(windows(1.0), 0.9),  # speech
            np.full(windows(0.2), 0.4),  # between thresholds: still speech
            np.full(windows(0.1), 0.1),  # a short pause: not an end
            np.full(windows(0.5), 0.9),
            np.full(windows(1.0), 0.05),  # long silence: end
        ]
    )
    events = seg.feed(probs)
    assert [e.kind for e in events] == ["start", "end"]
    assert events[0].sample == windows(0.5) * WINDOW
    end_window = windows(0.5) + windows(1.0) + windows(0.2) + windows(0.1) + windows(0.5)
    assert events[1].sample == end_window * WINDOW


def test_segmenter_feeding_in_pieces_matches_feeding_at_once():
    rng = np.random.default_rng(0)
    probs = (rng.random(2000) > 0.6).astype(np.float32)
    probs = np.repeat(probs[::20], 20)
    whole = SpeechSegmenter().feed(probs)
    pieces = SpeechSegmenter()
    split = []
    for i in range(0, probs.size, 7):
        split += pieces.feed(probs[i : i + 7])
    assert whole == split
    assert len(whole) >= 2


def test_silero_finds_real_speech_and_not_silence():
    clip = read_audio_file(speech("zh_biaobei_csmsc/000011.wav"))
    audio = np.concatenate([np.zeros(16000, np.float32), clip, np.zeros(16000, np.float32)])
    events = SpeechSegmenter().feed(SileroVad()(audio))
    kinds = [e.kind for e in events]
    assert kinds == ["start", "end"]
    start, end = events[0].sample / 16000, events[1].sample / 16000
    assert 1.1 < start < 1.6  # the clip's speech begins ~0.32 s in
    assert 3.5 < end < 4.3  # and ends ~0.2 s before the clip does


def test_silero_streaming_in_chunks_equals_one_call():
    clip = read_audio_file(speech("zh_biaobei_csmsc/000012.wav"))
    # Running on every window (resting answers its skipped quiet windows with 0).
    whole = SileroVad(rest=False)(clip)
    vad = SileroVad(rest=False)
    parts = np.concatenate([vad(clip[i : i + 333]) for i in range(0, clip.size, 333)])
    np.testing.assert_allclose(parts, whole, atol=1e-4)


def test_resting_in_quiet_skips_the_model_and_hears_speech_exactly_as_before():
    """Between utterances of a quiet room the model rests; on waking it replays what it
    skipped since its fresh state, so speech starts and ends where running all along puts
    them, also for the quiet speaker of the varied set right after a long pause."""
    rng = np.random.default_rng(5)
    clips = [
        "zh_biaobei_csmsc/000011.wav",
        "zh_varied/glmasr_example_zh.wav",  # the quiet speaker (about -59 dBFS RMS)
        "zh_varied/funasr_asr_example.wav",
    ]
    parts = []
    for name in clips:
        room = (rng.standard_normal(3 * 16000) * 10 ** (-70 / 20)).astype(np.float32)
        parts += [room, read_audio_file(speech(name))]
    audio = np.concatenate([*parts, np.zeros(16000, np.float32)])

    def events(vad: SileroVad) -> list:
        probs = [vad(audio[i : i + 1600]) for i in range(0, audio.size, 1600)]
        return SpeechSegmenter().feed(np.concatenate(probs))

    resting = SileroVad()
    running = SileroVad(rest=False)
    assert events(resting) == events(running)
    assert len(events(SileroVad())) >= 6
    assert resting.windows_skipped > 16000 / WINDOW  # it did rest in the pauses
    assert running.windows_skipped == 0


def test_a_quiet_room_costs_the_model_one_second_a_minute_at_most():
    rng = np.random.default_rng(6)
    room = (rng.standard_normal(60 * 16000) * 10 ** (-65 / 20)).astype(np.float32)
    vad = SileroVad()
    probs = np.concatenate([vad(room[i : i + 1600]) for i in range(0, room.size, 1600)])
    assert probs.max() < 0.5
    assert vad.windows_skipped >= 59 * 16000 // WINDOW


def test_the_same_audio_gives_the_same_probabilities_however_it_is_split():
    """The worker reads whatever arrived since its last tick, so calls split the stream
    differently on every run: fresh starts, rests and wakes must not move with them (they
    did, and a boundary 32 ms off changed the utterance's text and the context of the next)."""
    rng = np.random.default_rng(7)
    parts = []
    for name in ["zh_biaobei_csmsc/000012.wav", "zh_varied/glmasr_example_zh.wav"]:
        room = (rng.standard_normal(2 * 16000) * 10 ** (-70 / 20)).astype(np.float32)
        parts += [room, read_audio_file(speech(name))]
    audio = np.concatenate([*parts, np.zeros(24000, np.float32)])

    def probabilities(vad: SileroVad, sizes: np.ndarray) -> np.ndarray:
        cuts = np.minimum(np.cumsum(sizes), audio.size)
        return np.concatenate([vad(chunk) for chunk in np.split(audio, cuts)])

    steady = probabilities(SileroVad(), np.full(audio.size // 1600 + 1, 1600))
    for seed in range(3):
        sizes = np.random.default_rng(seed).integers(100, 9000, audio.size // 100)
        split = probabilities(SileroVad(), sizes)
        np.testing.assert_allclose(split, steady, atol=1e-4)
        assert SpeechSegmenter().feed(split) == SpeechSegmenter().feed(steady)
