"""Captioner: local live captions for Mandarin Chinese."""

__version__ = "0.1.0"
