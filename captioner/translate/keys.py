"""The translation endpoint's key: in the system's credential store (Windows Credential
Manager, the Secret Service on Linux, the macOS keychain), never in the settings file or a log.

``CAPTIONER_TRANSLATE_KEY``, when set, is the key for this run (the command line, scripts).
"""

from __future__ import annotations

import contextlib
import logging
import os

from captioner.errors import CaptionerError
from captioner.i18n import translate

KEY_VARIABLE = "CAPTIONER_TRANSLATE_KEY"
SERVICE = "Captioner"
USERNAME = "translation"

_log = logging.getLogger(__name__)


class KeyStoreError(CaptionerError):
    """The key could not be kept: the message says why, for the user."""


def read_key() -> str | None:
    """The key: ``CAPTIONER_TRANSLATE_KEY`` if set, else the stored one; None when there is
    none, or the credential store cannot be read (a locked or missing one is no key)."""
    from_environment = os.environ.get(KEY_VARIABLE, "").strip()
    if from_environment:
        return from_environment
    try:
        import keyring

        stored = keyring.get_password(SERVICE, USERNAME)
    except Exception as exc:  # any backend's failure: no key, said in the log without it
        _log.info("The credential store could not be read: %s", type(exc).__name__)
        return None
    return stored or None


def save_key(key: str) -> None:
    """Keep ``key`` in the credential store; an empty one deletes the stored key. Raises
    KeyStoreError, with the reason in words, when there is no store to keep it in."""
    key = key.strip()
    try:
        import keyring
        import keyring.errors

        if key:
            keyring.set_password(SERVICE, USERNAME, key)
            return
        with contextlib.suppress(keyring.errors.PasswordDeleteError):  # none was stored
            keyring.delete_password(SERVICE, USERNAME)
    except Exception as exc:
        # The message never carries the key: the exception's type and text only.
        raise KeyStoreError(
            translate(
                "translate",
                "The key could not be saved: this computer has no credential store that "
                "Captioner can use ({why}). Set the environment variable {variable} instead.",
            ).format(why=_reason(exc), variable=KEY_VARIABLE)
        ) from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
