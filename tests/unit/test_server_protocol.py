"""Protocol v1 messages: encoding, decoding, validation, and the documented schema."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from captioner.server.protocol import (
    AckMessage,
    ClearMessage,
    ControlMessage,
    ErrorMessage,
    FinalMessage,
    HelloMessage,
    PartialMessage,
    PingMessage,
    PipelineState,
    PongMessage,
    ProtocolError,
    StateMessage,
    TranslationMessage,
    decode_client,
    decode_server,
    encode,
    to_dict,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
STATE = PipelineState("listening", "whisper", "base", "zh", 0.42, 0.0)
FINAL = FinalMessage(3, "曼萨尼约港口被关闭", 3.58, 5.9, 1763726406.33)
PARTIAL = PartialMessage(8, "曼萨尼约", 3.576, 4.58)
SERVER_MESSAGES = [
    HelloMessage(
        "0.1.0", "9afb5db5699d435d83d9354fe5e115d1", STATE, (FINAL,), PARTIAL, "open", 1.5
    ),
    HelloMessage("0.1.0", "9afb5db5699d435d83d9354fe5e115d1", STATE, (), None, "token", 2.0),
    PARTIAL,
    PartialMessage(9, "", 5.9, 5.9),
    FINAL,
    StateMessage(STATE),
    StateMessage(PipelineState("starting", "whisper", "base", None)),
    ClearMessage(),
    ErrorMessage("unauthorized", "Control needs the server's token.", 7),
    ErrorMessage("pipeline", "The microphone was disconnected."),
    PongMessage(12.5, "p1"),
    AckMessage("toggle"),
    # Translation on: a final's translation, and hello replaying it.
    TranslationMessage(3, "The port of Manzanillo was closed.", "en"),
    HelloMessage(
        "0.1.0",
        "9afb5db5699d435d83d9354fe5e115d1",
        STATE,
        (FINAL,),
        None,
        "open",
        3.0,
        translations=(TranslationMessage(3, "The port of Manzanillo was closed.", "en"),),
    ),
    # Two sources (--source both): each text names its side.
    FinalMessage(4, "我们下周再谈", 6.0, 7.5, 1763726408.0, source="Me"),
    PartialMessage(10, "曼萨", 7.6, 8.0, source="Others"),
    HelloMessage(
        "0.1.0",
        "9afb5db5699d435d83d9354fe5e115d1",
        STATE,
        (FinalMessage(1, "好", 0.0, 0.5, 1.0, source="对方"),),
        PartialMessage(2, "我", 0.6, 0.8, source="我"),
        "open",
        2.5,
    ),
]


def test_one_source_messages_have_no_source_field_and_two_sources_have_one():
    """Backward compatible: a client of protocol 1 sees exactly the fields it always saw."""
    assert "source" not in to_dict(FINAL) and "source" not in to_dict(PARTIAL)
    labelled = to_dict(FinalMessage(4, "好", 6.0, 7.5, 1.0, source="Others"))
    assert labelled["source"] == "Others"
    assert decode_server(encode(FinalMessage(4, "好", 6.0, 7.5, 1.0))) == FinalMessage(
        4, "好", 6.0, 7.5, 1.0
    )
    with pytest.raises(ProtocolError):
        decode_server(json.dumps({**labelled, "source": 3}))


def schema_validator(part: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((DOCS / "protocol.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{part}", "$defs": schema["$defs"]})


@pytest.mark.parametrize("message", SERVER_MESSAGES, ids=lambda m: type(m).__name__)
def test_server_messages_round_trip_and_match_the_schema(message):
    data = encode(message)
    assert decode_server(data) == message
    schema_validator("server_message").validate(json.loads(data))


def test_encoding_is_compact_utf8_with_readable_chinese():
    data = encode(FINAL)
    assert "曼萨尼约".encode() in data and b"\\u" not in data
    assert b" " not in data  # compact separators: many clients, small frames
    assert json.loads(data) == {
        "type": "final",
        "id": 3,
        "text": "曼萨尼约港口被关闭",
        "start": 3.58,
        "end": 5.9,
        "wall": 1763726406.33,
    }


def test_hello_carries_language_at_the_top_and_in_the_state():
    obj = to_dict(SERVER_MESSAGES[0])
    assert obj["language"] == obj["state"]["language"] == "zh"
    assert obj["protocol"] == 1 and obj["segments"][0]["id"] == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"type": "ping"}', PingMessage()),
        ('{"type": "ping", "id": "p1"}', PingMessage("p1")),
        ('{"type": "control", "action": "toggle", "id": 7}', ControlMessage("toggle", None, 7)),
        (
            '{"type": "control", "action": "stop", "token": "abcdefgh"}',
            ControlMessage("stop", "abcdefgh"),
        ),
        # unknown fields are ignored, so newer clients keep working
        ('{"type": "control", "action": "reset", "future": [1]}', ControlMessage("reset")),
        (b'{"type": "control", "action": "start"}', ControlMessage("start")),
    ],
)
def test_valid_client_messages_decode(text, expected):
    assert decode_client(text) == expected
    schema_validator("client_message").validate(json.loads(text))


@pytest.mark.parametrize(
    ("text", "code", "request_id"),
    [
        ("not json", "bad_json", None),
        ("", "bad_json", None),
        (b"\xff\xfe", "bad_json", None),
        ("[1, 2]", "bad_message", None),
        ('"ping"', "bad_message", None),
        ('{"action": "stop"}', "bad_message", None),
        ('{"type": 5}', "bad_message", None),
        ('{"type": "dance", "id": 4}', "unknown_type", 4),
        ('{"type": "control", "action": "fly", "id": "x"}', "bad_message", "x"),
        ('{"type": "control"}', "bad_message", None),
        ('{"type": "control", "action": "stop", "token": 123}', "bad_message", None),
        ('{"type": "ping", "id": true}', "bad_message", None),
        ('{"type": "ping", "id": 1.5}', "bad_message", None),
        ('{"type": "ping", "id": "' + "x" * 65 + '"}', "bad_message", None),
        # Escaped lone surrogates: valid JSON, but no UTF-8 can carry them back.
        (r'{"type": "ping", "id": "\ud800"}', "bad_message", None),
        (r'{"type": "control", "action": "stop", "id": "a\udfffb"}', "bad_message", None),
        (r'{"type": "control", "action": "stop", "token": "\ud800", "id": 3}', "bad_message", 3),
    ],
)
def test_invalid_client_messages_raise_protocol_errors(text, code, request_id):
    with pytest.raises(ProtocolError) as caught:
        decode_client(text)
    assert caught.value.code == code
    assert caught.value.request_id == request_id
    assert caught.value.message  # something a person can read
    encode(ErrorMessage(code, caught.value.message, caught.value.request_id))  # can be sent


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "final", "id": "1", "text": "a", "start": 0, "end": 1, "wall": 0}',
        '{"type": "final", "id": 1, "text": "a", "start": true, "end": 1, "wall": 0}',
        '{"type": "partial", "seq": 1, "text": "a", "start": 0}',
        '{"type": "state", "state": "dancing", "engine": "", "model": "", "lag_s": 0, '
        '"dropped_s": 0}',
        '{"type": "surprise"}',
    ],
)
def test_decode_server_rejects_malformed_messages(text):
    with pytest.raises(ProtocolError):
        decode_server(text)


def test_every_json_example_in_the_protocol_document_matches_the_schema():
    document = (DOCS / "protocol.md").read_text(encoding="utf-8")
    examples = re.findall(r"```json\n(.*?)```", document, flags=re.DOTALL)
    assert len(examples) >= 10
    schema = json.loads((DOCS / "protocol.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for example in examples:
        message = json.loads(example)
        validator.validate(message)
        # and each one is exactly what this implementation reads or writes
        if message["type"] in ("control", "ping"):
            assert to_dict(decode_client(example)) == message
        else:
            assert to_dict(decode_server(example)) == message


def test_schema_rejects_what_the_server_must_never_send():
    validator = schema_validator("server_message")
    for bad in (
        {"type": "final", "id": 0, "text": "a", "start": 0, "end": 1, "wall": 0},
        {"type": "final", "id": 1, "text": "", "start": 0, "end": 1, "wall": 0},
        {"type": "partial", "seq": 1, "text": "a", "start": 0, "end": 1, "extra": 1},
        {"type": "clear", "why": "no"},
        {"type": "final", "id": 1, "text": "a", "start": 0, "end": 1, "wall": 0, "source": ""},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(bad)


def test_a_translation_message_and_hellos_translations_round_trip():
    from captioner.server.protocol import (
        FinalMessage,
        HelloMessage,
        PipelineState,
        TranslationMessage,
        decode_server,
        encode,
    )

    message = TranslationMessage(3, "The port was closed.", "en", "Others")
    assert decode_server(encode(message)) == message
    hello = HelloMessage(
        "0.1.0", "a" * 32, PipelineState("listening"),
        (FinalMessage(3, "港口被关闭", 1.0, 2.0, 5.0, "Others"),), None, "open", 9.0,
        translations=(message,),
    )  # fmt: skip
    assert decode_server(encode(hello)) == hello
    plain = replace(hello, translations=())
    assert b"translations" not in encode(plain)  # without translation: as before
