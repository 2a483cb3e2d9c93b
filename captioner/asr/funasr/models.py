"""Finding FunASR models: a local folder, or a name downloaded from ModelScope / Hugging Face.

Downloads report progress through the same :class:`DownloadProgress` callback as Whisper
models and are reused offline afterwards. Without a network, the error names the model, the
hubs tried, and how to install the model by hand.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from captioner.asr.config import Hub
from captioner.asr.downloads import (
    DownloadCancelled,
    DownloadProgress,
    ProgressCallback,
    cache_root,
    looks_like_path,
    progress_tqdm_class,
    short_reason,
)
from captioner.errors import ModelError
from captioner.i18n import translate


@dataclass(frozen=True)
class HubModel:
    modelscope: str
    huggingface: str | None
    size: str  # download size, for messages


# The names FunASR itself uses (funasr/download/name_maps_from_hub.py), plus SenseVoiceSmall.
FUNASR_MODELS = {
    "paraformer-zh-streaming": HubModel(
        "iic/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-online",
        "funasr/paraformer-zh-streaming",
        "0.9 GB",
    ),
    "paraformer-zh": HubModel(
        "iic/speech_seaco_paraformer_large_asr_nat-zh-cn-16k-common-vocab8404-pytorch",
        "funasr/paraformer-zh",
        "0.9 GB",
    ),
    "sensevoice": HubModel("iic/SenseVoiceSmall", "FunAudioLLM/SenseVoiceSmall", "0.9 GB"),
    "fsmn-vad": HubModel("iic/speech_fsmn_vad_zh-cn-16k-common-pytorch", "funasr/fsmn-vad", "2 MB"),
    "ct-punc": HubModel(
        "iic/punc_ct-transformer_cn-en-common-vocab471067-large", "funasr/ct-punc", "1.1 GB"
    ),
    "ct-punc-c": HubModel(
        "iic/punc_ct-transformer_zh-cn-common-vocab272727-pytorch", None, "0.3 GB"
    ),
}
ALIASES = {"sensevoicesmall": "sensevoice", "sense-voice": "sensevoice"}


def funasr_cache() -> Path:
    return cache_root() / "funasr"


def is_funasr_model_dir(path: Path) -> bool:
    """FunASR's layout: config.yaml (architecture, front end) and model.pt (weights)."""
    return (path / "config.yaml").is_file() and (path / "model.pt").is_file()


def find_local_funasr_model(
    spec: str, hub: Hub = "auto", cache_dir: Path | None = None
) -> Path | None:
    """The model's folder if it is on this computer (no download), else None."""
    path = Path(spec).expanduser()
    if path.is_dir():
        return path if is_funasr_model_dir(path) else None
    model = FUNASR_MODELS.get(ALIASES.get(spec.lower(), spec))
    if model is None:
        return None
    for source, repo in _sources(model, hub):
        found = _cached(source, repo, cache_dir or funasr_cache())
        if found is not None:
            return found
    return None


def resolve_funasr_model(
    spec: str,
    hub: Hub = "auto",
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The folder of the FunASR model ``spec`` names: a folder, or a name to download."""
    cache_dir = cache_dir or funasr_cache()
    path = Path(spec).expanduser()
    if path.is_dir():
        if not is_funasr_model_dir(path):
            raise ModelError(
                translate(
                    "recognition",
                    "'{path}' is not a FunASR model folder (it needs config.yaml and model.pt).",
                ).format(path=path)
            )
        return path
    name = ALIASES.get(spec.lower(), spec)
    model = FUNASR_MODELS.get(name)
    if model is None:
        if looks_like_path(spec):
            raise ModelError(
                translate("recognition", "Model folder not found: {spec}").format(spec=spec)
            )
        names = ", ".join(FUNASR_MODELS)
        raise ModelError(
            translate(
                "recognition",
                "Unknown FunASR model '{spec}'. Use one of {names}, or a model folder.",
            ).format(spec=spec, names=names)
        )
    sources = _sources(model, hub)
    for source, repo in sources:  # already downloaded: no network needed
        found = _cached(source, repo, cache_dir)
        if found is not None:
            return found
    failures = []
    for source, repo in sources:
        try:
            return _download(source, repo, cache_dir, name, progress, cancel)
        except DownloadCancelled:
            raise
        except Exception as exc:
            failures.append(
                translate("recognition", "{hub} ({repo}): {reason}").format(
                    hub=_HUB_NAMES[source], repo=repo, reason=short_reason(exc)
                )
            )
    raise ModelError(
        translate(
            "recognition",
            "Could not download the FunASR model '{name}' ({size}) from {failures}. Check the "
            "internet connection. Without one, download the model folder on another computer "
            "(for example from {url}) and pass the folder instead of the name.",
        ).format(
            name=name,
            size=model.size,
            failures="; ".join(failures),
            url=f"https://modelscope.cn/models/{model.modelscope}",
        )
    )


_HUB_NAMES = {"modelscope": "ModelScope", "huggingface": "Hugging Face"}


def _sources(model: HubModel, hub: Hub) -> list[tuple[str, str]]:
    sources = [("modelscope", model.modelscope)]
    if model.huggingface is not None:
        sources.append(("huggingface", model.huggingface))
    if hub == "auto":
        return sources
    chosen = [s for s in sources if s[0] == hub]
    if not chosen:
        raise ModelError(
            translate("recognition", "This FunASR model is not published on {hub}.").format(
                hub=_HUB_NAMES[hub]
            )
        )
    return chosen


def _cached(source: str, repo: str, cache_dir: Path) -> Path | None:
    try:
        if source == "modelscope":
            path = _modelscope_download(repo, cache_dir, local_files_only=True)
        else:
            path = _huggingface_download(repo, cache_dir, local_files_only=True)
    except Exception:  # not downloaded yet (each hub has its own error types)
        return None
    return path if is_funasr_model_dir(path) else None


def _download(
    source: str,
    repo: str,
    cache_dir: Path,
    name: str,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> Path:
    if source == "modelscope":
        path = _modelscope_download(repo, cache_dir, progress=progress, cancel=cancel, name=name)
    else:
        path = _huggingface_download(repo, cache_dir, progress=progress, cancel=cancel)
    if not is_funasr_model_dir(path):
        raise ModelError(
            translate(
                "recognition", "the download of {repo} is incomplete (no config.yaml/model.pt)"
            ).format(repo=repo)
        )
    return path


def _huggingface_download(
    repo: str,
    cache_dir: Path,
    local_files_only: bool = False,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    import huggingface_hub

    kwargs: dict[str, Any] = {"cache_dir": str(cache_dir / "huggingface")}
    if local_files_only:
        kwargs["local_files_only"] = True
    else:
        kwargs["tqdm_class"] = progress_tqdm_class(progress, cancel)
    return Path(huggingface_hub.snapshot_download(repo, **kwargs))


def _modelscope_download(
    repo: str,
    cache_dir: Path,
    local_files_only: bool = False,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    name: str = "",
) -> Path:
    from modelscope.hub.snapshot_download import snapshot_download

    kwargs: dict[str, Any] = {"cache_dir": str(cache_dir / "modelscope")}
    if local_files_only:
        kwargs["local_files_only"] = True
    elif progress is not None or cancel is not None:
        kwargs["progress_callbacks"] = [modelscope_progress(progress, cancel, name)]
    return Path(snapshot_download(repo, **kwargs))


def modelscope_progress(
    progress: ProgressCallback | None, cancel: threading.Event | None, name: str
) -> type:
    """A ModelScope per-file progress callback forwarding to ``progress`` (all files summed)."""
    from modelscope.hub.callback import ProgressCallback as ModelScopeCallback

    started = time.monotonic()
    totals = {"done": 0, "total": 0}

    class _Progress(ModelScopeCallback):
        def __init__(self, filename: str, file_size: int) -> None:
            super().__init__(filename, file_size)
            totals["total"] += int(file_size or 0)

        def update(self, size: int) -> None:
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled()
            totals["done"] += int(size)
            if progress is not None:
                elapsed = max(time.monotonic() - started, 1e-6)
                progress(
                    DownloadProgress(
                        done_bytes=totals["done"],
                        total_bytes=totals["total"] or None,
                        bytes_per_second=totals["done"] / elapsed,
                        description=f"{name}: {self.filename}",
                    )
                )

    return _Progress
