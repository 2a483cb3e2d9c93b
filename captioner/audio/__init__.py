"""Audio in: microphone and file sources feeding a ring buffer, resampled to 16 kHz mono."""
