"""The faster-whisper engine: streaming decoding, models, loading on GPU or CPU."""
