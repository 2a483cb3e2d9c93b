"""The language-model backend: an OpenAI-compatible ``/chat/completions`` endpoint.

Local servers first (Ollama, LM Studio, llama.cpp's server speak the same protocol), or a
remote service with the user's key. Standard library only (http.client): the answer streamed
as server-sent events, or whole. Every failure becomes a TranslationFailure of one kind, so
the translator can back off and tell the user once; the key is sent, never logged or shown.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from captioner.translate.config import TranslationConfig, language_name
from captioner.translate.translator import Job, TranslationFailure

# Reasoning models (Qwen3, DeepSeek-R1 on Ollama) may think aloud first: not a translation.
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)


def system_prompt(target: str, terms: Sequence[str]) -> str:
    """What the model is told to do (in English, whatever the interface's language: the
    models follow it best; the user never reads it)."""
    prompt = (
        f"You translate live captions of speech into {language_name(target)}. "
        "Each request gives the latest caption line, with a few earlier lines for context. "
        "Translate only the latest line, faithfully and naturally, as a subtitle. "
        "Reply with the translation alone: no quotes, notes, explanations or the original."
    )
    if terms:
        prompt += (
            " Keep these names and terms consistent (write them the same way each time): "
            + "; ".join(terms)
            + "."
        )
    return prompt


def user_message(text: str, context: Sequence[str]) -> str:
    # For the model, not the user: in English whatever the interface's language.
    message = "Latest line:\n" + text
    if context:
        earlier = "\n".join(context)
        message = "Earlier lines (context only, do not translate):\n" + earlier + "\n\n" + message
    return message


class ChatBackend:
    """One request per line, on a new connection each time (a server that restarted, or a
    connection it closed, costs nothing more than the line)."""

    def __init__(self, config: TranslationConfig) -> None:
        self.config = config
        parts = urlsplit(config.endpoint)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "localhost"
        self._port = parts.port
        self._path = parts.path.rstrip("/") + "/chat/completions"

    def request_body(self, job: Job, context: Sequence[str]) -> dict[str, Any]:
        c = self.config
        return {
            "model": c.model,
            "messages": [
                {"role": "system", "content": system_prompt(c.target, c.terms)},
                {"role": "user", "content": user_message(job.text, context)},
            ],
            "temperature": 0.2,
            "stream": c.stream,
        }

    def translate_line(self, job: Job, context: Sequence[str]) -> str:
        c = self.config
        body = json.dumps(self.request_body(job, context), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if c.stream:
            headers["Accept"] = "text/event-stream"
        if c.key:
            headers["Authorization"] = f"Bearer {c.key}"
        deadline = time.monotonic() + c.timeout_s
        connection: http.client.HTTPConnection
        if self._https:
            connection = http.client.HTTPSConnection(self._host, self._port, timeout=c.timeout_s)
        else:
            connection = http.client.HTTPConnection(self._host, self._port, timeout=c.timeout_s)
        try:
            connection.request("POST", self._path, body, headers)
            response = connection.getresponse()
            if response.status != 200:
                raise _status_failure(response)
            content_type = response.getheader("Content-Type", "")
            if "text/event-stream" in content_type:
                text = _read_stream(response, deadline)
            else:
                text = _read_whole(response)
        except TranslationFailure:
            raise
        except TimeoutError as exc:
            raise TranslationFailure("timeout", type(exc).__name__) from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            # Refused, reset, closed before an answer (RemoteDisconnected), cut short
            # (IncompleteRead), a name that does not resolve.
            raise TranslationFailure("connection", type(exc).__name__) from None
        finally:
            connection.close()
        text = _THINKING.sub("", text).strip()
        if not text:
            raise TranslationFailure("malformed", "no text in the answer")
        return text


def _status_failure(response: http.client.HTTPResponse) -> TranslationFailure:
    status = response.status
    with contextlib.suppress(OSError, http.client.HTTPException):
        response.read(4096)  # the reason, unread: it may echo the request
    if status in (401, 403):
        return TranslationFailure("auth", f"HTTP {status}")
    if status == 429:
        return TranslationFailure("rate", "HTTP 429", _retry_after(response))
    if status >= 500:
        return TranslationFailure("server", f"HTTP {status}", _retry_after(response))
    return TranslationFailure("other", f"HTTP {status}")


def _retry_after(response: http.client.HTTPResponse) -> float | None:
    value = response.getheader("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise TranslationFailure("malformed", "not JSON") from None


def _message_text(answer: Any, key: str) -> str:
    """``choices[0][key]["content"]`` of an answer or a streamed chunk."""
    try:
        choice = answer["choices"][0]
        content = (choice.get(key) or {}).get("content") or ""
    except (KeyError, IndexError, TypeError, AttributeError):
        raise TranslationFailure("malformed", "no choices in the answer") from None
    if not isinstance(content, str):
        raise TranslationFailure("malformed", "content is not text")
    return content


def _read_whole(response: http.client.HTTPResponse) -> str:
    return _message_text(_json(response.read()), "message")


def _read_stream(response: http.client.HTTPResponse, deadline: float) -> str:
    """Server-sent events: ``data: {chunk}`` lines until ``data: [DONE]`` (or the end)."""
    parts: list[str] = []
    while True:
        if time.monotonic() > deadline:
            raise TranslationFailure("timeout", "the stream went on too long")
        line = response.readline()
        if not line:
            break  # some servers just close after the last chunk
        line = line.strip()
        if not line.startswith(b"data:"):
            continue  # blank separators, comments, event names
        data = line[5:].strip()
        if data == b"[DONE]":
            break
        chunk = _json(data)
        if isinstance(chunk, dict) and "error" in chunk:
            raise TranslationFailure("server", "an error in the stream")
        parts.append(_message_text(chunk, "delta"))
    return "".join(parts)
