"""Recognised text on its way out: events, transcript files, accuracy metrics."""
