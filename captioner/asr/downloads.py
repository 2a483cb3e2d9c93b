"""What downloading a model from a hub involves, for either engine: progress, cancelling,
the cache folder, and a one-line reason when it fails."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from tqdm.auto import tqdm

from captioner.errors import ModelError
from captioner.i18n import translate

if TYPE_CHECKING:  # tqdm is generic only in its type stubs
    from typing import TypeAlias

    _Tqdm: TypeAlias = tqdm[Any]
else:
    _Tqdm = tqdm


@dataclass(frozen=True)
class DownloadProgress:
    done_bytes: int
    total_bytes: int | None
    bytes_per_second: float
    description: str


ProgressCallback = Callable[[DownloadProgress], None]


class DownloadCancelled(ModelError):
    def __init__(self) -> None:
        super().__init__(translate("recognition", "The model download was cancelled."))


def cache_root() -> Path:
    return Path(platformdirs.user_cache_dir("Captioner", appauthor=False)) / "models"


def looks_like_path(spec: str) -> bool:
    return spec.startswith((".", "/", "~")) or "\\" in spec or ":" in spec or spec.count("/") > 1


def short_reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    reason = text[0] if text else type(exc).__name__
    if "Name or service not known" in str(exc) or "getaddrinfo" in str(exc):
        return translate(
            "recognition", "no network connection (the server name could not be resolved)"
        )
    return reason


def progress_tqdm_class(progress: ProgressCallback | None, cancel: threading.Event | None) -> type:
    """A silent tqdm that forwards byte counts to ``progress`` and honours ``cancel``."""
    started = time.monotonic()

    class _Progress(_Tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.pop("name", None)
            kwargs["file"] = io.StringIO()
            kwargs["disable"] = False
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled()
            shown: bool | None = super().update(n)
            if progress is not None and self.unit == "B":
                elapsed = max(time.monotonic() - started, 1e-6)
                progress(
                    DownloadProgress(
                        done_bytes=int(self.n),
                        total_bytes=int(self.total) if self.total else None,
                        bytes_per_second=self.n / elapsed,
                        description=str(self.desc or ""),
                    )
                )
            return shown

    return _Progress
