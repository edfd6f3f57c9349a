"""``AdlaStep``: a U-SQL script as a pipeline step, run by the local U-SQL engine (``azureml_local/usql``).

Construction and messages are the SDK's (``_AdlaStepBase``); the compute target must name an attached
``AdlaCompute`` (a local record: nothing is sent to Data Lake Analytics). The executor
(``pipeline/execution/usql_step.py``) replaces ``@@name@@`` with the step's local input/output paths and
``params`` values, translates the script to DuckDB SQL and runs it on this machine.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.graph import PipelineParameter

_log = logging.getLogger(__name__)
_RESOURCE_ID = re.compile(r"\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/"
                          r"Microsoft\.DataLakeAnalytics\/accounts\/([^/]+)", re.IGNORECASE)


class AdlaStep(PipelineStep):
    """Run a U-SQL script (``script_name`` in ``source_directory``) as a pipeline step."""

    def __init__(self, script_name: str, name: str | None = None, inputs: list | None = None,
                 outputs: list | None = None, params: dict | None = None, degree_of_parallelism: int | None = None,
                 priority: int | None = None, runtime_version: str | None = None, compute_target: Any = None,
                 source_directory: str | None = None, allow_reuse: bool = True, version: str | None = None,
                 hash_paths: list | None = None):
        if name is None:
            name = script_name
        if script_name is None:
            raise ValueError("script_name is required")
        if not isinstance(script_name, str):
            raise ValueError("script_name must be a string")
        if compute_target is None:
            raise ValueError("compute_target is required")
        self._script_name = script_name
        self._source_directory = source_directory
        self._compute_target = compute_target
        self._params = dict(params or {})
        self._allow_reuse = allow_reuse
        self._version = version
        if hash_paths:
            _log.warning("Parameter 'hash_paths' is deprecated, will be removed. "
                         "All files under source_directory is hashed except files listed in .amlignore or .gitignore.")
        self._degree_of_parallelism = degree_of_parallelism
        self._priority = priority
        self._runtime_version = runtime_version
        super().__init__(name, inputs, outputs)

    def _definition(self, ctx: Any) -> dict:
        source_directory = ctx.script_directory(self.name, self._source_directory, self._script_name)
        metadata = adla_metadata(ctx.workspace, self._script_name, self._compute_target, self._degree_of_parallelism,
                                 self._priority, self._runtime_version)
        params = {k: {"parameter": v.name} if isinstance(v, PipelineParameter) else
                  (v if isinstance(v, (str, int, float, bool)) or v is None else str(v))
                  for k, v in self._params.items()}
        return {"kind": self.step_type, "compute_target": metadata.pop("compute_name"),
                "source_directory": source_directory, "script_name": self._script_name, "params": params,
                "adla": metadata, "allow_reuse": bool(self._allow_reuse), "version": self._version,
                "execution_type": "adlcloud", "runconfig": {}}


def adla_metadata(workspace: Any, script_name: str, compute_target: Any, degree_of_parallelism: Any = None,
                  priority: Any = None, runtime_version: Any = None) -> dict:
    """The SDK's ADLA metadata parameters (``Module._create_adla_metadata_params``), from the attached record."""
    from azureml_local.compute.services import AdlaCompute  # compute classes only when a step is described

    metadata: dict[str, Any] = {"ScriptName": script_name}
    if degree_of_parallelism is not None:
        metadata["DegreesOfParallelism"] = degree_of_parallelism
    if priority is not None:
        metadata["Priority"] = priority
    if runtime_version is not None:
        metadata["RuntimeVersion"] = runtime_version
    if isinstance(compute_target, str):
        try:
            compute_target = AdlaCompute(workspace, compute_target)
        except Exception as e:
            raise ValueError("error in getting adla compute: {}".format(e))
    elif not isinstance(compute_target, AdlaCompute):
        raise ValueError("compute_target is not specified correctly")
    resource_id = compute_target.cluster_resource_id or ""
    match = _RESOURCE_ID.search(resource_id)
    if match is None:
        raise ValueError("adla resource id is not in correct format: {}".format(resource_id))
    metadata.update(AnalyticsAccountName=match.group(3), SubscriptionId=match.group(1),
                    ResourceGroupName=match.group(2), compute_name=compute_target.name)
    return metadata
