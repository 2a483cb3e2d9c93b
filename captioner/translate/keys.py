"""The translation endpoint's key: from the environment, or the system's credential store.

Never in the settings file, a log or an error message. ``keyring`` is Windows Credential
Manager on Windows and the Secret Service on Linux; where no store is available reading gives
None, and saving says so in words.
"""

from __future__ import annotations

import contextlib
import os

from captioner.errors import CaptionerError
from captioner.i18n import translate

KEY_VARIABLE = "CAPTIONER_TRANSLATE_KEY"
SERVICE = "Captioner"
USERNAME = "translation"


class KeyStoreError(CaptionerError):
    """The key could not be saved; the message says why, without the key."""


def read_key() -> str | None:
    """The key: ``CAPTIONER_TRANSLATE_KEY`` first, then the credential store; None if
    neither has one (or no store is available)."""
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if key:
        return key
    try:
        import keyring

        stored = keyring.get_password(SERVICE, USERNAME)
    except Exception:  # no backend, a locked store, D-Bus away: there is no key
        return None
    return stored or None


def save_key(key: str) -> None:
    """Keep ``key`` in the credential store; an empty key deletes the stored one. Raises
    KeyStoreError, in words, when no credential store is available."""
    try:
        import keyring
        import keyring.errors

        if key:
            keyring.set_password(SERVICE, USERNAME, key)
            return
        with contextlib.suppress(keyring.errors.PasswordDeleteError):  # none was stored
            keyring.delete_password(SERVICE, USERNAME)
    except Exception as exc:
        raise KeyStoreError(
            translate(
                "translation",
                "The key could not be kept in the system's credential store ({why}). Set "
                "the environment variable {variable} instead.",
            ).format(why=type(exc).__name__, variable=KEY_VARIABLE)
        ) from None
