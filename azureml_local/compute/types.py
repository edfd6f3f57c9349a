"""Stored compute record -> the ComputeTarget subclass that represents it.

Imports every module that defines a concrete subclass, so ``ComputeTarget.__subclasses__()`` is
complete; ``ComputeTarget`` (which those modules subclass) reaches this module through one deferred
import in :func:`azureml_local.compute.compute_target.class_for_payload`.
"""
from __future__ import annotations

from typing import Any

from azureml_local.compute import amlcompute, attached, instance, kubernetes, services  # noqa: F401 - subclasses
from azureml_local.compute.compute_target import ComputeTarget


def all_types() -> list[type]:
    """Every concrete ComputeTarget subclass."""
    found: list[type] = []
    stack = list(ComputeTarget.__subclasses__())
    while stack:
        cls = stack.pop(0)
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return found


def class_for_payload(payload: dict[str, Any]) -> type:
    """The ComputeTarget subclass for a stored payload."""
    compute_type = payload["properties"]["computeType"]
    is_attached = payload["properties"].get("isAttachedCompute", False)
    candidates = [c for c in all_types() if c._compute_type == compute_type]
    if len(candidates) > 1:  # VirtualMachine: RemoteCompute (attached) vs DsvmCompute (created)
        candidates = [c for c in candidates if c._attached == bool(is_attached)] or candidates
    return candidates[0] if candidates else ComputeTarget
