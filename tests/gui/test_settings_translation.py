"""The Translation tab: the key goes to the credential store on apply (never into the
settings), its failure is said in words; an endpoint on another computer is said to receive
the text; the local servers are named."""

from __future__ import annotations

import json
from dataclasses import asdict

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from captioner.settings import Settings
from captioner.translate import keys
from captioner.ui.settings.translation import on_this_computer
from captioner.ui.settings_dialog import SettingsDialog


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        if self.stored.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("none")


@pytest.fixture
def store(monkeypatch):
    monkeypatch.delenv(keys.KEY_VARIABLE, raising=False)
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


def dialog_for(qtbot, settings: Settings | None = None) -> SettingsDialog:
    dialog = SettingsDialog(settings or Settings())
    qtbot.addWidget(dialog)
    return dialog


def test_the_key_is_saved_in_the_credential_store_on_apply_never_in_the_settings(qtbot, store):
    dialog = dialog_for(qtbot)
    applied: list[Settings] = []
    dialog.applied.connect(applied.append)
    tab = dialog.translation
    qtbot.keyClicks(tab.key, "sk-secret-123")
    assert store.stored == {}  # not before apply
    assert dialog.apply()
    assert store.stored == {("Captioner", "translation"): "sk-secret-123"}
    assert keys.read_key() == "sk-secret-123"
    assert "sk-secret" not in json.dumps(asdict(applied[-1]))
    assert tab.key.text() == "" and "credential store" in tab.key.placeholderText()
    again = dialog_for(qtbot)  # opened later: says a key is kept, and leaves it alone
    assert "credential store" in again.translation.key.placeholderText()
    assert again.apply() and store.stored
    again.translation.forget_key.click()
    assert again.apply() and store.stored == {}


def test_without_a_credential_store_the_key_is_refused_in_words(qtbot, monkeypatch):
    monkeypatch.delenv(keys.KEY_VARIABLE, raising=False)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog = dialog_for(qtbot)
        qtbot.keyClicks(dialog.translation.key, "sk-secret-123")
        assert dialog.apply() is False
        said = dialog.error.text()
        assert "could not be saved" in said and keys.KEY_VARIABLE in said
        assert "sk-secret" not in said
        assert keys.read_key() is None  # a store that cannot be read: no key, no error
    finally:
        keyring.set_keyring(before)


def test_a_key_from_the_environment_is_said_to_come_from_there(qtbot, store, monkeypatch):
    monkeypatch.setenv(keys.KEY_VARIABLE, "sk-from-env")
    dialog = dialog_for(qtbot)
    assert keys.KEY_VARIABLE in dialog.translation.key.placeholderText()
    assert keys.read_key() == "sk-from-env"


def test_an_endpoint_on_another_computer_is_said_to_receive_the_text(qtbot, store):
    dialog = dialog_for(qtbot)
    tab = dialog.translation
    tab.backend.setCurrentIndex(tab.backend.findData("chat"))
    tab.endpoint.setCurrentText("http://localhost:1234/v1")
    assert tab.warning.text() == "" and "LM Studio" in tab.server.text()
    tab.endpoint.setCurrentText("https://api.deepseek.com/v1")
    assert tab.server.text() == ""
    assert "api.deepseek.com is not on this computer" in tab.warning.text()
    assert "unless you tick" in tab.warning.text()
    tab.remote.click()
    assert "leaves this computer" in tab.warning.text()
    assert dialog.collect().translation.remote_allowed
    tab.backend.setCurrentIndex(tab.backend.findData("whisper"))
    assert tab.warning.text() == ""  # the built-in one sends nothing anywhere


def test_the_built_in_backend_says_it_gives_english_only(qtbot, store):
    dialog = dialog_for(qtbot)
    tab = dialog.translation
    tab.target.setCurrentIndex(tab.target.findData("en"))
    assert tab.english_only.isHidden()
    tab.target.setCurrentIndex(tab.target.findData("ja"))
    assert not tab.english_only.isHidden()


@pytest.mark.parametrize(
    ("url", "here"),
    [
        ("http://localhost:11434/v1", True),
        ("http://127.0.0.1:8080/v1", True),
        ("http://[::1]:1234/v1", True),
        ("localhost:11434/v1", True),
        ("https://api.openai.com/v1", False),
        ("http://192.168.1.20:11434/v1", False),
    ],
)
def test_which_endpoints_are_on_this_computer(url, here):
    assert on_this_computer(url) is here
