"""Audio in: microphone and file sources feeding a ring buffer, resampled to 16 kHz mono."""

SAMPLE_RATE = 16_000  # what every recogniser takes: 16 kHz mono float32

# Capture hands audio over in blocks this long. Each block wakes a thread and takes the GIL:
# at 20 ms, listening to a silent room cost 1.5 % of one core in PortAudio's callback thread
# (microphone) and about 3.4 % in the system-audio thread; at 50 ms, 0.7 % and 1.6 %.
# Audio reaches the recogniser at most 30 ms later, against a 0.6 s confirm latency.
BLOCK_SECONDS = 0.05
