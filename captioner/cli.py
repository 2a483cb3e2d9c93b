"""Command line: `captioner` (the app), `devices`, `transcribe`, `listen`, `bench`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from captioner import __version__
from captioner.errors import CaptionerError

if TYPE_CHECKING:  # the heavy modules load only for the commands that need them
    from captioner.asr.config import RecognitionConfig
    from captioner.asr.session import SessionStatus
    from captioner.control.worker import SourceFactory

_PARTIAL_STYLE = "\x1b[2m"  # dim
_RESET = "\x1b[0m"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="captioner", description="Local live captions for Mandarin Chinese."
    )
    parser.add_argument("--version", action="version", version=f"captioner {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    app = parser.add_argument_group(
        "desktop app (no command)", "overrides for this run; the settings file keeps its values"
    )
    app.add_argument("--config", type=Path, metavar="FILE", help="settings file to use")
    app.add_argument("--transcripts", type=Path, metavar="DIR", help="where to save transcripts")
    app.add_argument("--device", dest="app_device", choices=["auto", "cuda", "cpu"])
    app.add_argument("--model", dest="app_model", metavar="NAME|DIR")
    app.add_argument("--input", dest="app_input", metavar="DEVICE", help="microphone name or index")
    app.add_argument("--mode", dest="app_mode", choices=["hold", "toggle", "always"])
    app.add_argument("--hotkey", dest="app_hotkey", metavar="KEYS", help="e.g. ctrl+shift+space")
    app.add_argument(
        "--serve",
        dest="app_serve",
        metavar="[HOST:]PORT",
        help="offer the live feed and OBS overlay on this address",
    )
    app.add_argument(
        "--token",
        dest="app_token",
        metavar="TOKEN",
        help="token the feed requires (needed when HOST is not 127.0.0.1)",
    )
    sub = parser.add_subparsers(dest="command")

    sub.add_parser("devices", help="list audio input devices")

    recognition = argparse.ArgumentParser(add_help=False)
    recognition.add_argument(
        "--engine",
        default="whisper",
        choices=["whisper", "funasr"],
        help="recognition engine (default: whisper; funasr needs the funasr extra)",
    )
    recognition.add_argument(
        "--model",
        default=None,
        help="whisper: tiny, base, small, medium, large-v3, large-v3-turbo, or a CTranslate2 "
        "model folder (default: base); funasr: the streaming model, paraformer-zh-streaming "
        "(default) or a FunASR model folder",
    )
    funasr = recognition.add_argument_group("FunASR engine")
    funasr.add_argument(
        "--second-pass",
        default="paraformer-zh",
        help="model that re-decodes each utterance: paraformer-zh (default), sensevoice, "
        "a folder, or none (confirm the streaming text)",
    )
    funasr.add_argument("--vad-model", default="fsmn-vad", help="fsmn-vad or a folder")
    funasr.add_argument(
        "--punctuation",
        default="ct-punc",
        help="ct-punc (default), ct-punc-c (smaller, Chinese only), a folder, or none",
    )
    funasr.add_argument(
        "--chunk-ms", type=int, default=600, choices=[600, 480], help="streaming step"
    )
    funasr.add_argument(
        "--hub",
        default="auto",
        choices=["auto", "modelscope", "huggingface"],
        help="where model names download from (auto: ModelScope, then Hugging Face)",
    )
    recognition.add_argument("--device", default="auto", choices=["auto", "cuda", "cpu"])
    recognition.add_argument(
        "--compute-type",
        default="auto",
        help="CTranslate2 compute type (default: float16 on GPU, int8 on CPU)",
    )
    recognition.add_argument("--language", default="zh", help="spoken language code, or 'auto'")
    recognition.add_argument(
        "--script",
        default="simplified",
        choices=["simplified", "traditional", "original"],
        help="Chinese output script (default: simplified)",
    )
    recognition.add_argument(
        "--policy",
        default="two-pass",
        choices=["two-pass", "agreement"],
        help="how text is confirmed (default: two-pass)",
    )
    recognition.add_argument("--threads", type=int, default=0, help="CPU threads (0: all)")

    live = argparse.ArgumentParser(add_help=False)
    live.add_argument(
        "--events",
        type=Path,
        metavar="OUT.jsonl",
        help="write every partial/final update as one JSON object per line",
    )
    live.add_argument(
        "--serve",
        metavar="[HOST:]PORT",
        help="serve the transcript: WebSocket feed at /ws and OBS overlay at /overlay "
        "(host 127.0.0.1 unless given; another host needs --token)",
    )
    live.add_argument(
        "--token",
        default=os.environ.get("CAPTIONER_TOKEN") or None,
        help="secret that --serve clients need to control listening (and to connect from "
        "other machines); default: $CAPTIONER_TOKEN",
    )
    live.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a web page origin (e.g. https://example.com) that may read the --serve feed; "
        "repeatable",
    )

    transcribe = sub.add_parser(
        "transcribe", parents=[recognition, live], help="caption an audio file"
    )
    transcribe.add_argument("file", type=Path)
    transcribe.add_argument(
        "--live",
        action="store_true",
        help="stream the file at real-time pace through the live pipeline",
    )

    listen = sub.add_parser(
        "listen", parents=[recognition, live], help="caption a microphone in the terminal"
    )
    listen.add_argument(
        "--input", default=None, help="input device name or index (default: the system default)"
    )
    listen.add_argument("--duration", type=float, default=None, help="stop after N seconds")

    bench = sub.add_parser(
        "bench",
        parents=[recognition],
        help="measure accuracy, latency and speed of the live pipeline",
    )
    bench.add_argument("--audio", type=Path, required=True)
    bench.add_argument(
        "--ref",
        type=Path,
        required=True,
        help="reference: REF.txt (one line per utterance) or REF.json",
    )
    bench.add_argument("--events", type=Path, metavar="OUT.jsonl", help="also save the events")
    bench.add_argument("--no-offline", action="store_true", help="skip the offline baseline")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command is None:
            return _app(args)
        if args.command == "devices":
            return _devices()
        if args.command == "transcribe":
            return _transcribe(args)
        if args.command == "listen":
            return _listen(args)
        if args.command == "bench":
            from captioner.bench import run_bench

            summary = run_bench(
                _recognition_config(args), args.audio, args.ref, args.events, not args.no_offline
            )
            print(json.dumps(summary, ensure_ascii=False, indent=2))
            return 0
    except CaptionerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")
    return 2


def _recognition_config(args: argparse.Namespace) -> RecognitionConfig:
    from captioner.asr.config import FunasrSettings, RecognitionConfig
    from captioner.text.script import Script

    funasr = FunasrSettings(
        second_pass=args.second_pass,
        vad_model=args.vad_model,
        punctuation=args.punctuation,
        chunk_ms=args.chunk_ms,
        hub=args.hub,
    )
    if args.engine == "funasr" and args.model is not None:
        funasr = replace(funasr, streaming_model=args.model)
    return RecognitionConfig(
        engine=args.engine,
        model=args.model if args.engine == "whisper" and args.model else "base",
        funasr=funasr,
        device=args.device,
        compute_type=args.compute_type,
        language=None if args.language == "auto" else args.language,
        script=Script.parse(args.script),
        policy=args.policy,
        cpu_threads=args.threads,
    )


def _app(args: argparse.Namespace) -> int:
    from captioner.app import AppOptions, run_app
    from captioner.control.hotkey_spec import HotkeyError, parse_hotkey

    if args.app_hotkey:
        try:
            parse_hotkey(args.app_hotkey)
        except HotkeyError as exc:
            raise CaptionerError(str(exc)) from exc
    serve = None
    if args.app_serve:
        from captioner.server import parse_serve_address

        serve = parse_serve_address(args.app_serve)
    return run_app(
        AppOptions(
            serve=serve,
            token=args.app_token,
            config=args.config,
            transcripts=args.transcripts,
            device=args.app_device,
            model=args.app_model,
            input=args.app_input,
            mode=args.app_mode,
            hotkey=args.app_hotkey,
        )
    )


def _devices() -> int:
    from captioner.audio.devices import list_input_devices

    devices = list_input_devices()
    if not devices:
        print("No audio input devices found.", file=sys.stderr)
        return 1
    for d in devices:
        mark = "*" if d.is_default else " "
        print(
            f"{mark} [{d.index}] {d.name}  ({d.host_api}, {d.max_channels} ch, "
            f"{d.default_rate:.0f} Hz)"
        )
    return 0


def _transcribe(args: argparse.Namespace) -> int:
    config = _recognition_config(args)
    if args.live:
        from captioner.audio.file_source import FileSource

        FileSource(args.file)  # fail now, with a clear message, if the file is unreadable
        return _run_live(
            config,
            lambda: FileSource(args.file, realtime=True),
            args.events,
            what=str(args.file),
            server=_server(args),
        )
    if args.events:
        raise CaptionerError("--events needs --live (events are the live pipeline's updates).")
    if args.serve:
        raise CaptionerError("--serve needs --live (it serves the live pipeline's updates).")
    if config.engine == "funasr":
        return _transcribe_funasr(config, args.file)
    from captioner.asr.whisper.loading import load_whisper
    from captioner.asr.whisper.offline import transcribe_offline
    from captioner.audio.file_source import read_audio_file

    audio = read_audio_file(args.file)
    loaded = load_whisper(config.model, config.device, config.compute_type, config.cpu_threads)
    if loaded.notice:
        print(loaded.notice, file=sys.stderr)
    for segment in transcribe_offline(loaded.model, audio, config.language, config.script):
        print(segment.text, flush=True)
    return 0


def _transcribe_funasr(config, path: Path) -> int:  # noqa: ANN001 - RecognitionConfig
    from captioner.asr.funasr.factory import offline_funasr_transcript
    from captioner.audio.file_source import read_audio_file

    audio = read_audio_file(path)
    segments, notice = offline_funasr_transcript(config, audio)
    if notice:
        print(notice, file=sys.stderr)
    for segment in segments:
        print(segment.text, flush=True)
    return 0


def _listen(args: argparse.Namespace) -> int:
    from captioner.audio.microphone import MicrophoneSource

    device = MicrophoneSource(args.input).device  # a clear error now, before loading
    return _run_live(
        _recognition_config(args),
        lambda: MicrophoneSource(args.input),
        args.events,
        duration_s=args.duration,
        what=f"input '{device.name}'",
        server=_server(args),
    )


def _server(args: argparse.Namespace):  # -> TranscriptServer | None, imported lazily
    """The transcript server --serve asks for (checked now, before the model loads), or None."""
    if not args.serve:
        if args.token or args.allow_origin:
            raise CaptionerError("--token and --allow-origin need --serve [HOST:]PORT.")
        return None
    from captioner.server import ServerConfig, TranscriptServer, parse_serve_address

    host, port = parse_serve_address(args.serve)
    config = ServerConfig(
        host=host, port=port, token=args.token, allow_origins=tuple(args.allow_origin)
    )
    return TranscriptServer(config)


def _run_live(
    config: RecognitionConfig,
    make_source: SourceFactory,
    events_path: Path | None,
    duration_s: float | None = None,
    what: str = "",
    server=None,  # noqa: ANN001 - TranscriptServer | None, imported lazily
) -> int:
    from captioner.headless import run_live
    from captioner.transcript.events import JsonlEventWriter, TranscriptEvent

    writer = JsonlEventWriter(events_path) if events_path else None
    show_partial = sys.stderr.isatty()
    warned_lag = False

    def on_event(event: TranscriptEvent) -> None:
        if writer is not None:
            writer.write(event)
        if event.type == "final":
            if show_partial:
                sys.stderr.write("\r\x1b[K")
            print(event.text, flush=True)
        elif show_partial:
            sys.stderr.write(f"\r\x1b[K{_PARTIAL_STYLE}{event.text}{_RESET}")
            sys.stderr.flush()

    def on_status(status: SessionStatus) -> None:
        nonlocal warned_lag
        if status.lag_s > 2.0 and not warned_lag:
            warned_lag = True
            print(
                f"warning: recognition is {status.lag_s:.1f} s behind real time; "
                "using faster settings",
                file=sys.stderr,
            )

    def on_ready(notice: str) -> None:
        if notice:
            print(notice, file=sys.stderr)
        if server is not None:
            print(
                f"Serving captions: feed {server.ws_url}  OBS overlay {server.overlay_url}",
                file=sys.stderr,
            )
        model = config.funasr.streaming_model if config.engine == "funasr" else config.model
        print(
            f"Captioning {what} ({config.engine} model {model}). Press Ctrl+C to stop.",
            file=sys.stderr,
            flush=True,
        )

    try:
        result = run_live(
            config, make_source, on_event, on_status, duration_s, on_ready, server=server
        )
    finally:
        if writer is not None:
            writer.close()
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if result.dropped_s > 0:
        print(
            f"warning: {result.dropped_s:.1f} s of audio were dropped because recognition "
            "fell behind",
            file=sys.stderr,
        )
    return 2 if result.errors and not result.events else 0


if __name__ == "__main__":
    sys.exit(main())
