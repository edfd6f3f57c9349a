"""Record a pipeline run from a JSON definition: the one place a pipeline run row is created.

Works on a ``WorkspaceContext`` and plain values, so every way a pipeline starts uses it:
``Pipeline.submit`` (through ``submission.start_pipeline_run``), published pipelines and
pipeline endpoints (SDK and REST), and schedules firing inside the workspace service. It only
records and queues the run; the caller wakes the dispatcher (a user process through
``service.control.wake``, the service itself directly).
"""
from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException
from azureml_local.experiment_names import check_experiment_name
from azureml_local.pipeline.reuse import reuse_mode

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

PIPELINE_RUN_TYPE = "azureml.PipelineRun"


def record_pipeline_run(ctx: "WorkspaceContext", experiment_name: str, definition: dict,
                        parameters: dict | None = None, *, regenerate_outputs: bool = False,
                        continue_on_step_failure: bool | None = None, tags: dict | None = None,
                        parent_run_id: str | None = None, pipeline_id: str | None = None,
                        run_source: str = "SDK", run_type: str | None = None,
                        properties: dict | None = None, description: str | None = None) -> str:
    """Create the PipelineRun row (type ``azureml.PipelineRun``) and queue it; returns its id.

    ``parameters`` are JSON values already (DataPath values as ``{"datastore", "path"}``).
    ``continue_on_step_failure=None`` keeps the definition's own setting (published pipelines).
    ``pipeline_id`` links the run to a published pipeline (``PipelineRun.get_pipeline_runs``);
    ``properties`` are added to the run's (e.g. ``azureml.pipelineEndpointId``, ``azureml.scheduleId``).
    """
    check_experiment_name(experiment_name)  # a bad name must fail before the run is recorded and queued
    check_definition(definition)
    params = dict(parameters or {})
    if continue_on_step_failure is None:
        continue_on_step_failure = bool(definition.get("continue_on_step_failure", False))
    run_id = str(uuid.uuid4())
    props = {"azureml.runsource": "azureml.PipelineRun", "runSource": run_source, "runType": run_type or run_source,
             "azureml.parameters": json.dumps(params), "azureml.continue_on_step_failure":
             str(bool(continue_on_step_failure)), "azureml.pipelineComponent": "pipelinerun"}
    if pipeline_id:
        props["azureml.pipelineid"] = pipeline_id
    props.update({str(k): str(v) for k, v in (properties or {}).items()})
    with ctx.db.transaction():  # both rows or neither
        ctx.pipeline_runs.create(run_id, experiment_name, definition, params, regenerate_outputs=regenerate_outputs,
                                 continue_on_step_failure=continue_on_step_failure, parent_run_id=parent_run_id,
                                 pipeline_id=pipeline_id, reuse_mode=reuse_mode())
        name = description or definition.get("description") or None
        ctx.runs.create_run(experiment_name, run_id, run_type=PIPELINE_RUN_TYPE, parent_run_id=parent_run_id,
                            name=name, display_name=name, tags=tags or {},
                            properties=props,  # the definition lives in pipeline_runs only
                            enqueue_handler="")  # the plugin table's handler for azureml.PipelineRun
    return run_id


def check_definition(definition: Any) -> None:
    """``UserErrorException`` unless ``definition`` is a runnable pipeline definition."""
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
        if step.get("not_emulated"):  # e.g. an AzureBatchStep: refused before any run is recorded
            raise UserErrorException(step["not_emulated"])
