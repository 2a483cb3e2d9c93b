"""Translation of confirmed lines: a line in another language under each (never partials).

Qt-free, below the live pipeline: ``config`` (what the user asked for, checked before
anything starts), ``translator`` (the worker thread that never builds up lag), the two
backends (``speech``: Whisper's own translate task on the line's audio; ``chat``: an
OpenAI-compatible chat endpoint, local first), and ``keys`` (the endpoint's key in the
system's credential store).
"""
