"""Lazy binding of the SDK's import paths to azureml_local classes.

Every module under ``azureml/`` is two lines that call :func:`bind`. Names are
imported on first attribute access (PEP 562), so ``import azureml.core`` stays
light: pandas, azure-storage-blob and the engine load only when used.
"""
from __future__ import annotations

import importlib
import os
import sys
from typing import Any, Callable

from azureml_local.facade import SURFACE

_checked_real_sdk = False


def _refuse_mixed_install() -> None:
    """Fail loudly when the real azureml-core shares this environment.

    Both distributions ship files under ``azureml/``; silently mixing them gives
    half-local, half-cloud behaviour. ``AZUREML_LOCAL_IGNORE_REAL_SDK=1`` opts out.
    """
    global _checked_real_sdk
    if _checked_real_sdk:
        return
    _checked_real_sdk = True
    if os.environ.get("AZUREML_LOCAL_IGNORE_REAL_SDK") == "1":
        return
    azureml_pkg = sys.modules.get("azureml")
    for entry in getattr(azureml_pkg, "__path__", []):
        marker = os.path.join(entry, "_restclient", "__init__.py")
        if os.path.exists(marker):
            raise ImportError(
                "azureml-local and the real Azure ML SDK (azureml-core) are installed in the same "
                f"environment (found {os.path.dirname(marker)}). Their files overlap under 'azureml/'. "
                "Install azureml-local in its own virtual environment (python -m venv .venv && "
                ".venv/bin/pip install azureml-local), or `pip uninstall azureml-core`. "
                "Set AZUREML_LOCAL_IGNORE_REAL_SDK=1 to use azureml-local anyway."
            )


def bind(module_name: str) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``(__all__, __getattr__, __dir__)`` for the facade module ``module_name``."""
    _refuse_mixed_install()
    names = SURFACE.get(module_name, {})
    module = sys.modules[module_name]

    def __getattr__(name: str) -> Any:
        target = names.get(name)
        if target is None:
            # Allow ``azureml.core.run`` style access to a facade submodule.
            submodule = f"{module_name}.{name}"
            if submodule in SURFACE:
                return importlib.import_module(submodule)
            raise AttributeError(f"module '{module_name}' has no attribute '{name}'")
        value = resolve(target)
        setattr(module, name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(names) | set(vars(module)))

    return sorted(names), __getattr__, __dir__


def resolve(target: str) -> Any:
    """Import ``"package.module:Name"`` (``Name`` may be dotted, e.g. ``Dataset.File``)."""
    module_path, _, attr = target.partition(":")
    value: Any = importlib.import_module(module_path)
    for part in attr.split(".") if attr else []:
        value = getattr(value, part)
    return value
