"""Update and compile the interface's translations with PySide6's own tools.

    python packaging/translations.py update    # lupdate: new strings into the .ts files
    python packaging/translations.py compile   # lrelease: *.ts -> *.qm (shipped as package data)

Translate the .ts files with Qt Linguist (pyside6-linguist) or any editor: every entry needs
a finished translation, with the same {fields} as its source (tests/unit/test_translations.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "captioner" / "translations"
LANGUAGES = ("zh_CN",)


def sources() -> list[str]:
    """The code whose strings users read (as tests/unit/test_translations.py checks)."""
    files = [
        *(ROOT / "captioner" / "ui").rglob("*.py"),
        *(ROOT / "captioner" / "app").glob("*.py"),
        ROOT / "captioner" / "control" / "captioning.py",
        ROOT / "captioner" / "control" / "pipeline.py",
        ROOT / "captioner" / "control" / "global_hotkey.py",
        ROOT / "captioner" / "control" / "worker.py",
        *(ROOT / "captioner" / "cli").glob("*.py"),  # messages and --help (context "cli")
        # Below Qt: errors and notices through captioner.i18n.translate (contexts "audio",
        # "recognition", "text", "transcript", "settings", "errors", "hotkey", "server",
        # "translation").
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
    return sorted(str(f.relative_to(ROOT)) for f in files)


def tool(name: str) -> str:
    return shutil.which(f"pyside6-{name}") or str(Path(sys.executable).parent / f"pyside6-{name}")


def main(argv: list[str]) -> int:
    if argv not in (["update"], ["compile"]):
        print(__doc__, file=sys.stderr)
        return 2
    for language in LANGUAGES:
        ts = TRANSLATIONS / f"captioner_{language}.ts"
        if argv == ["update"]:
            command = [tool("lupdate"), "-no-obsolete", "-locations", "none", *sources()]
            command += ["-target-language", language, "-ts", str(ts)]
        else:
            command = [tool("lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))]
        subprocess.run(command, cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
