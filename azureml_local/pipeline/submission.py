"""Start a pipeline run from a serialized definition (docs/pipeline-definition.md).

The one entry point for every way a pipeline starts: ``Pipeline.submit`` /
``Experiment.submit`` now, the published-pipeline REST endpoint and schedules
later. It only records the run and wakes the workspace service, so it
returns at once; execution happens in :mod:`azureml_local.pipeline.execution`.
"""
from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException
from azureml_local.experiment import _check_name
from azureml_local.pipeline.pipeline_run import PipelineRun
from azureml_local.pipeline.reuse import reuse_mode
from azureml_local.service import control as service_control

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

PIPELINE_RUN_TYPE = "azureml.PipelineRun"


def start_pipeline_run(ws: "Workspace", experiment_name: str, definition: dict,
                       pipeline_parameters: dict | None = None, regenerate_outputs: bool = False,
                       continue_on_step_failure: bool | None = None, tags: dict | None = None,
                       parent_run_id: str | None = None, pipeline_id: str | None = None,
                       run_source: str = "SDK") -> "PipelineRun":
    """Record a PipelineRun (type ``azureml.PipelineRun``, definition stored with it), queue it, return it.

    ``run_source`` fills the ``runSource``/``runType`` properties (``"SDK"``; a REST submission passes
    its body's ``RunSource``).

    ``continue_on_step_failure=None`` keeps the definition's own setting (published pipelines).
    ``pipeline_id`` links the run to a published pipeline (``PipelineRun.get_pipeline_runs``).
    """
    _check_name(experiment_name)  # a bad name must fail before the run is recorded and queued
    _check_definition(definition)
    params = _json_parameters(pipeline_parameters or {})
    if continue_on_step_failure is None:
        continue_on_step_failure = bool(definition.get("continue_on_step_failure", False))
    run_id = str(uuid.uuid4())
    properties = {"azureml.runsource": "azureml.PipelineRun", "runSource": run_source, "runType": run_source,
                  "azureml.parameters": json.dumps(params), "azureml.continue_on_step_failure":
                  str(bool(continue_on_step_failure)), "azureml.pipelineComponent": "pipelinerun"}
    if pipeline_id:
        properties["azureml.pipelineid"] = pipeline_id
    ctx = ws._context
    with ctx.db.transaction():  # both rows or neither
        ctx.pipeline_runs.create(run_id, experiment_name, definition, params, regenerate_outputs=regenerate_outputs,
                                 continue_on_step_failure=continue_on_step_failure, parent_run_id=parent_run_id,
                                 pipeline_id=pipeline_id, reuse_mode=reuse_mode())
        name = definition.get("description") or None
        ctx.runs.create_run(experiment_name, run_id, run_type=PIPELINE_RUN_TYPE, parent_run_id=parent_run_id,
                            name=name, display_name=name, tags=tags or {},
                            properties=properties,  # the definition lives in pipeline_runs only
                            enqueue_handler="")  # the plugin table's handler for azureml.PipelineRun
    wake_service(ws)
    return PipelineRun._for_id(ws, experiment_name, run_id)


def wake_service(ws: "Workspace") -> None:
    """Tell the workspace service a run is queued (it is started when it is not running)."""
    service_control.wake(ws)


def _check_definition(definition: Any) -> None:
    if not isinstance(definition, dict) or not isinstance(definition.get("steps"), list):
        raise UserErrorException("The pipeline definition must be a dict with a 'steps' list "
                                 "(see docs/pipeline-definition.md).")
    if not definition["steps"]:
        raise UserErrorException("The pipeline has no steps: add at least one step before submitting.")
    seen: set[str] = set()
    for step in definition["steps"]:
        node_id = step.get("node_id")
        if not node_id or node_id in seen:
            raise UserErrorException(f"Every step of the pipeline definition needs a unique node_id (got {node_id!r}).")
        seen.add(node_id)


def _json_parameters(params: dict) -> dict:
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
