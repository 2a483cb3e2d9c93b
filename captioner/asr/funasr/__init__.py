"""The FunASR engine: Paraformer streaming, FSMN-VAD endpoints and a second pass."""
