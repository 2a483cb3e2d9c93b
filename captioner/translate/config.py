"""What translation the user asked for, checked before anything starts.

Plain data: nothing heavy is imported here. The key is kept out of ``repr`` so that a config
that reaches a log or an error message never shows it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from captioner.errors import CaptionerError
from captioner.i18n import translate

BackendName = Literal["whisper", "chat"]

# OpenAI-compatible servers that run on this computer, at their default addresses.
LOCAL_SERVERS: dict[str, str] = {
    "Ollama": "http://localhost:11434/v1",
    "LM Studio": "http://localhost:1234/v1",
    "llama.cpp": "http://localhost:8080/v1",
}

# Whisper models trained with translation data (the ``translate`` task). large-v3-turbo was
# fine-tuned on transcription alone: asked to translate, it mostly transcribes. The
# English-only models (``*.en``) hear English only.
TRANSLATING_WHISPER = ("tiny", "base", "small", "medium", "large-v1", "large-v2", "large-v3")

# Names a language model reads in its instructions; another code is given as it is.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "Simplified Chinese",
    "zh-cn": "Simplified Chinese",
    "zh-hans": "Simplified Chinese",
    "zh-tw": "Traditional Chinese",
    "zh-hant": "Traditional Chinese",
    "yue": "Cantonese",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "ru": "Russian",
    "ar": "Arabic",
    "vi": "Vietnamese",
    "th": "Thai",
    "id": "Indonesian",
    "ms": "Malay",
    "hi": "Hindi",
    "tr": "Turkish",
    "nl": "Dutch",
    "pl": "Polish",
    "uk": "Ukrainian",
}


class TranslationConfigError(CaptionerError):
    """Translation cannot run as asked; the message says why, for the user."""


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.lower(), code)


@dataclass(frozen=True)
class TranslationConfig:
    backend: BackendName = "whisper"
    target: str = "en"
    endpoint: str = LOCAL_SERVERS["Ollama"]  # the chat backend's base URL (up to /v1)
    model: str = ""  # the chat backend's model name
    key: str | None = field(default=None, repr=False)  # sent as a bearer token; never logged
    remote_allowed: bool = False  # an endpoint on another computer: the user said yes
    # The custom vocabulary's terms: the language model keeps these names as they are.
    terms: tuple[str, ...] = ()
    context_lines: int = 3  # earlier confirmed lines sent along as context
    timeout_s: float = 20.0  # one request, all of it
    stream: bool = True  # ask for the answer streamed (server-sent events)

    def validate(self) -> None:
        """Raises TranslationConfigError with the reason in words."""
        if not self.target.strip():
            raise TranslationConfigError(
                translate("translation", "Translation needs a target language.")
            )
        if self.backend == "whisper":
            if self.target.lower() != "en":
                raise TranslationConfigError(
                    translate(
                        "translation",
                        "The built-in translation (Whisper) can only translate into English, "
                        "not '{target}'. For other languages use a language model endpoint.",
                    ).format(target=self.target)
                )
            return
        parts = urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TranslationConfigError(
                translate(
                    "translation",
                    "The translation endpoint '{url}' is not an http:// or https:// address.",
                ).format(url=self.endpoint)
            )
        if not self.model.strip():
            raise TranslationConfigError(
                translate(
                    "translation",
                    "Name the language model the endpoint should translate with.",
                )
            )
        if not is_local(self.endpoint) and not self.remote_allowed:
            raise TranslationConfigError(
                translate(
                    "translation",
                    "The translation endpoint {url} is not on this computer: the captions' "
                    "text would leave it. Allow remote translation to use it.",
                ).format(url=self.endpoint)
            )


def is_local(url: str) -> bool:
    """Whether ``url`` names this computer (localhost or a loopback address)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def whisper_model_translates(model: str) -> bool:
    """Whether a Whisper model (as the settings name it) was trained to translate. A
    folder of one's own converted model is assumed to."""
    name = model.rstrip("/\\").rsplit("/", 1)[-1].lower()
    return not ("turbo" in name or name.endswith(".en") or name.startswith("distil"))


def whisper_model_notice(engine: str, model: str) -> str | None:
    """Why the built-in translation cannot work with this recogniser, in words; None when
    it can."""
    if engine != "whisper":
        return translate(
            "translation",
            "The built-in translation needs the Whisper engine; with FunASR use a language "
            "model endpoint.",
        )
    if not whisper_model_translates(model):
        return translate(
            "translation",
            "The Whisper model '{model}' was not trained to translate (large-v3-turbo, "
            "distil and English-only models only transcribe). Use base, small, medium or "
            "large-v3, or a language model endpoint.",
        ).format(model=model)
    return None
