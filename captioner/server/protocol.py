"""Protocol v1 of the transcript feed: its messages, their JSON form and their validation.

Pure logic: no I/O, no Qt, no asyncio. The server encodes with these; Python clients (the
benchmark, the tests) decode with them. docs/protocol.md describes the same messages for
everyone else, and docs/protocol.schema.json is checked against real server output.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

PROTOCOL_VERSION = 1

StateName = Literal["starting", "listening", "idle", "stopped"]
ControlAction = Literal["start", "stop", "toggle", "reset"]
ErrorCode = Literal[
    "bad_json",  # the text is not JSON
    "bad_message",  # JSON, but not a valid message (not an object, a field missing or wrong)
    "unknown_type",  # a message type this server does not know
    "unauthorized",  # a control message without the right token
    "unavailable",  # nothing can be controlled (no pipeline), or the action failed
    "pipeline",  # the recognition pipeline reported a problem (broadcast to every client)
]
CONTROL_ACTIONS: tuple[str, ...] = get_args(ControlAction)
STATE_NAMES: tuple[str, ...] = get_args(StateName)
MAX_ID_LENGTH = 64  # client-chosen request ids are echoed back, so they are kept short
_NOT_TEXT = "'{name}' must be Unicode text: a lone surrogate (e.g. \\ud800) is not."

ClientId = str | int | None


class ProtocolError(ValueError):
    """A message that cannot be accepted; ``code`` goes into the ``error`` reply."""

    def __init__(self, code: ErrorCode, message: str, request_id: ClientId = None) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.request_id = request_id


# -- server -> client ------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineState:
    """What the recognition pipeline is doing; sent as ``state`` and inside ``hello``."""

    state: StateName = "starting"
    engine: str = ""
    model: str = ""
    language: str | None = None
    lag_s: float = 0.0  # audio captured but not yet recognised
    dropped_s: float = 0.0  # audio lost because recognition fell too far behind


@dataclass(frozen=True)
class PartialMessage:
    """The whole current unconfirmed text; replaces the previous partial. Empty text clears it."""

    seq: int  # increases with every partial of the session (gaps: coalesced partials)
    text: str
    start: float  # audio seconds
    end: float
    # Which side is speaking when two sources are captioned ("Me" / "Others"); then a partial
    # replaces the previous partial of the same source. None (absent) with one source.
    source: str | None = None


@dataclass(frozen=True)
class FinalMessage:
    """Newly confirmed text. Never re-sent, never changed: append it to what is shown."""

    id: int  # 1, 2, 3, ... within a session
    text: str
    start: float  # audio seconds
    end: float
    wall: float  # Unix time (seconds) when the server published it
    source: str | None = None  # as in PartialMessage


@dataclass(frozen=True)
class TranslationMessage:
    """A final in another language: ``id`` is the final's. Sent after it, once translated."""

    id: int
    text: str
    lang: str  # the translation's language, e.g. "en"
    source: str | None = None  # as in the final


@dataclass(frozen=True)
class HelloMessage:
    version: str  # the app's version
    session: str  # changes whenever the server starts: ids and seq restart with it
    state: PipelineState
    segments: tuple[FinalMessage, ...]  # the last confirmed segments, oldest first
    partial: PartialMessage | None
    control: Literal["open", "token"]  # whether control messages need the token
    server_time: float  # Unix time now, so clients can age ``segments`` without clock skew
    protocol: int = PROTOCOL_VERSION
    # Translations of those segments (absent when there are none, as before translations).
    translations: tuple[TranslationMessage, ...] = ()

    @property
    def language(self) -> str | None:
        return self.state.language


@dataclass(frozen=True)
class StateMessage:
    state: PipelineState


@dataclass(frozen=True)
class ClearMessage:
    """Everything shown so far is void (the transcript was reset)."""


@dataclass(frozen=True)
class ErrorMessage:
    code: ErrorCode
    message: str
    id: ClientId = None  # the id of the client message that caused it, if it had one


@dataclass(frozen=True)
class PongMessage:
    server_time: float
    id: ClientId = None


@dataclass(frozen=True)
class AckMessage:
    """A control message was carried out (its effect also shows in ``state``/``clear``)."""

    action: ControlAction
    id: ClientId = None


ServerMessage = (
    HelloMessage
    | PartialMessage
    | FinalMessage
    | TranslationMessage
    | StateMessage
    | ClearMessage
    | ErrorMessage
    | PongMessage
    | AckMessage
)

# -- client -> server ------------------------------------------------------------------------


@dataclass(frozen=True)
class ControlMessage:
    action: ControlAction
    token: str | None = None
    id: ClientId = None


@dataclass(frozen=True)
class PingMessage:
    id: ClientId = None


ClientMessage = ControlMessage | PingMessage

# -- encoding --------------------------------------------------------------------------------

_TYPES: dict[type, str] = {
    HelloMessage: "hello",
    PartialMessage: "partial",
    FinalMessage: "final",
    TranslationMessage: "translation",
    StateMessage: "state",
    ClearMessage: "clear",
    ErrorMessage: "error",
    PongMessage: "pong",
    AckMessage: "ack",
    ControlMessage: "control",
    PingMessage: "ping",
}


def message_type(message: ServerMessage | ClientMessage) -> str:
    """The ``type`` field of a message."""
    return _TYPES[type(message)]


def _state_fields(s: PipelineState) -> dict[str, Any]:
    return {
        "state": s.state,
        "engine": s.engine,
        "model": s.model,
        "language": s.language,
        "lag_s": round(s.lag_s, 3),
        "dropped_s": round(s.dropped_s, 3),
    }


def _with_source(fields: dict[str, Any], source: str | None) -> dict[str, Any]:
    if source is not None:  # absent with one source: the messages of protocol 1 as they were
        fields["source"] = source
    return fields


def _partial_fields(p: PartialMessage) -> dict[str, Any]:
    return _with_source({"seq": p.seq, "text": p.text, "start": p.start, "end": p.end}, p.source)


def _final_fields(f: FinalMessage) -> dict[str, Any]:
    return _with_source(
        {"id": f.id, "text": f.text, "start": f.start, "end": f.end, "wall": f.wall}, f.source
    )


def _translation_fields(t: TranslationMessage) -> dict[str, Any]:
    return _with_source({"id": t.id, "text": t.text, "lang": t.lang}, t.source)


def _with_id(fields: dict[str, Any], request_id: ClientId) -> dict[str, Any]:
    if request_id is not None:
        fields["id"] = request_id
    return fields


def to_dict(message: ServerMessage | ClientMessage) -> dict[str, Any]:
    """The JSON object of a message."""
    if isinstance(message, HelloMessage):
        return {
            "type": "hello",
            "protocol": message.protocol,
            "version": message.version,
            "session": message.session,
            "language": message.state.language,
            "state": _state_fields(message.state),
            "segments": [_final_fields(f) for f in message.segments],
            "partial": _partial_fields(message.partial) if message.partial else None,
            "control": message.control,
            "server_time": message.server_time,
            **(
                {"translations": [_translation_fields(t) for t in message.translations]}
                if message.translations
                else {}
            ),
        }
    if isinstance(message, PartialMessage):
        return {"type": "partial", **_partial_fields(message)}
    if isinstance(message, FinalMessage):
        return {"type": "final", **_final_fields(message)}
    if isinstance(message, TranslationMessage):
        return {"type": "translation", **_translation_fields(message)}
    if isinstance(message, StateMessage):
        return {"type": "state", **_state_fields(message.state)}
    if isinstance(message, ClearMessage):
        return {"type": "clear"}
    if isinstance(message, ErrorMessage):
        return _with_id(
            {"type": "error", "code": message.code, "message": message.message}, message.id
        )
    if isinstance(message, PongMessage):
        return _with_id({"type": "pong", "server_time": message.server_time}, message.id)
    if isinstance(message, AckMessage):
        return _with_id({"type": "ack", "action": message.action}, message.id)
    if isinstance(message, ControlMessage):
        fields: dict[str, Any] = {"type": "control", "action": message.action}
        if message.token is not None:
            fields["token"] = message.token
        return _with_id(fields, message.id)
    if isinstance(message, PingMessage):
        return _with_id({"type": "ping"}, message.id)
    raise TypeError(f"not a protocol message: {message!r}")


def encode(message: ServerMessage | ClientMessage) -> bytes:
    """Compact UTF-8 JSON (Chinese stays readable, not \\u-escaped): one WebSocket text frame."""
    return json.dumps(to_dict(message), ensure_ascii=False, separators=(",", ":")).encode()


# -- decoding --------------------------------------------------------------------------------


def _load_object(data: str | bytes) -> dict[str, Any]:
    try:
        obj = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ProtocolError("bad_json", f"Not valid JSON: {exc}") from None
    except RecursionError:  # "[[[[..." nested deeper than the parser's stack: not a message
        raise ProtocolError("bad_json", "Not valid JSON: nested too deeply.") from None
    if not isinstance(obj, dict):
        raise ProtocolError("bad_message", "A message must be a JSON object.")
    return obj


def _is_text(value: str) -> bool:
    """False for a string holding a lone surrogate (JSON may escape one, "\\ud800"): no
    UTF-8 can carry it, so it cannot be echoed or compared."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _request_id(obj: dict[str, Any]) -> ClientId:
    value = obj.get("id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ProtocolError("bad_message", "'id' must be a string or an integer.")
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
        raise ProtocolError("bad_message", f"'id' must be at most {MAX_ID_LENGTH} characters.")
    if isinstance(value, str) and not _is_text(value):
        raise ProtocolError("bad_message", _NOT_TEXT.format(name="id"))
    return value


def decode_client(data: str | bytes) -> ClientMessage:
    """Parse and validate one client message; raises :class:`ProtocolError`.

    Unknown extra fields are ignored, so newer clients can talk to this server.
    """
    obj = _load_object(data)
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("bad_message", "A message needs a string 'type'.")
    request_id = _request_id(obj)
    if kind == "ping":
        return PingMessage(request_id)
    if kind == "control":
        action = obj.get("action")
        if action not in CONTROL_ACTIONS:
            raise ProtocolError(
                "bad_message",
                f"'action' must be one of {', '.join(CONTROL_ACTIONS)}; got {action!r}.",
                request_id,
            )
        token = obj.get("token")
        if token is not None and not isinstance(token, str):
            raise ProtocolError("bad_message", "'token' must be a string.", request_id)
        if token is not None and not _is_text(token):
            raise ProtocolError("bad_message", _NOT_TEXT.format(name="token"), request_id)
        return ControlMessage(action, token, request_id)
    raise ProtocolError(
        "unknown_type", f"Unknown message type {kind!r}: expected control or ping.", request_id
    )


def _get(obj: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = obj.get(name)
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise ProtocolError("bad_message", f"field {name!r} is missing or not {kind}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ProtocolError("bad_message", f"field {name!r} is not a finite number")
    return value


def _number(obj: dict[str, Any], name: str) -> float:
    return float(_get(obj, name, (int, float)))


def _state(obj: dict[str, Any]) -> PipelineState:
    state = _get(obj, "state", str)
    if state not in STATE_NAMES:
        raise ProtocolError("bad_message", f"unknown state {state!r}")
    language = obj.get("language")
    return PipelineState(
        state=state,
        engine=_get(obj, "engine", str),
        model=_get(obj, "model", str),
        language=language if isinstance(language, str) else None,
        lag_s=_number(obj, "lag_s"),
        dropped_s=_number(obj, "dropped_s"),
    )


def _source(obj: dict[str, Any]) -> str | None:
    return None if obj.get("source") is None else _get(obj, "source", str)


def _partial(obj: dict[str, Any]) -> PartialMessage:
    return PartialMessage(
        _get(obj, "seq", int),
        _get(obj, "text", str),
        _number(obj, "start"),
        _number(obj, "end"),
        _source(obj),
    )


def _final(obj: dict[str, Any]) -> FinalMessage:
    return FinalMessage(
        _get(obj, "id", int),
        _get(obj, "text", str),
        _number(obj, "start"),
        _number(obj, "end"),
        _number(obj, "wall"),
        _source(obj),
    )


def _translation(obj: dict[str, Any]) -> TranslationMessage:
    return TranslationMessage(
        _get(obj, "id", int), _get(obj, "text", str), _get(obj, "lang", str), _source(obj)
    )


def decode_server(data: str | bytes) -> ServerMessage:
    """Parse one server message (for Python clients); raises :class:`ProtocolError`."""
    obj = _load_object(data)
    kind = obj.get("type")
    if kind == "hello":
        partial = obj.get("partial")
        return HelloMessage(
            version=_get(obj, "version", str),
            session=_get(obj, "session", str),
            state=_state(_get(obj, "state", dict)),
            segments=tuple(_final(s) for s in _get(obj, "segments", list)),
            partial=_partial(partial) if isinstance(partial, dict) else None,
            control=_get(obj, "control", str),
            server_time=_number(obj, "server_time"),
            protocol=_get(obj, "protocol", int),
            translations=tuple(_translation(t) for t in obj.get("translations") or ()),
        )
    if kind == "partial":
        return _partial(obj)
    if kind == "final":
        return _final(obj)
    if kind == "translation":
        return _translation(obj)
    if kind == "state":
        return StateMessage(_state(obj))
    if kind == "clear":
        return ClearMessage()
    if kind == "error":
        return ErrorMessage(_get(obj, "code", str), _get(obj, "message", str), obj.get("id"))
    if kind == "pong":
        return PongMessage(_number(obj, "server_time"), obj.get("id"))
    if kind == "ack":
        return AckMessage(_get(obj, "action", str), obj.get("id"))
    raise ProtocolError("unknown_type", f"Unknown message type {kind!r}.")
