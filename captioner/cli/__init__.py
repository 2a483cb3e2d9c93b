"""Command line: `captioner` (the app), `devices`, `transcribe`, `listen`, `bench`.

``parser`` builds the arguments (shared option groups, one small function per command, each
naming its handler); ``commands`` holds the handlers; ``live`` runs the live pipeline
without a window; ``bench`` measures it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from captioner.cli.messages import translate
from captioner.cli.parser import build_parser
from captioner.errors import CaptionerError
from captioner.i18n import install_translator

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    # Errors and notices from the modules below Qt are in the user's language too.
    install_translator(translate)
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.handler(args))
    except CaptionerError as exc:
        print(translate("cli", "error: {exc}").format(exc=exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
