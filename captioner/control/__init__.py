"""Controlling captioning: listening modes, global hotkeys, the session with its worker."""
