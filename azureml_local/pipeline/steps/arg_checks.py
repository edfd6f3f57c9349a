"""The SDK steps' argument checks, each with the SDK's message (``"<name> is required"``, ``"<name> must be ..."``)."""
from __future__ import annotations

from typing import Any


def required(name: str, value: Any, kind: type | tuple | None = None, article: str = "a string") -> None:
    """``"<name> is required"`` when missing; ``"<name> must be <article>"`` when not of ``kind``."""
    if value is None:
        raise ValueError(f"{name} is required")
    typed(name, value, kind, article)


def typed(name: str, value: Any, kind: type | tuple | None, article: str = "a string") -> None:
    """``"<name> must be <article>"`` when ``value`` is given and not of ``kind``."""
    if kind is not None and value is not None and not isinstance(value, kind):
        raise ValueError(f"{name} must be {article}")
