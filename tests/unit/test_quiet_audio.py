"""Quiet utterances are lifted before decoding; normal ones are left as they are."""

import numpy as np

from captioner.asr.whisper.engine import MAX_GAIN, TARGET_PEAK, loudness_normalised


def test_quiet_audio_is_lifted_to_the_target_peak():
    quiet = np.array([0.0, 0.02, -0.04], np.float32)
    assert np.max(np.abs(loudness_normalised(quiet))) == np.float32(TARGET_PEAK)


def test_very_quiet_audio_gets_at_most_the_maximum_gain():
    faint = np.array([0.0, 0.001], np.float32)
    assert np.allclose(loudness_normalised(faint), faint * MAX_GAIN)


def test_normal_audio_and_silence_are_unchanged():
    normal = np.array([0.0, 0.3, -0.5], np.float32)
    assert loudness_normalised(normal) is normal
    silence = np.zeros(4, np.float32)
    assert loudness_normalised(silence) is silence
