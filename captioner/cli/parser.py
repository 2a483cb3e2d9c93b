"""The command line's arguments: option groups shared by commands, one function per command.

Each command names its handler (``set_defaults(handler=...)``); the handlers live in
:mod:`captioner.cli.commands` and import the heavy modules only when they run.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP

from captioner import __version__
from captioner.cli import commands
from captioner.cli.messages import translate

# argparse's own words, as Python 3.11's argparse writes them (its gettext msgids): what
# users read in --help and in its errors. Marked for lupdate (context "argparse"); the
# programming errors argparse can raise (conflicting options …) are left out.
ARGPARSE_WORDS = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "one of the arguments %s is required"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("argparse", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at most one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at least one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected %s argument"),  # ngettext: singular
    QT_TRANSLATE_NOOP("argparse", "expected %s arguments"),  # ... and plural
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "unexpected option string: %s"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "can't open '%(filename)s': %(error)s"),
)

# argparse's gettext functions as it imported them (argparse's type stubs do not list them).
_GETTEXT: Callable[[str], str] = getattr(argparse, "_")  # noqa: B009
_NGETTEXT: Callable[[str, str, int], str] = getattr(argparse, "ngettext")  # noqa: B009


def translate_argparse() -> None:
    """Route argparse's own words through the CLI's Qt translation (context "argparse").

    argparse looks them up, when it writes them, through the gettext functions it imported
    as its module globals ``_`` and ``ngettext``; it has no other hook (HelpFormatter's
    methods are not public API, and its errors arrive at ``error()`` already formatted).
    So those two globals are replaced, here and nowhere else, by lookups in the Qt
    translation that fall back to gettext's: a word without a translation reads as before.
    Called before any parser exists (group titles and -h's help are looked up then).
    Idempotent."""
    setattr(argparse, "_", _argparse_gettext)  # noqa: B010
    setattr(argparse, "ngettext", _argparse_ngettext)  # noqa: B010


def _argparse_gettext(message: str) -> str:
    translated = translate("argparse", message)
    return translated if translated != message else _GETTEXT(message)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    english = singular if n == 1 else plural  # Chinese has one form: the English one decides
    translated = translate("argparse", english)
    return translated if translated != english else _NGETTEXT(singular, plural, n)


def build_parser() -> argparse.ArgumentParser:
    translate_argparse()
    parser = argparse.ArgumentParser(
        prog="captioner", description=translate("cli", "Local live captions for Mandarin Chinese.")
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"captioner {__version__}",
        # Given here: this Python's argparse does not look its default up through gettext.
        help=translate("cli", "show program's version number and exit"),
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help=translate("cli", "log details to stderr")
    )
    _add_app_options(parser)
    parser.set_defaults(handler=commands.run_app)
    sub = parser.add_subparsers(dest="command")
    recognition, live = _recognition_options(), _live_options()
    translation = _translation_options()
    _add_devices(sub)
    _add_transcribe(sub, recognition, live, translation)
    _add_listen(sub, recognition, live, translation)
    _add_bench(sub, recognition, translation)
    _add_sessions(sub)
    return parser


# -- option groups --------------------------------------------------------------------------


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    app = parser.add_argument_group(
        translate("cli", "desktop app (no command)"),
        translate("cli", "overrides for this run; the settings file keeps its values"),
    )
    app.add_argument(
        "--config", type=Path, metavar="FILE", help=translate("cli", "settings file to use")
    )
    app.add_argument(
        "--transcripts",
        type=Path,
        metavar="DIR",
        help=translate("cli", "where to save transcripts"),
    )
    app.add_argument("--device", dest="app_device", choices=["auto", "cuda", "cpu"])
    app.add_argument("--model", dest="app_model", metavar="NAME|DIR")
    app.add_argument(
        "--input",
        dest="app_input",
        metavar="DEVICE",
        help=translate("cli", "microphone name or index"),
    )
    app.add_argument(
        "--language",
        dest="app_language",
        metavar="CODE",
        help=translate("cli", "spoken language code, or 'auto'"),
    )
    _add_source_options(app, "app_")
    app.add_argument("--mode", dest="app_mode", choices=["hold", "toggle", "always"])
    app.add_argument(
        "--hotkey",
        dest="app_hotkey",
        metavar="KEYS",
        help=translate("cli", "e.g. ctrl+shift+space"),
    )
    app.add_argument(
        "--serve",
        dest="app_serve",
        metavar="[HOST:]PORT",
        help=translate("cli", "offer the live feed and OBS overlay on this address"),
    )
    app.add_argument(
        "--token",
        dest="app_token",
        metavar="TOKEN",
        help=translate("cli", "token the feed requires (needed when HOST is not 127.0.0.1)"),
    )


def _recognition_options() -> argparse.ArgumentParser:
    """What to recognise with: engine, model, device, language, script (every command)."""
    recognition = argparse.ArgumentParser(add_help=False)
    recognition.add_argument(
        "--engine",
        default="whisper",
        choices=["whisper", "funasr"],
        help=translate(
            "cli", "recognition engine (default: whisper; funasr needs the funasr extra)"
        ),
    )
    recognition.add_argument(
        "--model",
        default=None,
        help=translate(
            "cli",
            "whisper: tiny, base, small, medium, large-v3, large-v3-turbo, or a CTranslate2 "
            "model folder (default: base); funasr: the streaming model, paraformer-zh-streaming "
            "(default) or a FunASR model folder",
        ),
    )
    funasr = recognition.add_argument_group(translate("cli", "FunASR engine"))
    funasr.add_argument(
        "--second-pass",
        default="paraformer-zh",
        help=translate(
            "cli",
            "model that re-decodes each utterance: paraformer-zh (default), sensevoice, "
            "a folder, or none (confirm the streaming text)",
        ),
    )
    funasr.add_argument(
        "--vad-model", default="fsmn-vad", help=translate("cli", "fsmn-vad or a folder")
    )
    funasr.add_argument(
        "--punctuation",
        default="ct-punc",
        help=translate(
            "cli", "ct-punc (default), ct-punc-c (smaller, Chinese only), a folder, or none"
        ),
    )
    funasr.add_argument(
        "--chunk-ms",
        type=int,
        default=600,
        choices=[600, 480],
        help=translate("cli", "streaming step"),
    )
    funasr.add_argument(
        "--hub",
        default="auto",
        choices=["auto", "modelscope", "huggingface"],
        help=translate(
            "cli", "where model names download from (auto: ModelScope, then Hugging Face)"
        ),
    )
    recognition.add_argument("--device", default="auto", choices=["auto", "cuda", "cpu"])
    recognition.add_argument(
        "--compute-type",
        default="auto",
        help=translate("cli", "CTranslate2 compute type (default: float16 on GPU, int8 on CPU)"),
    )
    recognition.add_argument(
        "--language", default="zh", help=translate("cli", "spoken language code, or 'auto'")
    )
    recognition.add_argument(
        "--script",
        default="simplified",
        choices=["simplified", "traditional", "original"],
        help=translate("cli", "Chinese output script (default: simplified)"),
    )
    recognition.add_argument(
        "--policy",
        default="two-pass",
        choices=["two-pass", "agreement"],
        help=translate("cli", "how text is confirmed (default: two-pass)"),
    )
    recognition.add_argument(
        "--threads", type=int, default=0, help=translate("cli", "CPU threads (0: all)")
    )
    recognition.add_argument(
        "--vocabulary",
        type=Path,
        metavar="FILE",
        help=translate(
            "cli", "terms to recognise (one per line) and replacement rules ('wrong => right')"
        ),
    )
    return recognition


def _live_options() -> argparse.ArgumentParser:
    """Where live updates go besides the terminal: an events file, the transcript server."""
    live = argparse.ArgumentParser(add_help=False)
    live.add_argument(
        "--events",
        type=Path,
        metavar="OUT.jsonl",
        help=translate("cli", "write every partial/final update as one JSON object per line"),
    )
    live.add_argument(
        "--transcripts",
        type=Path,
        metavar="DIR",
        help=translate(
            "cli",
            "also record the session into the transcript library in DIR (with a .txt and "
            "an .srt), as the app does; see `captioner sessions`",
        ),
    )
    live.add_argument(
        "--serve",
        metavar="[HOST:]PORT",
        help=translate(
            "cli",
            "serve the transcript: WebSocket feed at /ws and OBS overlay at /overlay "
            "(host 127.0.0.1 unless given; another host needs --token)",
        ),
    )
    live.add_argument(
        "--token",
        default=os.environ.get("CAPTIONER_TOKEN") or None,
        help=translate(
            "cli",
            "secret that --serve clients need to control listening (and to connect from "
            "other machines); default: $CAPTIONER_TOKEN",
        ),
    )
    live.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help=translate(
            "cli",
            "a web page origin (e.g. https://example.com) that may read the --serve feed; "
            "repeatable",
        ),
    )
    return live


def _translation_options() -> argparse.ArgumentParser:
    """A line in another language under each confirmed line."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group(translate("cli", "translation"))
    group.add_argument(
        "--translate",
        metavar="LANG",
        help=translate(
            "cli",
            "translate each confirmed line into LANG (e.g. en, zh, ja): with Whisper's own "
            "translate task (English only, no network) unless --translate-endpoint is given",
        ),
    )
    group.add_argument(
        "--translate-endpoint",
        metavar="URL",
        help=translate(
            "cli",
            "an OpenAI-compatible chat endpoint to translate with, e.g. "
            "http://localhost:11434/v1 (Ollama), http://localhost:1234/v1 (LM Studio), "
            "http://localhost:8080/v1 (llama.cpp); its key from $CAPTIONER_TRANSLATE_KEY",
        ),
    )
    group.add_argument(
        "--translate-model",
        metavar="NAME",
        help=translate("cli", "the language model the endpoint translates with"),
    )
    group.add_argument(
        "--translate-remote",
        action="store_true",
        help=translate(
            "cli",
            "allow an endpoint on another computer (the confirmed text leaves this one)",
        ),
    )
    return parent


def _add_source_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, prefix: str = ""
) -> None:
    """What to caption: the microphone, what the computer plays, or both (the app and listen;
    the app's destinations are prefixed, as its other options are)."""
    parser.add_argument(
        "--source",
        dest=f"{prefix}source",
        choices=["mic", "system", "both"],
        default=None,
        help=translate(
            "cli",
            "mic: the microphone (default); system: what the computer plays (its output "
            "device); both: each recognised separately and labelled",
        ),
    )
    parser.add_argument(
        "--output",
        dest=f"{prefix}output",
        default=None,
        metavar="DEVICE",
        help=translate(
            "cli",
            "output device whose sound --source system/both captions: name, number in "
            "`captioner devices`, or id (default: the default output, followed when it "
            "changes)",
        ),
    )
    parser.add_argument(
        "--names",
        dest=f"{prefix}names",
        default=None,
        metavar="ME,OTHERS",
        help=translate("cli", "labels of the two sides with --source both (default: Me,Others)"),
    )


# -- commands -------------------------------------------------------------------------------


def _add_devices(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    devices = sub.add_parser(
        "devices", help=translate("cli", "list audio input and output devices")
    )
    devices.set_defaults(handler=commands.devices)


def _add_transcribe(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    recognition: argparse.ArgumentParser,
    live: argparse.ArgumentParser,
    translation: argparse.ArgumentParser,
) -> None:
    transcribe = sub.add_parser(
        "transcribe",
        parents=[recognition, live, translation],
        help=translate("cli", "caption an audio file"),
    )
    transcribe.add_argument("file", type=Path)
    transcribe.add_argument(
        "--live",
        action="store_true",
        help=translate("cli", "stream the file at real-time pace through the live pipeline"),
    )
    transcribe.set_defaults(handler=commands.transcribe)


def _add_listen(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    recognition: argparse.ArgumentParser,
    live: argparse.ArgumentParser,
    translation: argparse.ArgumentParser,
) -> None:
    listen = sub.add_parser(
        "listen",
        parents=[recognition, live, translation],
        help=translate("cli", "caption the microphone or what the computer plays, in the terminal"),
    )
    listen.add_argument(
        "--input",
        default=None,
        help=translate("cli", "input device name or index (default: the system default)"),
    )
    listen.add_argument(
        "--duration", type=float, default=None, help=translate("cli", "stop after N seconds")
    )
    _add_source_options(listen)
    listen.set_defaults(handler=commands.listen)


def _add_bench(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    recognition: argparse.ArgumentParser,
    translation: argparse.ArgumentParser,
) -> None:
    bench = sub.add_parser(
        "bench",
        parents=[recognition, translation],
        help=translate("cli", "measure accuracy, latency and speed of the live pipeline"),
    )
    bench.add_argument("--audio", type=Path, required=True)
    bench.add_argument(
        "--ref",
        type=Path,
        required=True,
        help=translate("cli", "reference: REF.txt (one line per utterance) or REF.json"),
    )
    bench.add_argument(
        "--events", type=Path, metavar="OUT.jsonl", help=translate("cli", "also save the events")
    )
    bench.add_argument(
        "--no-offline", action="store_true", help=translate("cli", "skip the offline baseline")
    )
    bench.set_defaults(handler=commands.bench)


def _add_sessions(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sessions = sub.add_parser(
        "sessions",
        help=translate("cli", "list, search and export the sessions in the transcript library"),
    )
    sessions.add_argument(
        "--transcripts",
        type=Path,
        metavar="DIR",
        help=translate("cli", "the library in DIR (default: the app's transcripts folder)"),
    )
    actions = sessions.add_subparsers(dest="action", required=True)
    actions.add_parser(
        "list", help=translate("cli", "one session a line, newest first, beginning with its id")
    )
    search = actions.add_parser(
        "search", help=translate("cli", "the lines holding TEXT, in every session")
    )
    search.add_argument("text", metavar="TEXT")
    export = actions.add_parser("export", help=translate("cli", "a session as a document"))
    export.add_argument("id", type=int, metavar="ID")
    export.add_argument("--format", choices=["txt", "srt", "vtt", "md"], default="txt")
    export.add_argument(
        "--out", type=Path, metavar="FILE", help=translate("cli", "write here (default: stdout)")
    )
    export.add_argument(
        "--no-times", action="store_true", help=translate("cli", "without each line's time")
    )
    export.add_argument(
        "--no-labels",
        action="store_true",
        help=translate("cli", "without the sides' labels (Me / Others)"),
    )
    export.add_argument(
        "--bilingual",
        action="store_true",
        help=translate(
            "cli", "each line's translation under it (in subtitles: the cue's second line)"
        ),
    )
    sessions.set_defaults(handler=commands.sessions)
