"""Recognised text on its way out: script conversion, normalisation, events, metrics."""
