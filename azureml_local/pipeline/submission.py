"""Start a pipeline run from a serialized definition (docs/pipeline-definition.md).

The SDK side of starting a pipeline: ``Pipeline.submit`` / ``Experiment.submit`` and the
published-pipeline SDK classes. The run row itself is made by :mod:`azureml_local.pipeline.start`
(which the REST endpoints and schedules in the service call directly); this module converts SDK
parameter values, wakes the workspace service and returns the SDK ``PipelineRun``. Execution
happens in :mod:`azureml_local.pipeline.execution`.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException
from azureml_local.pipeline.pipeline_run import PipelineRun
from azureml_local.pipeline.start import PIPELINE_RUN_TYPE, record_pipeline_run
from azureml_local.service import control as service_control

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

__all__ = ["PIPELINE_RUN_TYPE", "json_parameters", "start_pipeline_run", "wake_service"]


def start_pipeline_run(ws: "Workspace", experiment_name: str, definition: dict,
                       pipeline_parameters: dict | None = None, regenerate_outputs: bool = False,
                       continue_on_step_failure: bool | None = None, tags: dict | None = None,
                       parent_run_id: str | None = None, pipeline_id: str | None = None,
                       run_source: str = "SDK", properties: dict | None = None) -> "PipelineRun":
    """Record a PipelineRun (``start.record_pipeline_run``), wake the service, return the SDK run.

    ``pipeline_parameters`` may hold SDK values (DataPath...): they become JSON values here.
    """
    run_id = record_pipeline_run(ws._context, experiment_name, definition,
                                 json_parameters(pipeline_parameters or {}), regenerate_outputs=regenerate_outputs,
                                 continue_on_step_failure=continue_on_step_failure, tags=tags,
                                 parent_run_id=parent_run_id, pipeline_id=pipeline_id, run_source=run_source,
                                 properties=properties)
    wake_service(ws)
    return PipelineRun._for_id(ws, experiment_name, run_id)


def wake_service(ws: "Workspace") -> None:
    """Tell the workspace service a run is queued (it is started when it is not running)."""
    service_control.wake(ws)


def json_parameters(params: dict) -> dict:
    """Submitted parameter values as JSON-able data (DataPath values become {datastore, path})."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        to_def = getattr(value, "_to_definition", None)
        if callable(to_def):
            value = to_def()
        elif hasattr(value, "datastore_name") and hasattr(value, "path_on_datastore"):
            value = {"datastore": value.datastore_name, "path": value.path_on_datastore}
        try:
            json.dumps(value)
        except TypeError as exc:
            raise UserErrorException(f"Pipeline parameter '{name}' has a value of type {type(value).__name__} "
                                     "that cannot be stored; use str, int, float, bool or a DataPath.") from exc
        out[name] = value
    return out
