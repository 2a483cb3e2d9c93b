"""Where the CUDA libraries installed from PyPI (cuBLAS, cuDNN) are, for CTranslate2."""

from __future__ import annotations

import os
import sys

from captioner.frozen import cuda_library_roots, is_frozen


def nvidia_library_dirs(site_dirs: list[str]) -> list[str]:
    """Folders holding CUDA libraries installed from PyPI (``pip install nvidia-cublas-cu12
    nvidia-cudnn-cu12``): ``site-packages/nvidia/<library>/bin`` (Windows) or ``/lib``."""
    found = []
    for site in site_dirs:
        root = os.path.join(site, "nvidia")
        if not os.path.isdir(root):
            continue
        for library in sorted(os.listdir(root)):
            for sub in ("bin", "lib"):
                folder = os.path.join(root, library, sub)
                if os.path.isdir(folder):
                    found.append(folder)
    return found


def cuda_library_dirs() -> list[str]:
    """Folders of pip-installed cuBLAS/cuDNN: the installed app's own copies (the GPU
    variant bundles the wheels' folders), or site-packages (a pip install)."""
    if is_frozen():
        # A bundle has no site-packages of its own; another Python's would be the wrong ones.
        return nvidia_library_dirs(cuda_library_roots())
    import site

    return nvidia_library_dirs([*site.getsitepackages(), site.getusersitepackages()])


def use_pip_cuda_libraries() -> None:
    """Let CTranslate2 find pip-installed cuBLAS/cuDNN DLLs on Windows.

    Windows does not search site-packages (or a bundle's subfolders) for DLLs; without this,
    the advice to ``pip install nvidia-cublas-cu12`` would not help.
    """
    if sys.platform == "win32":
        for folder in cuda_library_dirs():
            os.add_dll_directory(folder)
            if folder not in os.environ.get("PATH", ""):
                os.environ["PATH"] = folder + os.pathsep + os.environ.get("PATH", "")
