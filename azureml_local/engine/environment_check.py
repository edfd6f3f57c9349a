"""Best-effort check that an Environment's packages are installed here (azureml_local.environment_packages).

Scripts run under the current interpreter (no image is built); when the
environment lists pip/conda packages that are not importable, warn once per
package set, naming them, so a later ImportError is not a surprise.
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.environment_packages import missing_requirements

module_logger = logging.getLogger("azureml_local.engine")
_warned: set[tuple[str, ...]] = set()


def missing_packages(environment: Any) -> list[str]:
    """Requirements (as written) ``environment`` asks for that this interpreter lacks; none when user-managed."""
    python = getattr(environment, "python", None)
    if python is None or getattr(python, "user_managed_dependencies", False):
        return []
    return [spec for _name, spec in missing_requirements(environment)]


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
