"""Translation through a language model's chat endpoint: a real HTTP server in the test that
speaks OpenAI's chat-completions protocol (tests/support/chat_server.py), streamed and not.

Whatever the endpoint does (answers, hangs, asks to slow down, fails, answers garbage, closes
the connection, refuses the key) the user is told once, the translator backs off, and it
recovers once the server heals; through the live pipeline, every confirmed line still comes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest

from captioner.translate.chat import ChatBackend
from captioner.translate.config import TranslationConfig
from captioner.translate.translator import Job, Result, Translator
from tests.support.chat_server import ChatScript, chat_server


def config(endpoint: str, stream: bool = True, **changes: object) -> TranslationConfig:
    base = {
        "backend": "chat",
        "target": "en",
        "endpoint": endpoint,
        "model": "test-model",
        "key": "sk-test-key",
        "terms": ("曼萨尼约", "撒切尔"),
        "timeout_s": 0.8,
        "stream": stream,
    }
    base.update(changes)
    return TranslationConfig(**base)  # type: ignore[arg-type]


def translate_lines(
    script: ChatScript, lines: Sequence[str], stream: bool = True
) -> tuple[list[Result], list[str], Translator]:
    """Each line submitted once the one before was dealt with, as speech comes."""
    results: list[Result] = []
    notices: list[str] = []
    with chat_server(script) as server:
        translator = Translator(
            ChatBackend(config(server.endpoint, stream)),
            results.append,
            notices.append,
            backoff_s=0.05,
        )
        for n, text in enumerate(lines, 1):
            translator.submit(Job(n, text, float(n), n + 0.5))
            assert translator.wait_idle(15)
        translator.close()
    return results, notices, translator


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
def test_each_line_is_answered_with_context_lines_and_the_vocabulary_terms(stream):
    script = ChatScript()
    lines = ["曼萨尼约港口被关闭", "有关能否改控串谋", "邓小平与撒切尔会晤"]
    results, notices, _ = translate_lines(script, lines, stream)
    assert [r.text for r in results] == [f"EN: {line}" for line in lines]
    assert not notices
    last = script.requests[-1]
    assert last["model"] == "test-model" and last["stream"] is stream
    system, user = last["messages"]
    assert "into English" in system["content"]
    assert "曼萨尼约" in system["content"] and "撒切尔" in system["content"]
    assert "曼萨尼约港口被关闭" in user["content"] and "有关能否改控串谋" in user["content"]
    assert user["content"].endswith("Latest line:\n邓小平与撒切尔会晤")
    assert script.headers[-1]["Authorization"] == "Bearer sk-test-key"


@pytest.mark.parametrize(
    ("behaviour", "told"),
    [
        ("slow", "does not answer in time"),
        ("429", "slow down"),
        ("500", "server error"),
        ("malformed", "not a translation"),
        ("empty", "not a translation"),
        ("close", "cannot be reached"),
    ],
)
def test_a_failing_endpoint_is_told_once_and_retried_until_it_heals(behaviour, told):
    script = ChatScript([behaviour, behaviour], retry_after="1", slow_s=2.0)
    results, notices, translator = translate_lines(script, ["第一行", "第二行"])
    # The first line got through on its third try; the next one at once.
    assert [r.text for r in results] == ["EN: 第一行", "EN: 第二行"]
    assert script.answered == [behaviour, behaviour, "answer", "answer"]
    assert len(notices) == 1 and told in notices[0], notices
    assert "sk-test-key" not in notices[0]
    assert translator.stats.translated == 2 and translator.stats.failed == 0


def test_retry_after_is_waited_for():
    script = ChatScript(["429"], retry_after="1")
    started = time.monotonic()
    results, _, _ = translate_lines(script, ["第一行"])
    assert [r.text for r in results] == ["EN: 第一行"]
    assert results[0].latency_s >= 0.95 and time.monotonic() - started >= 0.95


def test_a_refused_key_is_told_once_in_words_and_the_next_line_comes_when_it_is_fixed():
    script = ChatScript(["401", "401"])
    results, notices, translator = translate_lines(script, ["第一行", "第二行", "第三行"])
    # Refused keys are not retried with the same line: lines 1 and 2 fail, 3 comes.
    assert script.answered == ["401", "401", "answer"]
    assert [r.text for r in results] == ["EN: 第三行"]
    assert translator.stats.failed == 2
    assert len(notices) == 1 and "refused the key" in notices[0]


def test_an_endpoint_that_is_not_there_is_told_once():
    with chat_server() as server:
        endpoint = server.endpoint  # closed again: nothing listens there now
    results: list[Result] = []
    notices: list[str] = []
    translator = Translator(
        ChatBackend(config(endpoint)), results.append, notices.append, backoff_s=0.05
    )
    for n in (1, 2):
        translator.submit(Job(n, "第一行", 0.0, 1.0))
        assert translator.wait_idle(10)
    translator.close()
    assert not results and translator.stats.failed == 2
    assert len(notices) == 1 and "cannot be reached" in notices[0]


@pytest.mark.model
def test_through_the_live_pipeline_every_final_comes_while_the_endpoint_fails_and_heals(
    tmp_path,
):
    from captioner.asr.config import RecognitionConfig
    from captioner.cli.live import run_live
    from captioner.control.channels import file_channel
    from tests.support.data import write_wav, zh_stream

    audio, _ = zh_stream([61, 72, 4])
    wav = write_wav(tmp_path / "three.wav", audio)
    script = ChatScript(["500", "malformed", "close", "429"], retry_after="1")
    notices: list[str] = []
    with chat_server(script) as server:
        result = run_live(
            RecognitionConfig(device="cpu"),
            [file_channel(wav)],
            translation=config(server.endpoint, timeout_s=5.0),
            on_notice=notices.append,
        )
    finals = [e for e in result.events if e.type == "final"]
    translations = [e for e in result.events if e.type == "translation"]
    assert len(finals) == 3 and not result.errors
    assert [e.final for e in finals] == [1, 2, 3]
    # Told once per kind of failure, in the order they happened.
    assert len(notices) == 4, notices
    for notice, told in zip(
        notices,
        ["server error", "not a translation", "cannot be reached", "slow down"],
        strict=True,
    ):
        assert told in notice
    # Once healed, lines are translated again (the newest first), each after its final.
    assert 3 in {t.final for t in translations}
    for translation in translations:
        final = finals[translation.final - 1]
        assert translation.text == f"EN: {final.text}" and translation.lang == "en"
        assert (translation.start, translation.end) == (final.start, final.end)
        assert result.events.index(translation) > result.events.index(final)
    # The third line's request heard the lines before it, and the vocabulary's terms.
    system, user = next(
        r["messages"]
        for r in script.requests
        if r["messages"][1]["content"].endswith(finals[2].text)
    )
    assert finals[0].text in user["content"] and finals[1].text in user["content"]
    assert "曼萨尼约" in system["content"]


@pytest.mark.model
def test_the_command_line_tells_a_dead_endpoint_once_and_captions_go_on(tmp_path):
    from tests.support.cli import assert_no_traceback, captioner
    from tests.support.data import write_wav, zh_stream

    audio, _ = zh_stream([61, 72])
    wav = write_wav(tmp_path / "two.wav", audio)
    with chat_server() as server:
        endpoint = server.endpoint  # closed again: nothing listens there now
    result = captioner(
        "transcribe", str(wav), "--live", "--translate", "zh",
        "--translate-endpoint", endpoint, "--translate-model", "qwen2.5",
        env={"CAPTIONER_TRANSLATE_KEY": "sk-never-shown"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert len(result.stdout.splitlines()) == 2  # both lines captioned, no translation
    told = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(told) == 1 and "cannot be reached" in told[0]
    assert "sk-never-shown" not in result.stderr + result.stdout


def test_the_settings_become_the_translation_config_with_the_key_and_the_terms():
    from captioner.control.config import translation_config
    from captioner.settings import Settings

    settings = Settings()
    assert translation_config(settings, "sk-1") is None  # off by default
    settings.translation.enabled = True
    built_in = translation_config(settings, "sk-1")
    assert built_in is not None and built_in.backend == "whisper" and built_in.key is None
    settings.translation.backend = "chat"
    settings.translation.model = "qwen2.5"
    settings.translation.target = "ja"
    settings.recognition.vocabulary = ["曼萨尼约", "打魔院 => 达摩院"]
    chat = translation_config(settings, "sk-1")
    assert chat is not None and chat.key == "sk-1" and chat.target == "ja"
    assert chat.endpoint == "http://localhost:11434/v1" and chat.terms == ("曼萨尼约", "达摩院")
    chat.validate()
