"""A microphone that delivers only exact digital silence (blocked by the system, or muted) is
told apart from a quiet room, and the user is told where to allow it."""

from __future__ import annotations

import numpy as np
import pytest

from captioner.audio.silence import (
    SILENT_AFTER_S,
    SILENT_AFTER_SOUND_S,
    DigitalSilence,
    silent_microphone_text,
)

RATE = 48_000


def blocks(audio: np.ndarray, size: int = 2400) -> list[np.ndarray]:
    """What the reading side gets: the capture in pieces of any size."""
    return [audio[i : i + size] for i in range(0, len(audio), size)]


def zeros(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.float32)


def quiet_room(seconds: float, seed: int = 0) -> np.ndarray:
    """A real microphone in a silent room: noise in the lowest bits (16-bit dither), never
    exactly zero for long."""
    rng = np.random.default_rng(seed)
    return (rng.integers(-2, 3, int(seconds * RATE)) / 32768).astype(np.float32)


def feed(watch: DigitalSilence, audio: np.ndarray) -> None:
    for block in blocks(audio):
        watch.feed(block)


def test_exact_zeros_from_the_start_are_silent_after_a_few_seconds():
    watch = DigitalSilence(RATE)
    feed(watch, zeros(SILENT_AFTER_S - 0.1))
    assert not watch.silent  # a device starting up may begin with zeros
    feed(watch, zeros(0.1))
    assert watch.silent


def test_a_quiet_room_is_never_silent():
    watch = DigitalSilence(RATE)
    room = quiet_room(10 * SILENT_AFTER_S)
    assert (room == 0).mean() > 0.1  # many single samples are zero: only runs count
    feed(watch, room)
    assert not watch.silent


def test_sound_ends_the_silence_at_once():
    watch = DigitalSilence(RATE)
    feed(watch, zeros(5))
    assert watch.silent
    one_sample = zeros(0.05)
    one_sample[-1] = 1e-6  # the smallest sound, at the very end of a block
    watch.feed(one_sample)
    assert not watch.silent


def test_zeros_after_the_last_sound_count_even_within_one_block():
    watch = DigitalSilence(RATE)
    audio = np.concatenate([quiet_room(1), zeros(SILENT_AFTER_SOUND_S)])
    watch.feed(audio)  # one large read
    assert watch.silent


def test_after_sound_a_microphone_counts_as_silent_only_much_later():
    # Noise suppression (NVIDIA Broadcast, Krisp) sends exact zeros between two sentences.
    watch = DigitalSilence(RATE)
    feed(watch, quiet_room(1))
    feed(watch, zeros(SILENT_AFTER_SOUND_S - 1))
    assert not watch.silent
    feed(watch, zeros(1))
    assert watch.silent  # muted during the session


def test_empty_reads_change_nothing():
    watch = DigitalSilence(RATE)
    feed(watch, zeros(SILENT_AFTER_S))
    for _ in range(100):
        watch.feed(np.zeros(0, np.float32))
    assert watch.silent
    fresh = DigitalSilence(RATE)
    for _ in range(1000):  # a capture that delivers nothing is not silent: it is stalled
        fresh.feed(np.zeros(0, np.float32))
    assert not fresh.silent


def test_negative_zero_is_silence_too():
    watch = DigitalSilence(RATE)
    feed(watch, -zeros(SILENT_AFTER_S))
    assert watch.silent


@pytest.mark.parametrize(
    ("platform", "where"),
    [
        ("win32", "Settings → Privacy & security → Microphone"),
        ("darwin", "System Settings → Privacy & Security → Microphone"),
        ("linux", "muted"),
    ],
)
def test_the_user_is_told_where_to_allow_the_microphone(platform, where):
    text = silent_microphone_text("USB Mic", platform)
    assert "'USB Mic'" in text and "only silence" in text and where in text
