"""The translator's queue, backoff and notices, the translation config's checks and the key's
lookup (fake backends here; the real endpoint and model are in tests/integration)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Sequence
from typing import ClassVar

import pytest

from captioner.translate import keys
from captioner.translate.config import (
    TranslationConfig,
    TranslationConfigError,
    is_local,
    whisper_model_notice,
)
from captioner.translate.translator import Job, Result, TranslationFailure, Translator


class ScriptedBackend:
    """Answers as told: a text, or a failure to raise; can be held to simulate a slow one."""

    def __init__(self, answers: Sequence[str | TranslationFailure] = ()) -> None:
        self.answers = list(answers)
        self.seen: list[tuple[int, list[str]]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.times: list[float] = []

    def translate_line(self, job: Job, context: Sequence[str]) -> str:
        self.gate.wait(10)
        self.seen.append((job.final, list(context)))
        self.times.append(time.monotonic())
        answer = self.answers.pop(0) if self.answers else f"T{job.final}"
        if isinstance(answer, TranslationFailure):
            raise answer
        return answer


def job(n: int) -> Job:
    return Job(n, f"第{n}行", float(n), n + 0.5)


def run(backend: ScriptedBackend, **kwargs: object) -> tuple[Translator, list[Result], list[str]]:
    results: list[Result] = []
    notices: list[str] = []
    options: dict[str, object] = {"backoff_s": 0.01, "rng": random.Random(1)}
    options.update(kwargs)
    translator = Translator(backend, results.append, notices.append, **options)  # type: ignore[arg-type]
    return translator, results, notices


def test_each_line_is_translated_with_the_lines_before_it_as_context():
    backend = ScriptedBackend()
    translator, results, notices = run(backend, context_lines=2)
    for n in (1, 2, 3):
        translator.submit(job(n))
        assert translator.wait_idle(5)
    translator.close()
    assert [(r.job.final, r.text) for r in results] == [(1, "T1"), (2, "T2"), (3, "T3")]
    assert backend.seen == [(1, []), (2, ["第1行"]), (3, ["第1行", "第2行"])]
    assert translator.stats.translated == 3 and not notices
    assert len(translator.stats.latencies) == 3


def test_a_translator_that_falls_behind_skips_older_lines_and_says_so_once():
    backend = ScriptedBackend()
    backend.gate.clear()  # the first line is stuck in a slow request
    translator, results, notices = run(backend, max_pending=2)
    translator.submit(job(1))
    time.sleep(0.1)
    for n in range(2, 8):
        translator.submit(job(n))
    backend.gate.set()
    assert translator.wait_idle(5)
    translator.close()
    done = [r.job.final for r in results]
    assert done[0] == 1 and done[1] == 7  # straight to the newest
    assert translator.stats.skipped == 4  # 2..5 dropped; 6 and 7 waited
    assert translator.stats.translated == len(done)
    assert len(notices) == 1 and "skipped" in notices[0]


def test_a_failed_line_is_retried_after_a_backoff_and_each_kind_of_failure_is_told_once():
    server_error = TranslationFailure("server", "HTTP 500")
    backend = ScriptedBackend([server_error, server_error, "fine"])
    translator, results, notices = run(backend, backoff_s=0.05, attempts=3)
    translator.submit(job(1))
    assert translator.wait_idle(5)
    translator.close()
    assert [r.text for r in results] == ["fine"]
    assert len(notices) == 1 and "server error" in notices[0]
    # The backoff doubles, each wait between half and all of it.
    first, second = backend.times[1] - backend.times[0], backend.times[2] - backend.times[1]
    assert 0.025 <= first <= 0.5 and 0.05 <= second <= 0.5


def test_retry_after_is_honoured():
    backend = ScriptedBackend([TranslationFailure("rate", "HTTP 429", retry_after=0.3)])
    translator, results, notices = run(backend)
    translator.submit(job(1))
    assert translator.wait_idle(5)
    translator.close()
    assert backend.times[1] - backend.times[0] >= 0.29
    assert [r.text for r in results] == ["T1"] and "slow down" in notices[0]


def test_a_refused_key_is_told_once_in_words_and_not_retried_for_the_same_line():
    refused = TranslationFailure("auth", "HTTP 401")
    backend = ScriptedBackend([refused, refused])
    translator, results, notices = run(backend)
    translator.submit(job(1))
    assert translator.wait_idle(5)
    translator.submit(job(2))
    assert translator.wait_idle(5)
    translator.close()
    assert not results and translator.stats.failed == 2
    assert notices == [notices[0]] and "refused the key" in notices[0]


def test_a_line_is_given_up_after_its_attempts_and_the_next_one_still_comes():
    down = TranslationFailure("connection", "ConnectionRefusedError")
    backend = ScriptedBackend([down, down, "two"])
    translator, results, _ = run(backend, attempts=2)
    translator.submit(job(1))
    assert translator.wait_idle(5)
    translator.submit(job(2))
    assert translator.wait_idle(5)
    translator.close()
    assert [(r.job.final, r.text) for r in results] == [(2, "two")]
    assert translator.stats.failed == 1


def test_an_empty_answer_or_a_backend_bug_counts_as_a_failure_not_a_dead_thread():
    class Broken(ScriptedBackend):
        calls = 0

        def translate_line(self, job: Job, context: Sequence[str]) -> str:
            self.calls += 1
            if self.calls == 1:
                return "  "
            if self.calls == 2:
                raise RuntimeError("bug")
            return "ok"

    translator, results, notices = run(Broken(), attempts=3)
    translator.submit(job(1))
    assert translator.wait_idle(5)
    translator.close()
    assert [r.text for r in results] == ["ok"] and len(notices) == 2


def test_the_built_in_translation_only_gives_english():
    TranslationConfig("whisper", "en").validate()
    with pytest.raises(TranslationConfigError, match="only translate into English"):
        TranslationConfig("whisper", "fr").validate()


def test_a_remote_endpoint_needs_the_users_yes_and_the_key_is_never_shown():
    local = TranslationConfig("chat", "zh", "http://127.0.0.1:11434/v1", "qwen2.5")
    local.validate()
    remote = TranslationConfig(
        "chat", "zh", "https://api.deepseek.com/v1", "deepseek-chat", key="sk-secret"
    )
    with pytest.raises(TranslationConfigError, match="leave it") as refused:
        remote.validate()
    assert "sk-secret" not in str(refused.value) and "sk-secret" not in repr(remote)
    TranslationConfig(
        "chat", "zh", "https://api.deepseek.com/v1", "deepseek-chat", remote_allowed=True
    ).validate()
    with pytest.raises(TranslationConfigError, match="model"):
        TranslationConfig("chat", "zh", "http://localhost:1234/v1", "").validate()
    with pytest.raises(TranslationConfigError, match="http"):
        TranslationConfig("chat", "zh", "localhost:1234", "m").validate()
    assert is_local("http://localhost:8080/v1") and is_local("http://[::1]:8080/v1")
    assert not is_local("http://192.168.1.5:11434/v1")


def test_which_whisper_models_translate_is_said_plainly():
    assert whisper_model_notice("whisper", "base") is None
    assert whisper_model_notice("whisper", "large-v3") is None
    turbo = whisper_model_notice("whisper", "large-v3-turbo")
    assert turbo is not None and "not trained to translate" in turbo
    assert whisper_model_notice("whisper", "tiny.en") is not None
    assert "Whisper engine" in (whisper_model_notice("funasr", "base") or "")


def test_the_key_comes_from_the_environment_first(monkeypatch):
    monkeypatch.setenv(keys.KEY_VARIABLE, "from-env")
    assert keys.read_key() == "from-env"


def test_without_a_credential_store_reading_gives_none_and_saving_says_why(monkeypatch):
    import keyring
    from keyring.backends.fail import Keyring as NoStore

    monkeypatch.delenv(keys.KEY_VARIABLE, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(NoStore())
    try:
        assert keys.read_key() is None
        with pytest.raises(keys.KeyStoreError, match=keys.KEY_VARIABLE) as failed:
            keys.save_key("sk-secret")
        assert "sk-secret" not in str(failed.value)
    finally:
        keyring.set_keyring(previous)


def test_a_saved_key_is_read_back_and_an_empty_one_deletes_it(monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryStore(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        stored: ClassVar[dict[tuple[str, str], str]] = {}

        def get_password(self, service, username):
            return self.stored.get((service, username))

        def set_password(self, service, username, password):
            self.stored[(service, username)] = password

        def delete_password(self, service, username):
            import keyring.errors

            if (service, username) not in self.stored:
                raise keyring.errors.PasswordDeleteError("none")
            del self.stored[(service, username)]

    monkeypatch.delenv(keys.KEY_VARIABLE, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryStore())
    try:
        keys.save_key("sk-1")
        assert keys.read_key() == "sk-1"
        assert MemoryStore.stored == {("Captioner", "translation"): "sk-1"}
        keys.save_key("")
        assert keys.read_key() is None
        keys.save_key("")  # nothing stored: still fine
    finally:
        keyring.set_keyring(previous)


def test_a_line_the_speech_model_has_no_words_for_is_neither_told_nor_retried():
    import numpy as np

    from captioner.translate.speech import SpeechBackend

    calls: list[int] = []

    def nothing(audio: np.ndarray) -> str:
        calls.append(len(audio))
        return " "

    results: list[Result] = []
    notices: list[str] = []
    translator = Translator(SpeechBackend(lambda: nothing), results.append, notices.append)
    translator.submit(Job(1, "这并不是告别", 0.0, 1.0, audio=np.zeros(16000, np.float32)))
    assert translator.wait_idle(5)
    translator.close()
    assert calls == [16000] and not results and not notices
    assert translator.stats.failed == 1


def test_whisper_loops_are_said_once():
    from captioner.asr.whisper.decoding import _REPEATED_WORD

    def collapsed(text: str) -> str:
        return _REPEATED_WORD.sub(r"\1", text)

    assert collapsed("He brought me a physical physical physical physical") == (
        "He brought me a physical"
    )
    assert collapsed("I I I I") == "I"
    # The repeated phrase once, and what was left of its last round.
    assert collapsed("the magic of the magic of the magic of the magic") == "the magic of the magic"
    assert collapsed("that that is fine") == "that that is fine"  # twice is speech
