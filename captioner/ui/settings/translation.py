"""The Translation tab: a line in another language under each confirmed line.

The built-in backend (Whisper's own translation, into English) needs nothing; a language
model is reached through an OpenAI-compatible chat endpoint: the local servers' usual
addresses are offered, and an endpoint on another computer is said plainly to receive the
text, and used only when the user allows it. The endpoint's key goes to the system's
credential store (captioner.translate.keys) when the settings are applied, never into the
settings file.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton

from captioner.settings import Settings
from captioner.translate.keys import KEY_VARIABLE, read_key, save_key
from captioner.ui.settings.choices import choice
from captioner.ui.settings.fields import (
    SettingsPage,
    check_box,
    colour,
    decimal,
    editable,
    text,
)

# OpenAI-compatible servers on this computer, at their default addresses.
LOCAL_SERVERS = {
    "http://localhost:11434/v1": "Ollama",
    "http://localhost:1234/v1": "LM Studio",
    "http://localhost:8080/v1": "llama.cpp",
}


def endpoint_host(url: str) -> str:
    """The host an endpoint URL names ("" for none)."""
    url = url.strip()
    if url and "://" not in url:
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def on_this_computer(url: str) -> bool:
    """Whether the endpoint is this computer (loopback, or its own name): text sent there
    stays on it."""
    host = endpoint_host(url)
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == socket.gethostname().lower()


class TranslationTab(SettingsPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.enabled = self.add_field(
            None,
            check_box(
                "translation.enabled", self.tr("Show a translation under each confirmed line")
            ),
        )
        self.target = self.add_field(self.tr("Translate into"), choice("translation.target"))
        self.backend = self.add_field(self.tr("Translated by"), choice("translation.backend"))
        self.english_only = QLabel(
            self.tr(
                "The built-in translation (Whisper's) gives English only: for another "
                "language, choose a language model."
            )
        )
        self.english_only.setWordWrap(True)
        self.form.addRow("", self.english_only)
        self.server = QLabel()
        self.endpoint = self.add_field(
            self.tr("Endpoint"), editable("translation.endpoint", list(LOCAL_SERVERS)), self.server
        )
        self.endpoint.setToolTip(
            self.tr(
                "An OpenAI-compatible chat endpoint. On this computer: Ollama, LM Studio or "
                "llama.cpp's server at their usual addresses; or a service's URL (DeepSeek, "
                "Qwen, OpenAI …) with its key."
            )
        )
        self.model = self.add_field(self.tr("Model"), text("translation.model"))
        self.model.setPlaceholderText(self.tr("as the server names it, e.g. qwen2.5:7b"))
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self._had_key = read_key() is not None
        self._key_edited = False
        self.key.textEdited.connect(self._key_typed)
        self.forget_key = QPushButton(self.tr("Remove"))
        self.forget_key.clicked.connect(self._forget_key)
        self.form.addRow(self.tr("Key"), self._row(self.key, self.forget_key))
        self._show_key_state()
        self.remote = self.add_field(
            None,
            check_box(
                "translation.remote_allowed",
                self.tr("Allow an endpoint on another computer (the text is sent there)"),
            ),
        )
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35c00;")
        self.form.addRow("", self.warning)
        self.ratio = self.add_field(
            self.tr("Size (of the captions')"), decimal("translation.size_ratio", 0.05)
        )
        self.ratio.setSuffix(" ×")
        self.color = self.add_field(self.tr("Colour"), colour("translation.color"))
        self.backend.currentIndexChanged.connect(self._update)
        self.target.currentIndexChanged.connect(self._update)
        self.endpoint.currentTextChanged.connect(self._update)
        self.remote.toggled.connect(self._update)
        self._update()

    @staticmethod
    def _row(line: QLineEdit, button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(line, 1)
        row.addWidget(button)
        return row

    # -- the key ---------------------------------------------------------------------------

    def _key_typed(self, _text: str) -> None:
        self._key_edited = True
        self._show_key_state()

    def _forget_key(self) -> None:
        self.key.clear()
        self._key_edited = self._had_key
        self._had_key = False
        self._show_key_state()

    def _show_key_state(self) -> None:
        self.forget_key.setEnabled(self._had_key or bool(self.key.text()))
        if os.environ.get(KEY_VARIABLE, "").strip():
            placeholder = self.tr("given by the environment variable {variable}").format(
                variable=KEY_VARIABLE
            )
        elif self._had_key:
            placeholder = self.tr("saved in the system's credential store (type to replace it)")
        else:
            placeholder = self.tr("only if the endpoint asks for one")
        self.key.setPlaceholderText(placeholder)

    def save_outside(self) -> None:
        """The key as typed (or removed), into the credential store: never into the
        settings. Raises KeyStoreError, in words, when there is no store."""
        if not self._key_edited:
            return
        save_key(self.key.text())
        self._key_edited = False
        self._had_key = bool(self.key.text().strip())
        self.key.clear()
        self._show_key_state()

    # -- what is shown ---------------------------------------------------------------------

    def _update(self) -> None:
        # The endpoint's rows stay editable with the built-in backend: set up before use.
        chat = self.backend.currentData() == "chat"
        self.english_only.setVisible(not chat and self.target.currentData() != "en")
        url = self.endpoint.currentText().strip()
        self.server.setText(
            self.tr("{server} on this computer").format(server=LOCAL_SERVERS[url])
            if url in LOCAL_SERVERS
            else ""
        )
        self.warning.setText(self.endpoint_warning() if chat else "")
        self.warning.setVisible(bool(self.warning.text()))

    def endpoint_warning(self) -> str:
        """What the user must know about where the text goes ("" when it stays here)."""
        url = self.endpoint.currentText().strip()
        if on_this_computer(url):
            return ""
        host = endpoint_host(url)
        if self.remote.isChecked():
            return self.tr(
                "{host} is not on this computer: every confirmed line leaves this computer "
                "and is sent there to be translated."
            ).format(host=host)
        return self.tr(
            "{host} is not on this computer: every confirmed line would leave this computer "
            "and be sent there. It is not used unless you tick “Allow an endpoint on another "
            "computer”."
        ).format(host=host)
