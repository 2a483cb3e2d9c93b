import numpy as np

from captioner.asr.stream_buffer import StreamBuffer


def ramp(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.float32)


def test_feed_queues_until_absorbed():
    b = StreamBuffer()
    b.feed(ramp(0, 10))
    b.feed(ramp(10, 5))
    assert b.end == 0
    np.testing.assert_array_equal(b.absorb(), ramp(0, 15))
    assert b.end == 15 and b.absorb().size == 0


def test_slices_and_drops_by_absolute_index():
    b = StreamBuffer()
    b.feed(ramp(0, 100))
    b.absorb()
    b.drop_before(40)
    assert b.start == 40 and b.end == 100
    np.testing.assert_array_equal(b.slice(50, 60), ramp(50, 10))
    np.testing.assert_array_equal(b.slice(0, 45), ramp(40, 5))  # clipped to what is held
    b.drop_before(10)  # already gone: nothing changes
    assert b.start == 40
    b.drop_before(500)  # beyond the newest audio: all goes, the clock does not jump
    assert b.start == b.end == 100
    b.feed(ramp(100, 5))
    b.absorb()
    np.testing.assert_array_equal(b.slice(100, 105), ramp(100, 5))


def test_reset_keeps_the_clock_running():
    b = StreamBuffer()
    b.feed(ramp(0, 30))
    b.absorb()
    b.feed(ramp(30, 20))  # queued, not yet absorbed: still counts as fed
    assert b.reset() == 50
    assert b.start == b.end == 50
    b.feed(ramp(50, 5))
    b.absorb()
    np.testing.assert_array_equal(b.slice(50, 55), ramp(50, 5))


def test_a_long_stream_keeps_every_sample_through_growth_and_reuse():
    """Chunks of varying size, with old audio dropped as an engine does: every slice is the
    audio fed at those indices, across the store's growth and its reuse of dropped room."""
    b = StreamBuffer()
    rng = np.random.default_rng(3)
    fed = 0
    for _ in range(400):
        n = int(rng.integers(1, 6000))
        b.feed(ramp(fed, n))
        fed += n
        np.testing.assert_array_equal(b.absorb(), ramp(fed - n, n))
        if rng.random() < 0.5:
            b.drop_before(fed - int(rng.integers(0, 40000)))
        start = int(rng.integers(b.start, b.end + 1))
        end = int(rng.integers(start, b.end + 1))
        np.testing.assert_array_equal(b.slice(start, end), ramp(start, end - start))
    assert b.end == fed


def test_a_slice_is_not_changed_by_later_audio():
    b = StreamBuffer()
    b.feed(ramp(0, 100))
    b.absorb()
    kept = b.slice(0, 100)
    b.drop_before(100)
    for i in range(20):  # enough to reuse (and overwrite) the room the slice came from
        b.feed(ramp(100 + 50_000 * i, 50_000))
        b.absorb()
        b.drop_before(b.end - 1000)
    np.testing.assert_array_equal(kept, ramp(0, 100))
