"""The installed app (a PyInstaller bundle): where its own files are.

A pip install finds the base model, the CUDA libraries and FunASR in site-packages. The
bundle carries them beside its executables instead: the Whisper base model already joined
(no first-run assembly), cuBLAS and cuDNN in the GPU variant, and optional add-ons such as
the FunASR engine. Outside a bundle every function here answers "nothing".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Inside the bundle's data folder (sys._MEIPASS): packaging/captioner.spec puts them there.
BUNDLED_BASE_MODEL = Path("models") / "whisper-base"
# In the data folder: which installer this bundle is from (packaging/build.py writes it).
BUNDLE_INFO = "captioner-bundle.json"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_data_dir() -> Path | None:
    """The bundle's data folder (``_internal`` beside the executables), or None."""
    if not is_frozen():
        return None
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else Path(sys.executable).resolve().parent


def bundled_base_model() -> Path | None:
    """Where the bundle keeps the joined Whisper base model, or None outside a bundle.

    Returned whether or not the files are there: a bundle whose model is missing or
    damaged must say so (models.check_bundled_base), not fall back to a download."""
    data = bundle_data_dir()
    return data / BUNDLED_BASE_MODEL if data is not None else None


def bundle_variant() -> str | None:
    """ "cpu" or "gpu": which variant of the installed app this is; None outside a bundle
    (or a bundle that does not say)."""
    data = bundle_data_dir()
    if data is None:
        return None
    try:
        variant = json.loads((data / BUNDLE_INFO).read_text(encoding="utf-8"))["variant"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return variant if variant in ("cpu", "gpu") else None


def cuda_library_roots() -> list[str]:
    """Folders that hold ``nvidia/<library>/bin`` in the bundle (the GPU variant's cuBLAS
    and cuDNN, laid out as the pip wheels lay them out), or [] outside a bundle."""
    data = bundle_data_dir()
    return [str(data)] if data is not None else []


def install_dir() -> Path | None:
    """The folder of the installed app's executables, or None outside a bundle."""
    return Path(sys.executable).resolve().parent if is_frozen() else None
