import threading
import time

import numpy as np
import pytest

from captioner.audio.ring_buffer import RingBuffer


def ramp(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.float32)


def test_write_then_read_returns_samples_in_order():
    ring = RingBuffer(10)
    ring.write(ramp(0, 4))
    ring.write(ramp(4, 3))
    assert ring.available() == 7
    np.testing.assert_array_equal(ring.read(5), ramp(0, 5))
    np.testing.assert_array_equal(ring.read(), ramp(5, 2))
    assert ring.read().size == 0
    assert ring.dropped == 0


def test_wraps_around_the_end_of_storage():
    ring = RingBuffer(8)
    ring.write(ramp(0, 6))
    ring.read(5)
    ring.write(ramp(6, 6))  # wraps
    np.testing.assert_array_equal(ring.read(), ramp(5, 7))


def test_overflow_drops_the_oldest_audio_and_counts_it():
    ring = RingBuffer(8)
    ring.write(ramp(0, 5))
    ring.write(ramp(5, 7))  # 12 written, only the newest 8 fit
    got = ring.read()
    assert ring.dropped + got.size == 12
    assert ring.dropped >= 4
    np.testing.assert_array_equal(got, ramp(12 - got.size, got.size))  # newest, contiguous


def test_block_larger_than_capacity_keeps_its_newest_part():
    ring = RingBuffer(4)
    ring.write(ramp(0, 10))
    got = ring.read()
    np.testing.assert_array_equal(got, ramp(10 - got.size, got.size))
    assert ring.dropped == 10 - got.size
    assert ring.total_written == 10


def test_capacity_must_be_positive():
    with pytest.raises(ValueError):
        RingBuffer(0)


def _produce(ring: RingBuffer, total: int, seed: int, pause: float) -> None:
    rng = np.random.default_rng(seed)
    written = 0
    while written < total:
        n = int(min(rng.integers(1, 400), total - written))
        ring.write(ramp(written, n))
        written += n
        if pause:
            time.sleep(pause)


def test_threaded_producer_and_consumer_lose_nothing_when_consumer_keeps_up():
    # Room for everything: whatever the scheduling, every read is concurrent with writes and
    # must still return exactly what was written, in order.
    total = 400_000
    ring = RingBuffer(total)
    # Paced like an audio callback (~200 samples per 0.2 ms), far faster than real time.
    producer = threading.Thread(target=_produce, args=(ring, total, 1, 0.0002))
    producer.start()
    chunks = []
    while producer.is_alive() or ring.available():
        chunks.append(ring.read())
    producer.join()
    chunks.append(ring.read())
    got = np.concatenate(chunks)
    assert ring.dropped == 0
    np.testing.assert_array_equal(got, ramp(0, total))


def test_threaded_slow_consumer_gets_only_uncorrupted_runs_and_counts_drops():
    ring = RingBuffer(2_000)
    total = 300_000
    producer = threading.Thread(target=_produce, args=(ring, total, 2, 0.0001))
    producer.start()
    received = 0
    while producer.is_alive() or ring.available():
        chunk = ring.read()
        if chunk.size:
            # Whatever survives must be a contiguous run of what was written: no torn data.
            np.testing.assert_array_equal(chunk, ramp(int(chunk[0]), chunk.size))
            received += chunk.size
        time.sleep(0.002)
    producer.join()
    received += ring.read().size
    assert received + ring.dropped == total
    assert ring.dropped > 0  # this consumer really was too slow
