"""Run history entities (experiments, runs) in the cloud's JSON shape, for the ``history`` routes.

Azure ML's run history answers ``GET .../history/v1.0/.../experiments/{name}`` with an experiment
entity and ``.../experiments/{name}/runs/{run_id}`` with a ``RunDto`` (camelCase keys:
``runId``, ``status``, ``startTimeUtc``, ``properties``, ``tags``...). Code under test that kept such
a URL reads the same keys here. A subset of the cloud's fields: the ones this workspace records.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import ServiceException

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


def experiment_entity(ctx: "WorkspaceContext", experiment_name: str) -> dict[str, Any]:
    """The active experiment called ``experiment_name`` (404 when there is none)."""
    rows = ctx.runs.list_experiments(name=experiment_name)
    if not rows:
        raise ServiceException(f"Experiment '{experiment_name}' was not found in workspace '{ctx.workspace_name}'.",
                               status_code=404)
    row = rows[0]
    return {"experimentId": row["id"], "name": row["name"], "description": None, "createdUtc": row["created_utc"],
            "archivedTime": row.get("archived_time"), "tags": json.loads(row.get("tags") or "{}")}


def run_entity(ctx: "WorkspaceContext", experiment_name: str, run_id: str) -> dict[str, Any]:
    """The ``RunDto`` of ``run_id`` in ``experiment_name`` (404 when the run is not in that experiment)."""
    row = ctx.runs.run(run_id)
    if row["experiment_name"].lower() != experiment_name.lower():
        raise ServiceException(f"Run {run_id} is not in experiment '{experiment_name}' (it is in "
                               f"'{row['experiment_name']}').", status_code=404)
    return {
        "runId": run_id, "runUuid": None, "parentRunId": row.get("parent_run_id"),
        "rootRunId": row.get("root_run_id") or run_id, "experimentId": row["experiment_id"],
        "runNumber": row.get("run_number"), "runType": row["run_type"], "status": row["status"],
        "name": row.get("name"), "displayName": row.get("display_name"), "description": row.get("description"),
        "target": row.get("target") or "local", "createdUtc": row["created_utc"],
        "startTimeUtc": row.get("start_time_utc"), "endTimeUtc": row.get("end_time_utc"),
        "error": json.loads(row["error"]) if row.get("error") else None,
        "warnings": json.loads(row.get("warnings") or "[]"), "dataContainerId": f"dcid.{run_id}",
        "properties": ctx.runs.properties(run_id), "tags": ctx.runs.tags(run_id), "hidden": False,
    }
