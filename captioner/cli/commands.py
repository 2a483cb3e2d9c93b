"""What each command does (the parser names them as handlers). Heavy modules are imported
inside the handlers, so `captioner --help` and `captioner devices` start fast."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from captioner.cli.messages import translate
from captioner.errors import CaptionerError

if TYPE_CHECKING:  # the heavy modules load only for the commands that need them
    from captioner.asr.config import RecognitionConfig
    from captioner.asr.session import SessionStatus
    from captioner.asr.types import ModelInfo
    from captioner.control.channels import ChannelSpec
    from captioner.server import TranscriptServer
    from captioner.transcript.store import Library
    from captioner.translate.config import TranslationConfig

_PARTIAL_STYLE = "\x1b[2m"  # dim
_RESET = "\x1b[0m"


def _recognition_config(args: argparse.Namespace) -> RecognitionConfig:
    """The options as the app's settings would say them, turned into a config by the same
    function as the app's (captioner.control.config); then what only the command line
    offers (a FunASR model folder, policy, threads, a vocabulary file)."""
    from captioner.control.config import recognition_config
    from captioner.settings import RecognitionSettings
    from captioner.text.languages import parse_language
    from captioner.text.script import Script
    from captioner.text.vocabulary import Vocabulary, read_vocabulary

    language = parse_language(args.language)  # an unknown code is said before anything loads
    config = recognition_config(
        RecognitionSettings(
            engine=args.engine,
            model=args.model if args.engine == "whisper" and args.model else "base",
            device=args.device,
            compute_type=args.compute_type,
            language=language or "auto",
            script=Script.parse(args.script).value,
            funasr_second_pass=args.second_pass,
            funasr_chunk_ms=args.chunk_ms,
        )
    )
    funasr = replace(
        config.funasr, vad_model=args.vad_model, punctuation=args.punctuation, hub=args.hub
    )
    if args.engine == "funasr" and args.model is not None:
        funasr = replace(funasr, streaming_model=args.model)
    return replace(
        config,
        funasr=funasr,
        policy=args.policy,
        cpu_threads=args.threads,
        vocabulary=read_vocabulary(args.vocabulary) if args.vocabulary else Vocabulary(),
    )


def _translation_config(
    args: argparse.Namespace, config: RecognitionConfig
) -> TranslationConfig | None:
    """What --translate and its options ask for, through the app's own mapping; refused now,
    in words, when it cannot work (before the model loads)."""
    from captioner.control.config import translation_config_for
    from captioner.settings import TranslationSettings
    from captioner.translate.config import whisper_model_notice
    from captioner.translate.keys import read_key

    endpoint = getattr(args, "translate_endpoint", None)
    model = getattr(args, "translate_model", None)
    if not getattr(args, "translate", None):
        if endpoint or model or getattr(args, "translate_remote", False):
            raise CaptionerError(
                translate(
                    "cli", "--translate-endpoint and --translate-model need --translate LANG."
                )
            )
        return None
    chat = bool(endpoint)
    if not chat and model:
        raise CaptionerError(
            translate("cli", "--translate-model names the model of --translate-endpoint URL.")
        )
    if not chat:
        notice = whisper_model_notice(config.engine, config.whisper_model)
        if notice:
            raise CaptionerError(notice)
    wanted = TranslationSettings(
        enabled=True,
        target=args.translate,
        backend="chat" if chat else "whisper",
        endpoint=endpoint or TranslationSettings.endpoint,
        model=model or "",
        remote_allowed=args.translate_remote,
    )
    translation = translation_config_for(
        wanted, read_key() if chat else None, config.vocabulary.terms
    )
    if translation is not None:
        translation.validate()
    return translation


def run_app(args: argparse.Namespace) -> int:
    """No command: the desktop app."""
    from captioner.app.desktop import AppOptions
    from captioner.app.desktop import run_app as run_desktop_app
    from captioner.control.hotkey_spec import HotkeyError, parse_hotkey
    from captioner.text.languages import parse_language

    language = None
    if args.app_language:
        language = parse_language(args.app_language) or "auto"
    if args.app_hotkey:
        try:
            parse_hotkey(args.app_hotkey)
        except HotkeyError as exc:
            raise CaptionerError(str(exc)) from exc
    serve = None
    if args.app_serve:
        from captioner.server import parse_serve_address

        serve = parse_serve_address(args.app_serve)
    return run_desktop_app(
        AppOptions(
            serve=serve,
            token=args.app_token,
            config=args.config,
            transcripts=args.transcripts,
            device=args.app_device,
            model=args.app_model,
            input=args.app_input,
            source=args.app_source,
            output=args.app_output,
            names=source_names(args.app_names) if args.app_names else None,
            mode=args.app_mode,
            hotkey=args.app_hotkey,
            language=language,
        )
    )


def devices(args: argparse.Namespace) -> int:
    from captioner.audio.devices import list_input_devices
    from captioner.audio.loopback import list_output_devices

    devices = list_input_devices()
    if not devices:
        print(translate("cli", "No audio input devices found."), file=sys.stderr)
        return 1
    print(translate("cli", "Inputs (--input):"))
    for d in devices:
        mark = "*" if d.is_default else " "
        print(
            translate(
                "cli",
                "{mark} [{index}] {name}  ({host_api}, {max_channels} ch, {default_rate:.0f} Hz)",
            ).format(
                mark=mark,
                index=d.index,
                name=d.name,
                host_api=d.host_api,
                max_channels=d.max_channels,
                default_rate=d.default_rate,
            )
        )
    try:
        outputs = list_output_devices()
    except CaptionerError as exc:
        print(
            translate("cli", "Outputs: none can be captured ({reason})").format(reason=exc),
            file=sys.stderr,
        )
        return 0
    print(translate("cli", "Outputs (--source system --output):"))
    for i, o in enumerate(outputs):
        mark = "*" if o.is_default else " "
        print(
            translate("cli", "{mark} [{index}] {name}  ({channels} ch, id {id})").format(
                mark=mark, index=i, name=o.name, channels=o.channels, id=o.id
            )
        )
    return 0


def source_names(names: str | None) -> tuple[str, str]:
    """The labels of the two sides ("Me", "Others" unless ``--names ME,OTHERS``)."""
    if not names:
        return "Me", "Others"
    parts = [p.strip() for p in names.split(",")]
    if len(parts) != 2 or not all(parts):
        raise CaptionerError(
            translate("cli", "--names takes two labels separated by a comma, e.g. Me,Others.")
        )
    return parts[0], parts[1]


def transcribe(args: argparse.Namespace) -> int:
    config = _recognition_config(args)
    translation = _translation_config(args, config)
    if args.live:
        from captioner.audio.file_source import FileSource
        from captioner.control.channels import file_channel

        FileSource(args.file)  # fail now, with a clear message, if the file is unreadable
        return _run_live(
            config,
            [file_channel(args.file)],
            args.events,
            transcripts=args.transcripts,
            source=args.file.name,
            what=str(args.file),
            server=_server(args),
            is_file=True,
            translation=translation,
        )
    if translation is not None:
        raise CaptionerError(
            translate("cli", "--translate needs --live (it translates the live pipeline's lines).")
        )
    if args.events:
        raise CaptionerError(
            translate("cli", "--events needs --live (events are the live pipeline's updates).")
        )
    if args.serve:
        raise CaptionerError(
            translate("cli", "--serve needs --live (it serves the live pipeline's updates).")
        )
    if config.engine == "funasr":
        return _transcribe_funasr(config, args.file)
    from captioner.asr.whisper.loading import load_whisper
    from captioner.asr.whisper.offline import transcribe_offline
    from captioner.audio.file_source import read_audio_file

    path = args.file
    audio = read_audio_file(path)
    loaded = load_whisper(
        config.whisper_model, config.device, config.compute_type, config.cpu_threads
    )
    if loaded.notice:
        print(loaded.notice, file=sys.stderr)
    said = False
    segments = transcribe_offline(
        loaded.model, audio, config.language, config.script, vocabulary=config.vocabulary
    )
    for segment in segments:
        print(segment.text, flush=True)
        said = True
    return 0 if said else _no_speech(str(path))


def _transcribe_funasr(config: RecognitionConfig, path: Path) -> int:
    from captioner.asr.funasr.factory import offline_funasr_transcript
    from captioner.audio.file_source import read_audio_file

    audio = read_audio_file(path)
    segments, notice = offline_funasr_transcript(config, audio)
    if notice:
        print(notice, file=sys.stderr)
    for segment in segments:
        print(segment.text, flush=True)
    return 0 if segments else _no_speech(str(path))


def _no_speech(what: str) -> int:
    """A file in which nothing was recognised: said, and exit status 2 (no transcript)."""
    print(
        translate("cli", "error: no speech was found in {what}.").format(what=what), file=sys.stderr
    )
    return 2


def listen(args: argparse.Namespace) -> int:
    from captioner.audio.loopback import SystemAudioSource
    from captioner.audio.microphone import MicrophoneSource
    from captioner.control.channels import SourceChoice, channels_for
    from captioner.settings import SourceName

    config = _recognition_config(args)  # its errors first: no microphone needed to see them
    translation = _translation_config(args, config)
    source: SourceName = args.source or "mic"  # the parser's choices are SourceName's
    if source != "both" and args.names:
        raise CaptionerError(translate("cli", "--names labels the two sides of --source both."))
    if source == "mic" and args.output:
        raise CaptionerError(translate("cli", "--output needs --source system or both."))
    if source == "system" and args.input:
        raise CaptionerError(
            translate("cli", "--input is the microphone: use --output with --source system.")
        )
    # Open nothing yet, but fail now, with a clear message, before the model loads.
    mic = MicrophoneSource(args.input).device if source != "system" else None
    out = SystemAudioSource(args.output).device if source != "mic" else None
    me, others = source_names(args.names)
    choice = SourceChoice(source, args.input, args.output, (me, others))
    if source == "mic":
        what = translate("cli", "input '{name}'").format(name=mic.name if mic else "")
    elif source == "system":
        what = translate("cli", "what '{name}' plays").format(name=out.name if out else "")
    else:
        what = translate("cli", "input '{mic}' as {me} and what '{out}' plays as {others}").format(
            mic=mic.name if mic else "", me=me, out=out.name if out else "", others=others
        )
    return _run_live(
        config,
        channels_for(choice),
        args.events,
        transcripts=args.transcripts,
        source=source,
        duration_s=args.duration,
        what=what,
        server=_server(args),
        translation=translation,
    )


def _server(args: argparse.Namespace) -> TranscriptServer | None:
    """The transcript server --serve asks for (checked now, before the model loads), or None."""
    if not args.serve:
        if args.token or args.allow_origin:
            raise CaptionerError(
                translate("cli", "--token and --allow-origin need --serve [HOST:]PORT.")
            )
        return None
    from captioner.server import ServerConfig, TranscriptServer, parse_serve_address
    from captioner.settings import ServerSettings

    host, port = parse_serve_address(args.serve)
    wanted = ServerSettings(True, host, port, args.token or "", list(args.allow_origin))
    return TranscriptServer(ServerConfig.from_settings(wanted))


def _run_live(
    config: RecognitionConfig,
    channels: Sequence[ChannelSpec],
    events_path: Path | None,
    duration_s: float | None = None,
    what: str = "",
    server: TranscriptServer | None = None,
    is_file: bool = False,
    transcripts: Path | None = None,
    source: str = "",
    translation: TranslationConfig | None = None,
) -> int:
    from captioner.cli.live import run_live
    from captioner.transcript.events import JsonlEventWriter, TranscriptEvent

    show_partial = sys.stderr.isatty()
    warned_lag = False

    def events_failed(message: str) -> None:
        if show_partial:
            sys.stderr.write("\r\x1b[K")
        print(
            translate("cli", "error: {message} The transcript goes on here.").format(
                message=message
            ),
            file=sys.stderr,
            flush=True,
        )

    # Opened now, before the model loads: a path that cannot be written is said at once.
    writer = JsonlEventWriter(events_path, events_failed) if events_path else None

    def on_event(event: TranscriptEvent) -> None:
        # The terminal first: a failing side output must never hold back the transcript.
        if event.type == "final":
            if show_partial:
                sys.stderr.write("\r\x1b[K")
            labelled = translate("cli", "{source}: {text}").format(
                source=event.source, text=event.text
            )
            print(labelled if event.source else event.text, flush=True)
        elif event.type == "translation":
            if show_partial:
                sys.stderr.write("\r\x1b[K")
            # Under its line (the last one shown, unless it fell behind); indented, tagged
            # with its language.
            print(
                translate("cli", "    [{lang}] {text}").format(lang=event.lang, text=event.text),
                flush=True,
            )
        elif show_partial:
            sys.stderr.write(f"\r\x1b[K{_PARTIAL_STYLE}{event.text}{_RESET}")
            sys.stderr.flush()
        if writer is not None:
            writer.write(event)

    def on_notice(text: str) -> None:
        if show_partial:
            sys.stderr.write("\r\x1b[K")
        print(translate("cli", "warning: {text}").format(text=text), file=sys.stderr, flush=True)

    def on_status(status: SessionStatus) -> None:
        nonlocal warned_lag
        if status.lag_s > 2.0 and not warned_lag:
            warned_lag = True
            print(
                translate(
                    "cli",
                    "warning: recognition is {lag_s:.1f} s behind real time; using faster settings",
                ).format(lag_s=status.lag_s),
                file=sys.stderr,
            )

    def on_ready(notice: str, model: ModelInfo) -> None:
        if notice:
            print(notice, file=sys.stderr)
        if server is not None:
            print(
                translate(
                    "cli", "Serving captions: feed {ws_url}  OBS overlay {overlay_url}"
                ).format(ws_url=server.ws_url, overlay_url=server.overlay_url),
                file=sys.stderr,
            )
        print(
            translate("cli", "Captioning {what} ({model}). Press Ctrl+C to stop.").format(
                what=what, model=model
            ),
            file=sys.stderr,
            flush=True,
        )

    from captioner.transcript.files import TranscriptSink

    # Recorded as the app records (opened now: a folder that cannot be used is said at once).
    sink = TranscriptSink(transcripts, source, lambda notice: print(notice, file=sys.stderr))
    if transcripts is not None:
        try:
            sink.library()
        except (OSError, sqlite3.Error) as exc:
            raise CaptionerError(
                translate(
                    "cli", "Cannot record into the transcript library in {folder}: {exc}"
                ).format(folder=transcripts, exc=exc)
            ) from exc

    def event(e: TranscriptEvent) -> None:
        if e.type == "translation":
            sink.add_translation(e)  # saved with its line, as the app does
        on_event(e)

    try:
        result = run_live(
            config,
            channels,
            event,
            on_status,
            duration_s,
            on_ready,
            server,
            [sink],
            translation=translation,
            on_notice=on_notice,
        )
    finally:
        sink.close()
        if writer is not None:
            writer.close()
    for error in result.errors:
        print(translate("cli", "error: {error}").format(error=error), file=sys.stderr)
    if result.dropped_s > 0:
        print(
            translate(
                "cli",
                "warning: {dropped_s:.1f} s of audio were dropped because recognition fell behind",
            ).format(dropped_s=result.dropped_s),
            file=sys.stderr,
        )
    if result.errors and not result.events:
        return 2
    if not result.errors and not any(e.type == "final" and e.text for e in result.events):
        if is_file:
            return _no_speech(what)
        print(translate("cli", "No speech was heard."), file=sys.stderr)
    if writer is not None and writer.failure:
        return 2  # the transcript was shown, but not everything asked for was saved
    return 0


def bench(args: argparse.Namespace) -> int:
    from captioner.cli.bench import run_bench

    config = _recognition_config(args)
    summary = run_bench(
        config,
        args.audio,
        args.ref,
        args.events,
        not args.no_offline,
        _translation_config(args, config),
    )
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


def _library(args: argparse.Namespace) -> Library:
    """The library --transcripts names, or the app's (its settings' transcripts folder)."""
    from captioner.settings import SettingsStore, default_settings_path, default_transcripts_folder
    from captioner.transcript.store import Library

    folder = args.transcripts
    if folder is None:
        stored = SettingsStore(default_settings_path()).settings.transcripts
        folder = Path(stored.folder) if stored.folder else default_transcripts_folder()
    if not (folder / "captioner-library.sqlite3").exists() and not any(folder.glob("*.srt")):
        raise CaptionerError(
            translate("cli", "No transcript library in {folder}.").format(folder=folder)
        )
    library = Library(folder)
    for notice in library.notices:
        print(notice, file=sys.stderr)
    return library


def sessions(args: argparse.Namespace) -> int:
    from captioner.transcript.export import render, short_clock

    library = _library(args)
    try:
        if args.action == "list":
            for info in library.sessions():  # data, one field per column: no words
                when, duration = _when(info.started), short_clock(info.duration_s)
                named = info.title or info.first_words[:40]
                print("\t".join([str(info.id), when, duration, info.source or "-", named]))
            return 0
        if args.action == "search":
            hits = library.search(args.text)
            for hit in hits:
                said = f"{hit.line.source}: {hit.line.text}" if hit.line.source else hit.line.text
                when, at = _when(hit.session.started), short_clock(hit.line.start)
                print("\t".join([str(hit.session.id), when, at, said]))
            if not hits:
                print(translate("cli", "Nothing found."), file=sys.stderr)
            return 0 if hits else 1
        chosen = library.session(args.id)
        if chosen is None:
            raise CaptionerError(
                translate("cli", "No session {id}: `captioner sessions list` shows them.").format(
                    id=args.id
                )
            )
        text = render(
            chosen,
            library.lines(chosen.id),
            args.format,
            not args.no_times,
            not args.no_labels,
            library.translations(chosen.id) if args.bilingual else None,
        )
        if args.out is None:
            sys.stdout.write(text)
        else:
            try:
                args.out.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CaptionerError(
                    translate("cli", "Cannot write {path}: {exc}").format(path=args.out, exc=exc)
                ) from exc
        return 0
    finally:
        library.close()


def _when(started: float) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.localtime(started))
