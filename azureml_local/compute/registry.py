"""Compute target records in the workspace database, and the helpers the run engines call.

* :func:`max_concurrency` - how many steps may run at once on a target.
* :func:`resolve_compute` - name/object -> ComputeTarget, with the SDK's error for
  unknown names. ``AZUREML_LOCAL_AUTO_CREATE_COMPUTE=1`` (default off) instead
  creates a missing target as an AmlCompute with ``max_nodes = os.cpu_count()``,
  for scripts that assume a cluster was created elsewhere (e.g. in the portal).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import ComputeTargetException
from azureml_local.store.registries.computes import ComputeTypeConflict

if TYPE_CHECKING:
    from azureml_local.compute.compute_target import ComputeTarget

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


def resolve_compute(workspace: Any, name_or_target: Any, auto_create: bool | None = None) -> "ComputeTarget":
    """The ComputeTarget a run/step names (``None`` or ``'local'`` -> this machine).

    Unknown names raise the SDK's ``ComputeTargetException`` unless auto-create is on
    (``auto_create=True``, or ``AZUREML_LOCAL_AUTO_CREATE_COMPUTE=1`` when ``auto_create`` is None).
    """
    from azureml_local.compute.compute_target import ComputeTarget

    if name_or_target is None:
        name = LOCAL
    elif isinstance(name_or_target, str):
        name = name_or_target
    elif isinstance(getattr(name_or_target, "name", None), str):
        name = name_or_target.name
    else:
        raise ComputeTargetException(
            "compute_target must be a compute target name or a ComputeTarget object, got {!r}.".format(name_or_target))
    if auto_create is None:
        auto_create = os.environ.get(AUTO_CREATE_ENV) == "1"
    try:
        return ComputeTarget(workspace, name)
    except ComputeTargetException:
        if not auto_create:
            raise
    from azureml_local.compute.amlcompute import AmlCompute

    cpus = os.cpu_count() or 1
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=cpus)
    target = ComputeTarget.create(workspace, name, config)
    target._operation_endpoint = None
    target.refresh_state()
    print("azureml-local: compute target '{}' did not exist; created it as a local AmlCompute with max_nodes={} "
          "({}=1).".format(name, cpus, AUTO_CREATE_ENV))
    return target
