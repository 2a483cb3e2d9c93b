"""The Live feed tab: the transcript offered to other apps, and who may read it."""

from __future__ import annotations

import secrets

from PySide6.QtWidgets import QPushButton

from captioner.settings import Settings
from captioner.ui.settings.fields import SettingsPage, check_box, listed, text, whole


class FeedTab(SettingsPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.serve = self.add_field(
            None,
            check_box(
                "server.enabled", self.tr("Offer the live transcript to other apps (OBS, scripts)")
            ),
        )
        self.host = self.add_field(self.tr("Address"), text("server.host"))
        self.port = self.add_field(self.tr("Port"), whole("server.port"))
        generate = QPushButton(self.tr("Generate"))
        self.token = self.add_field(self.tr("Token"), text("server.token"), generate)
        generate.clicked.connect(lambda: self.token.setText(secrets.token_urlsafe(18)))
        self.token.setPlaceholderText(
            self.tr("required when listening on other addresses than 127.0.0.1")
        )
        self.origins = self.add_field(
            self.tr("Allowed web pages"), listed("server.allowed_origins")
        )
        self.origins.setPlaceholderText(
            self.tr("e.g. https://my-dashboard.example (comma-separated)")
        )
