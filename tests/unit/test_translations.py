"""The interface is translatable (Qt's tr()/translate(), .ts sources, compiled .qm), and the
Simplified Chinese translation is complete.

A user-visible string handed to Qt as a plain literal (or an f-string, which no translation
can match) fails here, as does an error or notice written below Qt (audio, recognition,
settings …) that bypasses captioner.i18n.translate; so does a .ts entry left unfinished, a
source string the .ts does not have yet (lupdate would add it), and a .qm older than its .ts.
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

from tests.support.i18n import chinese_interface

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "captioner" / "translations"
LANGUAGES = ["zh_CN"]

# The Qt code whose strings users read: windows, menus, notifications, caption-bar messages.
QT_SOURCES = sorted(
    [
        *(ROOT / "captioner" / "ui").rglob("*.py"),
        *(ROOT / "captioner" / "app").glob("*.py"),
        ROOT / "captioner" / "control" / "captioning.py",
        ROOT / "captioner" / "control" / "pipeline.py",
        ROOT / "captioner" / "control" / "global_hotkey.py",
        ROOT / "captioner" / "control" / "worker.py",
    ]
)
# Calls whose string arguments are shown to the user.
VISIBLE = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setAccessibleName",
    "addRow", "addTab", "addAction", "addMenu", "addButton", "setSuffix", "showMessage",
    "setSpecialValueText", "QLabel", "QPushButton", "QCheckBox", "QAction", "QFileDialog",
    "QMessageBox", "Problem", "set_hint", "show_message", "_action", "getExistingDirectory",
    "emit", "setDetailedText", "setInformativeText", "add_field",
}  # fmt: skip
# Not words: the product's name, key names, file patterns.
UNTRANSLATED = {"Captioner", "Space", "R", "L", "Ctrl+,", "⟲", "…", "English"}
# Where code keeps words for the user to read later: a notice, an error text, its parts
# (assigned to these names), and lists of warnings (``warnings.append(text)``).
NOTICE_NAMES = {
    "notice", "_error", "failure", "warning", "problem", "why", "what", "fix", "where",
    "instead", "reinstall", "hint",
}  # fmt: skip
NOTICE_LISTS = {"warnings", "problems", "failures", "notices"}


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
        if name == "combo" and len(node.args) > 1 and isinstance(node.args[1], ast.List):
            items = node.args[1].elts  # (label, value) pairs, then the template of a missing one
            arguments = [e.elts[0] for e in items if isinstance(e, ast.Tuple)] + node.args[2:]
        elif name == "Problem":
            arguments = node.args[:1]  # the text; the severity is a code
        elif name == "check_box":
            arguments = node.args[1:]  # the label; the first is the setting's path
        elif name == "append" and _name(getattr(node.func, "value", None)) in NOTICE_LISTS:
            pass  # store.warnings.append(...): shown with the settings' own warnings
        elif name not in VISIBLE:
            continue
        for argument in arguments:
            problem = _literal_problem(argument)
            if problem:
                found.append(f"{path.relative_to(ROOT)}:{argument.lineno}: {name}() gets {problem}")
    return found


CLI_SOURCES = sorted(p for p in (ROOT / "captioner" / "cli").glob("*.py"))
# Below Qt: errors and notices written where Qt is unknown, which the caption bar, the
# notifications and the terminal show (captioner.i18n.translate, contexts by package).
BELOW_QT_SOURCES = sorted(
    [
        ROOT / "captioner" / "errors.py",
        ROOT / "captioner" / "addons.py",
        ROOT / "captioner" / "settings.py",
        *(ROOT / "captioner" / "asr").rglob("*.py"),
        *(ROOT / "captioner" / "audio").glob("*.py"),
        *(ROOT / "captioner" / "text").glob("*.py"),
        *(ROOT / "captioner" / "transcript").glob("*.py"),
        *(ROOT / "captioner" / "translate").glob("*.py"),
        ROOT / "captioner" / "control" / "hotkey_spec.py",
        ROOT / "captioner" / "server" / "config.py",
    ]
)
TRANSLATED_SOURCES = [*QT_SOURCES, *CLI_SOURCES, *BELOW_QT_SOURCES]


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


def user_errors() -> set[str]:
    """The exceptions whose text users read: CaptionerError and every class below it (found
    in the code, so a new one is checked too), and the hotkey's (a ValueError the settings
    window and the caption bar show)."""
    bases: dict[str, set[str]] = {}
    for path in (ROOT / "captioner").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {_name(base) for base in node.bases}
    found = {"CaptionerError", "HotkeyError"}
    while more := {name for name, of in bases.items() if of & found} - found:
        found |= more
    return found


def _phrase_problem(node: ast.AST) -> str | None:
    """Like _literal_problem, for returned values, where single words are codes ("cpu",
    "system", "{id}.monitor"): only phrases (words and a space) count."""
    if isinstance(node, ast.Tuple):
        return next(filter(None, map(_phrase_problem, node.elts)), None)
    if isinstance(node, ast.JoinedStr):
        text = "{}".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, (ast.IfExp, ast.BinOp, ast.BoolOp)):
        parts = (
            [node.body, node.orelse]
            if isinstance(node, ast.IfExp)
            else [node.left, node.right]
            if isinstance(node, ast.BinOp)
            else node.values
        )
        return next(filter(None, map(_phrase_problem, parts)), None)
    else:
        return _formatted_literal(node)
    if re.search(r"[A-Za-z]{2}", text) and " " in text.strip():
        return _literal_problem(node)
    return None


def _formatted_literal(node: ast.AST) -> str | None:
    """``"text {x}".format(x=…)`` without translate()."""
    if isinstance(node, ast.Call) and _name(node.func) == "format":
        target = node.func.value if isinstance(node.func, ast.Attribute) else None
        if target is not None and _literal_problem(target):
            return "a literal formatted without translate()"
    return None


def _message_problem(node: ast.AST) -> str | None:
    return _literal_problem(node) or _formatted_literal(node)


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return [node.target]
    return []


def _returned(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    """What ``function`` itself returns (not the functions defined inside it)."""
    values, pending = [], list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            values.append(node.value)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return values


def untranslated_below_qt(path: Path, errors: set[str]) -> list[str]:
    """Words for the user in a module below Qt that bypass captioner.i18n.translate: the
    text of a user error (``ModelError(f"...")``), a notice or a part of one assigned
    (``self._error = "..."``, ``why = ...``) or appended (``warnings.append(...)``), a
    phrase returned from a function, a literal .format()-ed untranslated, and a translate()
    whose text is not a plain literal (lupdate cannot find it, no translation matches it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def report(node: ast.AST, what: str, problem: str | None) -> None:
        if problem:
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            found.append(f"{where}: {what} gets {problem}")

    def visit(node: ast.AST, in_error_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name in errors)
                continue
            if isinstance(child, ast.Call):
                name = _name(child.func)
                arguments = [*child.args, *(k.value for k in child.keywords)]
                is_super_init = (
                    name == "__init__"
                    and isinstance(child.func, ast.Attribute)
                    and isinstance(child.func.value, ast.Call)
                    and _name(child.func.value.func) == "super"
                )
                if name in errors or (in_error_class and is_super_init):
                    for argument in arguments:
                        report(argument, f"{name}()", _message_problem(argument))
                elif name == "append" and isinstance(child.func, ast.Attribute):
                    if _name(child.func.value) in NOTICE_LISTS:
                        for argument in arguments:
                            report(argument, "append()", _message_problem(argument))
                elif name == "translate":
                    literal = [isinstance(a, ast.Constant) and isinstance(a.value, str)
                               for a in child.args]  # fmt: skip
                    if literal != [True, True]:
                        report(child, "translate()", "no plain (context, text) literals")
            for target in _targets(child):
                value = getattr(child, "value", None)
                if _name(target) in NOTICE_NAMES and value is not None:
                    report(value, f"{_name(target)} =", _message_problem(value))
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                returns = ast.unparse(child.returns) if child.returns else ""
                if "str" in returns:  # str, str | None, tuple[str, str | None] …
                    for value in _returned(child):
                        report(value, f"{child.name}() returns", _phrase_problem(value))
            visit(child, in_error_class)

    visit(tree, False)
    return found


def test_every_user_visible_string_goes_through_tr():
    found = [line for path in QT_SOURCES for line in untranslated(path)]
    found += [line for path in CLI_SOURCES for line in untranslated_cli(path)]
    errors = user_errors()
    found += [line for path in BELOW_QT_SOURCES for line in untranslated_below_qt(path, errors)]
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
        sample.write_text('store.warnings.append(f"{exc} Using ctrl+shift+space.")\n')
        assert len(untranslated(sample)) == 1
        sample.write_text(
            'self.add_field("Lines", whole("overlay.lines"))\n'
            'check_box("overlay.shadow", "Drop shadow")\n'
            'combo("audio.input", [("System default", None)], "{0} (not connected)")\n'
        )
        assert len(untranslated(sample)) == 4
        sample.write_text('self.add_field("", check_box("overlay.shadow", self.tr("Shadow")))\n')
        assert untranslated(sample) == []
    finally:
        sample.unlink()


BELOW_QT_UNTRANSLATED = {
    "an error's f-string": 'raise ModelError(f"Model folder not found: {spec}")',
    "an error's literal, formatted": 'raise AudioFileError("No audio in {p}".format(p=p))',
    "a notice kept for later": "self._error = f\"The microphone '{name}' stopped.\"",
    "a part of a message": 'why = str(exc) or "the sound server could not be reached"',
    "a settings warning": "warnings.append(f\"Unknown setting '{key}' ignored.\")",
    "a returned phrase": 'def hint() -> str:\n    return "Check the cable."',
    "a returned notice": (
        'def pick() -> tuple[str, str | None]:\n    return "cpu", f"No GPU: {why}."'
    ),
    "a new error class": (
        "class Gone(ModelError):\n    def __init__(self) -> None:\n"
        '        super().__init__("The model is gone.")'
    ),
    "an error below a new one": 'raise Gone(f"{name} is gone.")\nclass Gone(OutputError): ...',
    "an f-string translated": 'translate("audio", f"{n} devices")',
}
BELOW_QT_FINE = {
    "a translated template": (
        'raise ModelError(translate("recognition", "Model folder not found: {spec}")'
        ".format(spec=spec))"
    ),
    "a code returned": 'def device() -> str:\n    return "cpu"',
    "a programming error": 'raise ValueError(f"capacity must be positive, not {n}")',
    "a file name": 'kept = path.with_name(f"{path.name}.corrupt-{stamp}")',
}


@pytest.mark.parametrize(
    ("code", "caught"),
    [
        *((code, True) for code in BELOW_QT_UNTRANSLATED.values()),
        *((code, False) for code in BELOW_QT_FINE.values()),
    ],
    ids=[*BELOW_QT_UNTRANSLATED, *BELOW_QT_FINE],
)
def test_the_checker_sees_an_untranslated_message_below_qt(code, caught):
    sample = ROOT / "captioner" / "asr" / "_sample_for_test.py"
    try:
        sample.write_text(code + "\n", encoding="utf-8")
        found = untranslated_below_qt(sample, user_errors())  # new error classes included
    finally:
        sample.unlink()
    assert len(found) == (1 if caught else 0), found


def fields(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}|%(?:\(\w+\))?[sdr]", text))


def test_lupdate_reads_the_files_this_test_checks():
    """packaging/translations.py (what `update` scans) and this test list the same files."""
    import runpy

    packaging = runpy.run_path(str(ROOT / "packaging" / "translations.py"))
    checked = {str(p.relative_to(ROOT)) for p in TRANSLATED_SOURCES}
    assert set(packaging["sources"]()) == checked


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
            # Every field kept as is: with its conversion and format ({code!r}, {rate:.0f}),
            # and argparse's printf-style ones (%s, %(prog)s), as often as in the source.
            assert fields(source) == fields(translation.text or ""), source
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


@pytest.fixture
def chinese(qapp):
    with chinese_interface():
        yield


def test_errors_and_notices_below_qt_read_in_chinese(chinese, tmp_path):
    from captioner.asr.whisper.models import resolve_whisper_model
    from captioner.errors import ModelError
    from captioner.settings import SettingsStore

    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError) as error:
        resolve_whisper_model(str(missing))
    assert str(error.value) == f"找不到模型文件夹：{missing}"

    settings = tmp_path / "settings.json"
    settings.write_text('{"overlay": {"font_size": 500, "lines": 0}}', encoding="utf-8")
    store = SettingsStore(settings)
    assert (
        store.warnings[0] == "设置“overlay.font_size”的值 500 超出 8..160 的范围；改用默认值 28。"
    )
    assert store.summary() == (
        f"2 项设置已重置为默认值；旧文件已保存为 {store.backup}（详情见日志）。"
    )


def test_errors_below_qt_are_english_without_a_translation(tmp_path):
    from captioner.asr.whisper.models import resolve_whisper_model
    from captioner.errors import ModelError

    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError) as error:
        resolve_whisper_model(str(missing))
    assert str(error.value) == f"Model folder not found: {missing}"
