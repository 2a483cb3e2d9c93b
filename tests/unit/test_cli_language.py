"""The terminal in the system's language: argparse's own words ("usage:",
"options", its errors) and the errors written below Qt, Chinese with a Chinese locale,
English with the C locale."""

from __future__ import annotations

import argparse
import ast
import inspect

import pytest

from captioner.cli.parser import ARGPARSE_WORDS
from tests.support.cli import captioner


def argparse_msgids() -> set[str]:
    """The texts this Python's argparse looks up through gettext (``_()``, ``ngettext()``)."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        called = node.func if isinstance(node, ast.Call) else None
        if isinstance(called, ast.Name) and called.id in ("_", "ngettext"):
            arguments = node.args  # type: ignore[attr-defined]
            found |= {a.value for a in arguments if isinstance(a, ast.Constant)}
    return found


def test_the_marked_words_are_this_pythons_argparse_msgids():
    unknown = set(ARGPARSE_WORDS) - argparse_msgids()
    assert unknown == set(), "argparse no longer says these; mark what it says now"
    for user_facing in ("usage: ", "options", "the following arguments are required: %s"):
        assert user_facing in ARGPARSE_WORDS


def _locale(name: str) -> dict[str, str]:
    return {"LANG": name, "LC_ALL": name, "LANGUAGE": ""}


def test_help_in_chinese_has_no_english_argparse_words():
    result = captioner("--help", env=_locale("zh_CN.UTF-8"), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：captioner")
    for said in ("位置参数", "选项", "显示此帮助信息并退出", "显示程序的版本号并退出"):
        assert said in result.stdout
    for english in ("usage:", "options:", "positional arguments", "show this help message"):
        assert english not in result.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["transcribe"], "captioner transcribe：错误：缺少以下必需的参数：file"),
        (["transcribe", "a.wav", "--model"], "错误：参数 --model：需要一个值"),
        (["transcribe", "a.wav", "--chunk-ms", "7"], "无效的选择：7（可选：600, 480）"),
        (["devices", "--no-such-option"], "错误：无法识别的参数：--no-such-option"),
    ],
)
def test_argparse_errors_in_chinese(args, said):
    result = captioner(*args, env=_locale("zh_CN.UTF-8"), timeout=60)
    assert result.returncode == 2
    assert said in result.stderr
    assert result.stderr.startswith("用法：") and "usage:" not in result.stderr


def test_argparse_stays_english_in_the_c_locale():
    help_text = captioner("--help", env=_locale("C.UTF-8"), timeout=60).stdout
    assert help_text.startswith("usage: captioner")
    assert "positional arguments:" in help_text and "options:" in help_text
    assert "show this help message and exit" in help_text and "用法" not in help_text
    error = captioner("transcribe", env=_locale("C.UTF-8"), timeout=60).stderr
    assert "error: the following arguments are required: file" in error


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("zh_CN.UTF-8", "错误：找不到音频文件：{path}"),
        ("C.UTF-8", "error: Audio file not found: {path}"),
    ],
)
def test_an_error_below_qt_reaches_the_terminal_in_the_systems_language(tmp_path, locale, said):
    missing = tmp_path / "missing.wav"
    result = captioner("transcribe", str(missing), env=_locale(locale), timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == said.format(path=missing)
