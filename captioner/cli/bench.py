"""`captioner bench`: accuracy, latency and speed of the live pipeline on a recording.

The audio is streamed at real-time pace through the same path as a microphone (ring buffer,
worker thread, engine). Reported:

* ``cer``: character error rate of the confirmed text (Simplified, no punctuation/spaces);
  ``offline_cer``: the same model decoding the whole file at once (beam 5); their ratio.
* ``confirm_latency_s``: per reference utterance, wall-clock time from the end of its speech
  until all of its confirmed text had arrived.
* ``display_latency_s``: from the end of its speech until the text on screen (confirmed plus
  partial) first held at least 70 % of the characters it was finally confirmed with
  (negative: shown before the speaker finished).
* ``rtf``: seconds spent decoding per second of audio; ``max_lag_s``; ``dropped_audio_s``;
  ``peak_memory_mb`` (resident, during the live run).
* With ``--translate LANG``, ``translation``: the same stream is captioned first without
  translation and then with it; ``latency_after_final_s``: from each confirmed line to its
  translation; ``confirm_latency_s`` and ``cpu_seconds_per_audio_second`` with it against
  ``..._without`` (the first run); ``translated_share``: finals that got a translation;
  ``skipped`` (it fell behind), ``failed``. With ``--translate-endpoint``,
  ``endpoint_s_per_line``: the endpoint's time per line (request to answer).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from captioner.asr.config import RecognitionConfig
from captioner.asr.vad import speech_spans
from captioner.asr.whisper.kernels import cpu_kernels
from captioner.audio import SAMPLE_RATE
from captioner.audio.file_source import read_audio_file
from captioner.cli.messages import translate
from captioner.errors import CaptionerError
from captioner.text.normalize import normalize_for_scoring
from captioner.transcript.events import JsonlEventWriter, TranscriptEvent
from captioner.transcript.metrics import character_error_rate, summarize
from captioner.translate.config import TranslationConfig

if TYPE_CHECKING:
    from captioner.cli.live import LiveResult

DISPLAY_FRACTION = 0.7


@dataclass(frozen=True)
class Utterance:
    text: str
    start: float  # audio seconds where the utterance (its speech) starts
    speech_end: float  # audio seconds where its speech ends


def load_reference(path: Path, audio: np.ndarray) -> tuple[list[Utterance] | None, str]:
    """Utterances with times, and the full reference text.

    REF.json: ``{"utterances": [{"text", "start", "end", "speech_end"?}, ...]}``.
    REF.txt: one utterance per line; times come from voice activity detection on the audio
    when it finds exactly as many utterances as there are lines (else latency is not scored).
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaptionerError(
            translate("cli", "Cannot read the reference '{path}': {exc}").format(path=path, exc=exc)
        ) from exc
    if path.suffix.lower() == ".json":
        data = json.loads(raw)
        items = data["utterances"] if isinstance(data, dict) else data
        utterances = [
            Utterance(str(u["text"]), float(u["start"]), float(u.get("speech_end", u["end"])))
            for u in items
        ]
        return utterances, "".join(u.text for u in utterances)
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    spans = speech_spans(audio)
    if len(spans) != len(lines):
        return None, "".join(lines)
    return [Utterance(t, s, e) for t, (s, e) in zip(lines, spans, strict=True)], "".join(lines)


def utterance_index(utterances: list[Utterance], audio_time: float) -> int:
    """The utterance a piece of text at ``audio_time`` belongs to (last one started)."""
    index = 0
    for i, u in enumerate(utterances):
        if u.start <= audio_time + 0.3:
            index = i
    return index


def latencies(
    events: list[TranscriptEvent], utterances: list[Utterance]
) -> tuple[list[float], list[float], int]:
    """(confirm latencies, display latencies, utterances with no confirmed text)."""
    n = len(utterances)
    finals = [e for e in events if e.type == "final"]
    final_chars = [0] * n
    for e in finals:
        final_chars[utterance_index(utterances, (e.start + e.end) / 2)] += len(
            normalize_for_scoring(e.text)
        )
    confirmed = [0] * n
    confirm_at: list[float | None] = [None] * n
    display_at: list[float | None] = [None] * n
    partial_chars, partial_utt = 0, -1
    for e in events:
        chars = len(normalize_for_scoring(e.text))
        if e.type == "final":
            i = utterance_index(utterances, (e.start + e.end) / 2)
            confirmed[i] += chars
            if confirmed[i] >= final_chars[i] and confirm_at[i] is None:
                confirm_at[i] = e.t
            partial_chars, partial_utt = 0, -1
        else:
            partial_chars = chars
            partial_utt = utterance_index(utterances, e.start) if chars else -1
        for i in range(n):
            if display_at[i] is None and final_chars[i]:
                shown = confirmed[i] + (partial_chars if partial_utt == i else 0)
                if shown >= DISPLAY_FRACTION * final_chars[i]:
                    display_at[i] = e.t
    ends = [u.speech_end for u in utterances]
    confirm = [c - end for c, end in zip(confirm_at, ends, strict=True) if c is not None]
    display = [d - end for d, end in zip(display_at, ends, strict=True) if d is not None]
    missed = sum(1 for chars in final_chars if chars == 0)
    return confirm, display, missed


def peak_memory_mb() -> float | None:
    if sys.platform == "win32":
        try:
            import psutil
        except ImportError:
            return None
        return round(float(psutil.Process().memory_info().peak_wset) / 2**20, 1)
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def run_bench(
    config: RecognitionConfig,
    audio_path: Path,
    ref_path: Path,
    events_path: Path | None = None,
    offline: bool = True,
    translation: TranslationConfig | None = None,
) -> dict[str, object]:
    from captioner.cli.live import run_live
    from captioner.control.channels import file_channel

    audio = read_audio_file(audio_path)
    duration = audio.shape[0] / SAMPLE_RATE
    utterances, reference = load_reference(ref_path, audio)
    writer = (
        JsonlEventWriter(
            events_path,
            lambda message: print(
                translate("cli", "error: {message}").format(message=message), file=sys.stderr
            ),
        )
        if events_path
        else None
    )
    without = None
    if translation is not None:  # the same stream without translation first: the baseline
        cpu_before = time.process_time()
        plain = run_live(config, [file_channel(audio_path)])
        without = (plain, time.process_time() - cpu_before)
    cpu_before = time.process_time()
    try:
        result = run_live(
            config,
            [file_channel(audio_path)],
            on_event=writer.write if writer else None,
            translation=translation,
        )
    finally:
        if writer is not None:
            writer.close()
    cpu_seconds = time.process_time() - cpu_before
    if result.errors and not result.events:
        raise CaptionerError("; ".join(result.errors))
    memory = peak_memory_mb()
    recognizer = result.recognizer
    if recognizer is None:
        raise CaptionerError(
            "; ".join(result.errors) or translate("cli", "Recognition did not start.")
        )
    info, stats = recognizer.model_info, recognizer.stats
    cer = round(character_error_rate(result.confirmed_text, reference), 4)
    summary: dict[str, object] = {
        "audio": str(audio_path),
        "audio_s": round(duration, 2),
        "engine": info.engine,
        "model": info.model,
        "policy": config.policy if config.engine == "whisper" else "two-pass",
        "device": info.device,
        # CTranslate2's int8 kernels on this CPU: they change the text slightly.
        "cpu_kernels": cpu_kernels() if config.engine == "whisper" else None,
        "cer": cer,
    }
    if offline:
        whole = "".join(s.text for s in recognizer.transcribe_whole(audio))
        offline_cer = round(character_error_rate(whole, reference), 4)
        summary["offline_cer"] = offline_cer
        summary["cer_ratio"] = round(cer / offline_cer, 3) if offline_cer else None
    if utterances is not None:
        confirm, display, missed = latencies(result.events, utterances)
        summary["utterances"] = len(utterances)
        summary["missed_utterances"] = missed
        summary["confirm_latency_s"] = summarize(confirm)
        summary["display_latency_s"] = summarize(display)
    else:
        summary["latency_note"] = "reference lines do not match detected utterances: not scored"
    summary.update(
        {
            "rtf": round(stats.decode_seconds / duration, 3),
            "cpu_seconds_per_audio_second": round(cpu_seconds / duration, 3),
            "max_lag_s": round(result.max_lag_s, 3),
            "dropped_audio_s": round(result.dropped_s, 3),
            "peak_memory_mb": memory,
            "final_passes": stats.final_passes,
            "final_pass_s": summarize(stats.final_pass_seconds),
            "decodes": stats.decodes,
            "context_repeats_avoided": stats.context_repeats_avoided,
            "vocabulary_redecodes": stats.vocabulary_redecodes,
            "vocabulary_redecodes_taken": stats.vocabulary_redecodes_taken,
            "inner_pauses_reused": stats.inner_pauses_reused,
            "errors": result.errors,
        }
    )
    if result.notice:
        summary["notice"] = result.notice
    if translation is not None and without is not None:
        summary["translation"] = translation_summary(
            translation, result, without, utterances, duration, cpu_seconds
        )
    return summary


def translation_summary(
    translation: TranslationConfig,
    result: LiveResult,
    without: tuple[LiveResult, float],
    utterances: list[Utterance] | None,
    duration: float,
    cpu_seconds: float,
) -> dict[str, object]:
    """What translation did and cost, against the run without it (see the docstring)."""
    finals = {e.final: e for e in result.events if e.type == "final" and e.final is not None}
    translations = [e for e in result.events if e.type == "translation"]
    after = [t.t - finals[t.final].t for t in translations if t.final in finals]
    plain, plain_cpu = without
    stats = result.translator_stats
    summary: dict[str, object] = {
        "backend": translation.backend,
        "target": translation.target,
        "finals": len(finals),
        "translated": len(translations),
        "translated_share": round(len(translations) / len(finals), 3) if finals else None,
        "latency_after_final_s": summarize(after),
        "skipped": stats.skipped if stats else None,
        "failed": stats.failed if stats else None,
        "cpu_seconds_per_audio_second": round(cpu_seconds / duration, 3),
        "cpu_seconds_per_audio_second_without": round(plain_cpu / duration, 3),
        "notices": result.notices,
    }
    if utterances is not None:
        summary["confirm_latency_s"] = summarize(latencies(result.events, utterances)[0])
        summary["confirm_latency_s_without"] = summarize(latencies(plain.events, utterances)[0])
    if translation.backend == "chat" and stats is not None:
        summary["endpoint_s_per_line"] = summarize(stats.latencies)
    return summary
