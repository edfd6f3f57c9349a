"""Name or object -> the ComputeTarget a run or step names (the SDK's error for unknown names).

``AZUREML_LOCAL_AUTO_CREATE_COMPUTE=1`` (default off) instead creates a missing target as an
AmlCompute with ``max_nodes = os.cpu_count()``, for scripts that assume a cluster was created
elsewhere (e.g. in the portal). Above the records (:mod:`.registry`) and the classes it builds.
"""
from __future__ import annotations

import os
from typing import Any

from azureml_local.compute.amlcompute import AmlCompute
from azureml_local.compute.compute_target import ComputeTarget
from azureml_local.compute.registry import AUTO_CREATE_ENV, LOCAL
from azureml_local.exceptions import ComputeTargetException

__all__ = ["AUTO_CREATE_ENV", "resolve_compute"]


def resolve_compute(workspace: Any, name_or_target: Any, auto_create: bool | None = None) -> ComputeTarget:
    """The ComputeTarget a run/step names (``None`` or ``'local'`` -> this machine).

    Unknown names raise the SDK's ``ComputeTargetException`` unless auto-create is on
    (``auto_create=True``, or ``AZUREML_LOCAL_AUTO_CREATE_COMPUTE=1`` when ``auto_create`` is None).
    """
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
    cpus = os.cpu_count() or 1
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=cpus)
    target = ComputeTarget.create(workspace, name, config)
    target._operation_endpoint = None
    target.refresh_state()
    print("azureml-local: compute target '{}' did not exist; created it as a local AmlCompute with max_nodes={} "
          "({}=1).".format(name, cpus, AUTO_CREATE_ENV))
    return target
