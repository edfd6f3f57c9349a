"""The SDK's printed form of its pipeline entities: ``Kind(Key: value,\\nKey: value)``.

``PublishedPipeline``, ``PipelineEndpoint`` and ``Schedule`` print themselves this way (a schedule's
prefix is ``Pipeline(`` too, as in the SDK); one function keeps the three identical.
"""
from __future__ import annotations

from typing import Any, Mapping


def entity_text(kind: str, info: Mapping[str, Any]) -> str:
    """``kind(Key: value,\\nKey: value)`` for the items of ``info``, in order."""
    return kind + "(" + ",\n".join(f"{key}: {value}" for key, value in info.items()) + ")"
