"""Audio in: microphone and file sources feeding a ring buffer, resampled to 16 kHz mono."""

SAMPLE_RATE = 16_000  # what every recogniser takes: 16 kHz mono float32
