"""Transcript events: one source as always, two sources labelled."""

from __future__ import annotations

import json

from captioner.transcript.events import TranscriptEvent


def test_one_source_events_keep_their_old_fields():
    event = TranscriptEvent(1.5, "final", "你好", 0.2, 0.9)
    assert set(json.loads(event.to_json())) == {"t", "type", "text", "start", "end"}
    assert TranscriptEvent.from_json(event.to_json()) == event


def test_two_source_events_name_their_side():
    event = TranscriptEvent(1.5, "partial", "你好", 0.2, 0.9, source="对方")
    data = json.loads(event.to_json())
    assert data["source"] == "对方"
    assert TranscriptEvent.from_json(event.to_json()) == event
