"""Controlling captioning: the recognition worker (its QThread), listening modes, global
hotkeys, the session as the app drives it."""
