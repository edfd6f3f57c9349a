"""Best-effort check that an Environment's packages are importable here.

Scripts run under the current interpreter (no image is built); when the
environment lists pip/conda packages that are not importable, warn once per
package set, naming them, so a later ImportError is not a surprise.
"""
from __future__ import annotations

import importlib.util
import logging
import re
from typing import Any

module_logger = logging.getLogger("azureml_local.engine")
_IMPORT_NAMES = {"scikit-learn": "sklearn", "sklearn": "sklearn", "pillow": "PIL", "opencv-python": "cv2",
                 "opencv-python-headless": "cv2", "pyyaml": "yaml", "tensorflow-gpu": "tensorflow",
                 "python-dateutil": "dateutil", "beautifulsoup4": "bs4", "pytorch": "torch",
                 "scikit-image": "skimage", "msrest": "msrest", "protobuf": "google.protobuf"}
_SKIP = ("python", "pip", "setuptools", "wheel", "conda", "nomkl", "mkl", "libgcc", "cudatoolkit")
_warned: set[tuple[str, ...]] = set()


def _import_name(package: str) -> str | None:
    name = re.split(r"[<>=!~\[;@ ]", package.strip(), maxsplit=1)[0].strip().lower()
    if not name or name.startswith(("azureml", "azure-", "-", "git+", "http")) or name in _SKIP:
        return None
    return _IMPORT_NAMES.get(name, name.replace("-", "_"))


def missing_packages(environment: Any) -> list[str]:
    """Packages named by ``environment`` whose module cannot be imported by this interpreter."""
    python = getattr(environment, "python", None)
    if python is None or getattr(python, "user_managed_dependencies", False):
        return []
    deps = getattr(python, "conda_dependencies", None)
    if deps is None:
        return []
    packages = list(getattr(deps, "pip_packages", []) or []) + list(getattr(deps, "conda_packages", []) or [])
    missing = []
    for package in packages:
        module = _import_name(str(package))
        try:
            found = module is None or importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(str(package))
    return missing


def missing_packages_warning(environment: Any) -> str | None:
    """A warning text (logged once per package set) or None when everything is importable."""
    try:
        missing = missing_packages(environment)
    except Exception:  # noqa: BLE001 - a check must never block a submit
        return None
    if not missing:
        return None
    message = (f"Environment '{getattr(environment, 'name', None)}' lists packages not importable by this "
               f"interpreter: {', '.join(missing)}. Scripts run under the current Python; install them "
               "(pip install ...) if the script needs them.")
    key = tuple(sorted(missing))
    if key not in _warned:
        _warned.add(key)
        module_logger.warning(message)
    return message
