"""Add-ons of the installed app (captioner/addons.py): found where Windows' "Extract All" puts
them, used only by the version they were built for, installed from their zip in one step."""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path

import pytest

from captioner.addons import (
    MARKER,
    AddonCancelled,
    AddonError,
    find_addons,
    install_addon,
)


def addon_zip(path: Path, version: str, top: str = "funasr", payload: int = 3) -> Path:
    """An add-on zip as packaging/build.py lays it out: one folder, funasr/, at the root."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{top}/{MARKER}", json.dumps({"name": "funasr", "captioner": version}))
        archive.writestr(f"{top}/funasr_pkg/__init__.py", "VALUE = 1\n")
        for n in range(payload):
            archive.writestr(f"{top}/torch/lib/part{n}.bin", b"\0" * (2 << 20))
    return path


def installed_by_hand(install: Path, *parts: str, version: str = "1.0") -> Path:
    folder = install.joinpath("addons", *parts)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(json.dumps({"name": "funasr", "captioner": version}), "utf-8")
    return folder


def test_an_addon_is_found_where_it_was_unpacked_and_one_level_deeper(tmp_path):
    plain = installed_by_hand(tmp_path / "a", "funasr")
    explorer = installed_by_hand(tmp_path / "b", "Captioner-FunASR-1.0-gpu", "funasr")
    assert [a.folder for a in find_addons(tmp_path / "a", "1.0")[0]] == [plain]
    assert [a.folder for a in find_addons(tmp_path / "b", "1.0")[0]] == [explorer]


def test_an_addon_of_another_version_is_not_used_and_the_user_is_told_why(tmp_path):
    installed_by_hand(tmp_path, "funasr", version="0.9")
    addons, problems = find_addons(tmp_path, "1.0")
    assert addons == []
    assert len(problems) == 1
    assert "for Captioner 0.9" in problems[0] and "this is Captioner 1.0" in problems[0]


def test_a_folder_without_a_marker_is_not_an_addon(tmp_path):
    (tmp_path / "addons" / "funasr" / "torch").mkdir(parents=True)  # an old, unmarked one
    addons, problems = find_addons(tmp_path, "1.0")
    assert addons == [] and "is not a Captioner add-on" in problems[0]


def test_installing_from_the_zip_puts_it_in_place_and_replaces_the_old_one(tmp_path):
    old = installed_by_hand(tmp_path, "funasr", version="0.9")
    (old / "stale.py").write_text("", "utf-8")
    seen: list[tuple[int, int]] = []
    addon = install_addon(
        addon_zip(tmp_path / "a.zip", "1.0"), tmp_path, "1.0", progress=lambda *p: seen.append(p)
    )
    assert addon.folder == tmp_path / "addons" / "funasr"
    assert (addon.folder / "funasr_pkg" / "__init__.py").is_file()
    assert not (addon.folder / "stale.py").exists()
    assert seen[-1][0] == seen[-1][1] > 6 << 20  # progress up to the whole size
    assert sorted(p.name for p in (tmp_path / "addons").iterdir()) == ["funasr"]
    assert [a.folder for a in find_addons(tmp_path, "1.0")[0]] == [addon.folder]


def test_a_zip_for_another_version_is_refused_and_changes_nothing(tmp_path):
    old = installed_by_hand(tmp_path, "funasr", version="1.0")
    with pytest.raises(AddonError, match=r"for Captioner 0\.9; this is Captioner 1\.0"):
        install_addon(addon_zip(tmp_path / "a.zip", "0.9"), tmp_path, "1.0")
    assert (old / MARKER).is_file()


def test_a_cancelled_install_leaves_the_previous_state(tmp_path):
    old = installed_by_hand(tmp_path, "funasr", version="1.0")
    cancel = threading.Event()

    def cancel_halfway(done: int, total: int) -> None:
        if done > total // 2:
            cancel.set()

    with pytest.raises(AddonCancelled):
        install_addon(
            addon_zip(tmp_path / "a.zip", "1.0", payload=4), tmp_path, "1.0",
            progress=cancel_halfway, cancel=cancel,
        )  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "addons").iterdir()) == ["funasr"]
    assert (old / MARKER).is_file() and not (old / "torch").exists()


def test_what_is_not_an_addon_zip_is_said_in_words(tmp_path):
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"not a zip")
    with pytest.raises(AddonError, match="cannot be read as a zip file"):
        install_addon(not_zip, tmp_path, "1.0")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(AddonError, match="is not a Captioner add-on"):
        install_addon(other, tmp_path, "1.0")


def test_a_zip_whose_paths_climb_out_of_the_addon_folder_is_refused(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr(f"funasr/{MARKER}", json.dumps({"name": "funasr", "captioner": "1.0"}))
        archive.writestr("funasr/../../outside.txt", "x")
    with pytest.raises(AddonError):
        install_addon(evil, tmp_path / "install", "1.0")
    assert not (tmp_path / "outside.txt").exists()
    assert not (tmp_path / "install" / "addons" / "funasr").exists()
