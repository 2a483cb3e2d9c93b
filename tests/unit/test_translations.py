"""The interface is translatable (Qt's tr()/translate(), .ts sources, compiled .qm), and the
Simplified Chinese translation is complete (issue 14).

A user-visible string handed to Qt as a plain literal (or an f-string, which no translation
can match) fails here; so does a .ts entry left unfinished, a source string the .ts does not
have yet (lupdate would add it), and a .qm older than its .ts.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "captioner" / "translations"
LANGUAGES = ["zh_CN"]

# The Qt code whose strings users read: windows, menus, notifications, caption-bar messages.
QT_SOURCES = sorted(
    [
        *(ROOT / "captioner" / "ui").glob("*.py"),
        *(ROOT / "captioner" / "app").glob("*.py"),
        ROOT / "captioner" / "control" / "captioning.py",
        ROOT / "captioner" / "control" / "global_hotkey.py",
    ]
)
# Calls whose string arguments are shown to the user.
VISIBLE = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setAccessibleName",
    "addRow", "addTab", "addAction", "addMenu", "addButton", "setSuffix", "showMessage",
    "setSpecialValueText", "QLabel", "QPushButton", "QCheckBox", "QAction", "QFileDialog",
    "QMessageBox", "Problem", "set_hint", "show_message", "_action", "getExistingDirectory",
}  # fmt: skip
# Not words: the product's name, key names, file patterns.
UNTRANSLATED = {"Captioner", "Space", "R", "L", "Ctrl+,", "⟲", "…", "English"}


def _literal_problem(node: ast.AST) -> str | None:
    if isinstance(node, ast.JoinedStr):
        return "an f-string (translate a template, then .format())"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip()
        if text and text not in UNTRANSLATED and re.search(r"[A-Za-z]{2}", text):
            return f"the literal {node.value!r}"
    if isinstance(node, ast.IfExp):
        return _literal_problem(node.body) or _literal_problem(node.orelse)
    if isinstance(node, ast.BinOp):
        return _literal_problem(node.left) or _literal_problem(node.right)
    if isinstance(node, ast.BoolOp):
        return next(filter(None, map(_literal_problem, node.values)), None)
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def untranslated(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        arguments = [*node.args, *(k.value for k in node.keywords)]
        if name == "_combo" and node.args and isinstance(node.args[0], ast.List):
            arguments = [e.elts[0] for e in node.args[0].elts if isinstance(e, ast.Tuple)]
        elif name == "Problem":
            arguments = node.args[:1]  # the text; the severity is a code
        elif name not in VISIBLE:
            continue
        for argument in arguments:
            problem = _literal_problem(argument)
            if problem:
                found.append(f"{path.relative_to(ROOT)}:{argument.lineno}: {name}() gets {problem}")
    return found


CLI_SOURCES = sorted(p for p in (ROOT / "captioner" / "cli").glob("*.py"))
TRANSLATED_SOURCES = [*QT_SOURCES, *CLI_SOURCES]


def untranslated_cli(path: Path) -> list[str]:
    """The command line's messages and --help: print(), CaptionerError(), help=, groups."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        keywords = {k.arg: k.value for k in node.keywords}
        if name in ("print", "CaptionerError", "OutputError"):
            arguments = node.args[:1]
        elif name == "add_argument_group":
            arguments = list(node.args)
        elif name in ("add_argument", "add_parser", "ArgumentParser"):
            arguments = [keywords[k] for k in ("help", "description") if k in keywords]
        else:
            continue
        for argument in arguments:
            problem = _literal_problem(argument)
            if problem:
                found.append(f"{path.relative_to(ROOT)}:{argument.lineno}: {name}() gets {problem}")
    return found


def test_every_user_visible_string_goes_through_tr():
    found = [line for path in QT_SOURCES for line in untranslated(path)]
    found += [line for path in CLI_SOURCES for line in untranslated_cli(path)]
    assert found == [], "\n".join(found)


def test_the_checker_sees_an_untranslated_string(tmp_path):
    sample = ROOT / "captioner" / "ui" / "_sample_for_test.py"
    try:
        sample.write_text('label.setText("Start listening")\nQLabel(f"{n} left")\n')
        assert len(untranslated(sample)) == 2
        sample.write_text('label.setText(self.tr("Start listening"))\n')
        assert untranslated(sample) == []
        sample.write_text('print(f"error: {exc}")\np.add_argument("--x", help="an option")\n')
        assert len(untranslated_cli(sample)) == 2
    finally:
        sample.unlink()


def ts_messages(path: Path) -> list[ET.Element]:
    return list(ET.parse(path).getroot().iter("message"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_is_finished(language):
    ts = TRANSLATIONS / f"captioner_{language}.ts"
    unfinished = []
    for message in ts_messages(ts):
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        if kind == "obsolete" or kind == "vanished":
            unfinished.append(f"no longer in the code: {message.findtext('source')!r}")
        elif kind == "unfinished" or not (translation.text or "").strip():
            unfinished.append(f"unfinished: {message.findtext('source')!r}")
        else:
            source = message.findtext("source") or ""
            fields = set(re.findall(r"\{\w*\}", source))
            assert fields == set(re.findall(r"\{\w*\}", translation.text or "")), source
    assert unfinished == [], "\n".join(unfinished)


def lupdate() -> str:
    return shutil.which("pyside6-lupdate") or str(Path(sys.executable).parent / "pyside6-lupdate")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ts_file_has_every_string_of_the_code(tmp_path, language):
    committed = TRANSLATIONS / f"captioner_{language}.ts"
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    sources = [str(p.relative_to(ROOT)) for p in TRANSLATED_SOURCES]
    result = subprocess.run(
        [lupdate(), *sources, "-ts", str(fresh)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    before = {(m.findtext("source"), m.findtext("comment")) for m in ts_messages(committed)}
    after = {(m.findtext("source"), m.findtext("comment")) for m in ts_messages(fresh)}
    assert after - before == set(), "run packaging/translations.py update"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_qm_is_compiled_from_the_ts(language):
    from PySide6.QtCore import QTranslator

    ts = TRANSLATIONS / f"captioner_{language}.ts"
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / f"captioner_{language}.qm"))
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            expected = message.findtext("translation") or ""
            assert translator.translate(name, source) == expected, (name, source)
