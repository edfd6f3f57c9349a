"""Which packages an Environment asks for that this interpreter does not have.

Runs use the current interpreter (no conda env or image is built), so the run
engine checks the request instead and can say which packages are missing before
a script fails with ``ImportError``.
"""
from __future__ import annotations

import re
from typing import Any

_IGNORED = {"python", "pip", "setuptools", "wheel", "conda", "pip-tools"}
# Conda package names whose Python distribution is named differently.
_CONDA_TO_DIST = {"pytorch": "torch", "py-xgboost": "xgboost", "tensorflow-gpu": "tensorflow",
                  "pytorch-cpu": "torch", "opencv": "opencv-python", "pyyaml": "PyYAML", "msgpack-python": "msgpack"}
# Conda packages that are not Python distributions (nothing to import).
_NON_PYTHON = {"cudatoolkit", "cudnn", "nccl", "mkl", "openmpi", "libgcc", "libstdcxx-ng", "gcc", "gxx",
               "nodejs", "r-base", "git", "ca-certificates", "openssl", "cmake", "make", "blas", "libblas",
               "cpuonly", "torchvision-cpu", "tk", "zlib", "xz", "sqlite", "readline", "ncurses"}


def _requirement_name(spec: str) -> str | None:
    """Distribution name of a pip/conda requirement string (None for options, paths, URLs)."""
    spec = spec.strip()
    if not spec or spec.startswith(("-", "#", ".", "/")):
        return None
    if "::" in spec:  # conda channel::package
        spec = spec.split("::", 1)[1]
    if spec.endswith(".whl"):
        return re.split("-", spec.rsplit("/", 1)[-1])[0]
    if "://" in spec:
        match = re.search(r"#egg=([A-Za-z0-9_.\-]+)", spec)
        return match.group(1) if match else None
    if " @ " in spec:
        spec = spec.split(" @ ", 1)[0]
    name = re.split(r"[\s\[=<>~!;]", spec, maxsplit=1)[0]
    return name or None


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _is_installed(distribution: str) -> bool:
    """One metadata lookup per requested name (~0.3 ms; scanning every distribution costs ~80 ms)."""
    from importlib import metadata

    try:
        metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


def missing_packages(env: Any) -> list[str]:
    """Requested pip/conda packages that are not installed for the current interpreter.

    Best effort: names are matched as normalised distribution names
    (``importlib.metadata``); ``python``/``pip`` and non-Python conda packages are
    ignored, and ``azureml-*`` distributions count as provided by azureml-local.
    """
    return [name for name, _spec in missing_requirements(env)]


def missing_requirements(env: Any) -> list[tuple[str, str]]:
    """``(distribution name, requirement as written)`` of each missing package (see :func:`missing_packages`)."""
    python = getattr(env, "python", None)
    deps = getattr(python, "conda_dependencies", None) if python is not None else None
    if deps is None:
        return []
    wanted: list[tuple[str, bool]] = [(p, False) for p in deps.conda_packages] + [(p, True) for p in deps.pip_packages]
    missing: list[tuple[str, str]] = []
    for spec, is_pip in wanted:
        name = _requirement_name(spec)
        if not name:
            continue
        key = _normalise(name)
        if key in _IGNORED or key.startswith("azureml") or (not is_pip and key in _NON_PYTHON):
            continue
        if not is_pip:
            key = _normalise(_CONDA_TO_DIST.get(key, key))
        if all(name != seen for seen, _ in missing) and not _is_installed(key):
            missing.append((name, str(spec).strip()))
    return missing
