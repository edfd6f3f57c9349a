"""Compute target records in the workspace database, and the helper the pipeline engine calls.

* :func:`max_concurrency` - how many steps may run at once on a target.

Records only: building ComputeTarget objects from a name is :mod:`.resolve`.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Any

from azureml_local.exceptions import ComputeTargetException
from azureml_local.store.registries.computes import ComputeTypeConflict

AUTO_CREATE_ENV = "AZUREML_LOCAL_AUTO_CREATE_COMPUTE"
LOCAL = "local"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def compute_id(workspace: Any, name: str) -> str:
    return f"{workspace._arm_id}/computes/{name}"


def new_payload(workspace: Any, name: str, compute_type: str, attached: bool, specific: dict[str, Any],
                tags: dict | None = None, description: str | None = None,
                location: str | None = None) -> dict[str, Any]:
    """An ARM-shaped compute record (what the SDK gets back from the service)."""
    now = _now()
    return {
        "id": compute_id(workspace, name), "name": name, "location": location or workspace.location,
        "tags": tags, "properties": {
            "computeType": compute_type, "isAttachedCompute": attached, "description": description,
            "resourceId": specific.get("resourceId") if attached else None,
            "computeLocation": location or workspace.location, "provisioningState": "Succeeded",
            "provisioningErrors": None, "createdOn": now, "modifiedOn": now, "properties": specific,
        },
    }


def _local_payload(workspace: Any) -> dict[str, Any]:
    payload = new_payload(workspace, LOCAL, "local", False, {"maxConcurrency": os.cpu_count() or 1})
    payload["properties"]["description"] = "This machine (steps run as local processes)."
    return payload


def get_payload(workspace: Any, name: str) -> dict[str, Any] | None:
    if name == LOCAL:
        return _local_payload(workspace)
    return workspace._context.registries.computes.get(name)


def put_payload(workspace: Any, payload: dict[str, Any]) -> None:
    """Insert or update a record; a name already used by another compute type is refused."""
    payload["properties"]["modifiedOn"] = _now()
    try:
        workspace._context.registries.computes.put(payload)
    except ComputeTypeConflict as conflict:
        name, other_type = conflict.args
        raise ComputeTargetException(
            "Compute name '{}' is already used by a compute target of type {}. Choose another name or delete "
            "it first with ComputeTarget(ws, '{}').delete().".format(name, other_type, name)) from None


def delete_payload(workspace: Any, name: str) -> bool:
    if name == LOCAL:
        raise ComputeTargetException("The 'local' compute target is this machine and cannot be deleted.")
    return workspace._context.registries.computes.delete(name)


def list_payloads(workspace: Any) -> list[dict[str, Any]]:
    return workspace._context.registries.computes.list()


# -- helpers for the engines ------------------------------------------------------------------
def max_concurrency(workspace: Any, compute_name: str | None) -> int:
    """Steps that may run at once on ``compute_name``: AmlCompute ``max_nodes``, else the CPU count."""
    cpus = os.cpu_count() or 1
    if not compute_name or compute_name == LOCAL:
        return cpus
    payload = get_payload(workspace, compute_name)
    if payload is None or payload["properties"]["computeType"] != "AmlCompute":
        return cpus
    scale = (payload["properties"].get("properties") or {}).get("scaleSettings") or {}
    max_nodes = scale.get("maxNodeCount")
    return max(1, int(max_nodes)) if max_nodes else cpus
