"""A recorded pipeline run -> the ``PipelineRunEntity`` JSON the pipelines API answers with.

The keys are those the SDK's REST client deserialises (``models/pipeline_run_entity.py``), so
``response.json()["Id"]`` and ``["Status"]["StatusCode"]`` read as they do against Azure. The
status code is the PipelineRun vocabulary (``NotStarted``, ``Running``, ``Finished``, ``Failed``,
``Canceled``): the cloud moved from numeric codes to these names, which the SDK passes through.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import ServiceException
from azureml_local.pipeline.start import PIPELINE_RUN_TYPE
from azureml_local.status import pipeline_status

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


def pipeline_run_entity(ctx: "WorkspaceContext", run_id: str) -> dict[str, Any]:
    """The entity of pipeline run ``run_id`` (ServiceException 404 when there is none)."""
    row = ctx.runs.run(run_id)
    if row["run_type"] != PIPELINE_RUN_TYPE:
        raise ServiceException(f"Run {run_id} is not a pipeline run (it is a {row['run_type']} run); this API "
                               f"describes pipeline runs only.", status_code=404)
    props = ctx.runs.properties(run_id)
    tags = ctx.runs.tags(run_id)
    recorded = ctx.pipeline_runs.get(run_id) or {}
    parameters = _json(recorded.get("parameters"), {})
    definition = _json(recorded.get("definition"), {})
    status_code = pipeline_status(row["status"])
    error = _json(row.get("error"), None)
    modified = row.get("end_time_utc") or row.get("start_time_utc") or row["created_utc"]
    return {
        "Id": run_id,
        "Description": row.get("name"),
        "Status": {"StatusCode": status_code,
                   "StatusDetail": ((error or {}).get("error") or {}).get("message"),
                   "CreationTime": row["created_utc"], "EndTime": row.get("end_time_utc")},
        "GraphId": recorded.get("pipeline_id"),
        "IsSubmitted": True,
        "HasErrors": status_code == "Failed",
        "HasWarnings": bool(_json(row.get("warnings"), [])),
        "UploadState": "Completed",
        "ParameterAssignments": {name: _text(value) for name, value in parameters.items()},
        "DataSetDefinitionValueAssignments": {},
        "RunHistoryExperimentName": row["experiment_name"],
        "PipelineId": recorded.get("pipeline_id") or props.get("azureml.pipelineid"),
        "RunSource": props.get("runSource"),
        "RunType": props.get("runType"),
        "TotalRunSteps": len(definition.get("steps") or []),
        "ScheduleId": props.get("azureml.scheduleId"),
        "tags": tags,
        "Properties": props,
        "EntityStatus": "Active",
        "Etag": hashlib.sha256(f"{run_id}:{row['status']}:{modified}".encode()).hexdigest()[:16],
        "CreatedDate": row["created_utc"],
        "LastModifiedDate": modified,
    }


def _json(text: Any, default: Any) -> Any:
    if text is None or text == "":
        return default
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return default


def _text(value: Any) -> str:
    """A parameter value as the cloud reports it: a string (the SDK's ``str(value)``; DataPaths as JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)
