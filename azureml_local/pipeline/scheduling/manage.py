"""Create and change schedules on a context: validation, first fire, blob baseline.

What the SDK's ``Schedule`` does below its argument checks (``pipeline/schedule.py``), on plain
values: the recurrence is a dict (``recurrence.py``), pipeline parameters are already in the REST
shapes (``SubmitRequest`` fields). Everything is checked before anything is stored.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from azureml_local.clock import utc_now
from azureml_local.exceptions import ServiceException
from azureml_local.experiment_names import check_experiment_name
from azureml_local.pipeline.scheduling import blobs
from azureml_local.pipeline.scheduling.recurrence import parse_start
from azureml_local.pipeline.scheduling.targets import check_assignments, check_target
from azureml_local.store.schedules import iso

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

DEFAULT_POLLING_MINUTES = 5
SUBMISSION_KEYS = ("parameter_assignments", "data_path_assignments", "dataset_assignments")
NO_TRIGGER_MESSAGE = ("A schedule needs a trigger: pass recurrence=ScheduleRecurrence(...) for a time schedule "
                      "or datastore=<an AzureBlobDatastore> for a data-change schedule.")


def first_fired_through(recurrence: dict, anchor: datetime) -> datetime:
    """Where counting starts: without a start time the anchor itself fires (so start just before it)."""
    if parse_start(recurrence.get("start_time")) is None:
        return anchor - timedelta(microseconds=1)
    return anchor


def next_poll(polling_interval: int | None, now: datetime) -> str:
    return iso(now + timedelta(minutes=max(0, int(polling_interval or 0))))


def create_schedule(ctx: "WorkspaceContext", *, name: str, experiment_name: str, pipeline_id: str | None = None,
                    pipeline_endpoint_id: str | None = None, recurrence: dict | None = None,
                    description: str | None = None, submission: dict | None = None,
                    datastore_name: str | None = None, polling_interval: int | None = DEFAULT_POLLING_MINUTES,
                    data_path_parameter_name: str | None = None, continue_on_step_failure: bool | None = None,
                    path_on_datastore: str | None = None) -> dict:
    """Validate and store a schedule (Active); returns its row."""
    check_experiment_name(experiment_name)
    check_target(ctx, pipeline_id, pipeline_endpoint_id)
    if recurrence is None and datastore_name is None:
        raise ValueError(NO_TRIGGER_MESSAGE)
    submission = {key: dict((submission or {}).get(key) or {}) for key in SUBMISSION_KEYS}
    check_assignments(ctx, pipeline_id, pipeline_endpoint_id, submission,
                      data_path_parameter_name if recurrence is None else None)
    now = utc_now()
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()), "name": name, "description": description, "pipeline_id": pipeline_id,
        "pipeline_endpoint_id": pipeline_endpoint_id, "experiment_name": experiment_name, "status": "Active",
        "continue_on_step_failure": continue_on_step_failure, "submission": submission,
        "anchor_utc": iso(now), "created_utc": iso(now)}
    baseline: list[tuple[str, str]] = []
    if recurrence is not None:
        row.update(schedule_type="Recurrence", recurrence=recurrence,
                   fired_through_utc=iso(first_fired_through(recurrence, now)))
    else:
        blobs.check_blob_datastore(ctx, datastore_name)
        polling_interval = DEFAULT_POLLING_MINUTES if polling_interval is None else polling_interval
        baseline = blobs.watched_blobs(ctx, datastore_name, path_on_datastore)
        row.update(schedule_type="DataStore", datastore_name=datastore_name, polling_interval=polling_interval,
                   data_path_parameter_name=data_path_parameter_name, path_on_datastore=path_on_datastore,
                   fired_through_utc=iso(now), next_poll_utc=next_poll(polling_interval, now))
    return ctx.schedules.create(row, baseline)


def update_schedule(ctx: "WorkspaceContext", schedule_id: str, **changes: Any) -> dict:
    """Change a schedule; ``None`` values keep the stored ones (as the SDK's update does).

    A new recurrence restarts counting from now (without a start time it fires now); enabling a
    disabled schedule resumes from now (fires due while it was disabled are not made up); a datastore
    schedule that is re-enabled or watches another path takes a new baseline.
    """
    current = get_schedule(ctx, schedule_id)
    changes = {k: v for k, v in changes.items() if v is not None}
    if "submission" in changes or "data_path_parameter_name" in changes:
        submission = {key: dict((changes.get("submission", current["submission"]) or {}).get(key) or {})
                      for key in SUBMISSION_KEYS}
        check_assignments(ctx, current["pipeline_id"], current["pipeline_endpoint_id"], submission,
                          changes.get("data_path_parameter_name"))
    now = utc_now()
    fields = dict(changes)
    reenabled = changes.get("status") == "Active" and current["status"] != "Active"
    baseline = None
    if current["schedule_type"] == "Recurrence":
        if "recurrence" in changes:
            fields.update(anchor_utc=iso(now), fired_through_utc=iso(first_fired_through(changes["recurrence"], now)))
        elif reenabled:
            fields["fired_through_utc"] = iso(now)
    else:
        datastore = changes.get("datastore_name", current["datastore_name"])
        if "datastore_name" in changes:
            blobs.check_blob_datastore(ctx, datastore)
        interval = changes.get("polling_interval", current["polling_interval"])
        if reenabled or {"datastore_name", "path_on_datastore"} & set(changes):
            baseline = blobs.watched_blobs(ctx, datastore, changes.get("path_on_datastore",
                                                                         current["path_on_datastore"]))
        if reenabled or {"datastore_name", "path_on_datastore", "polling_interval"} & set(changes):
            fields["next_poll_utc"] = next_poll(interval, now)
    return ctx.schedules.update(schedule_id, fields, baseline)


def get_schedule(ctx: "WorkspaceContext", schedule_id: str) -> dict:
    """The schedule's row; ``ServiceException`` (404, as the service answers) naming the id when there is none."""
    row = ctx.schedules.get(schedule_id)
    if row is None:
        raise ServiceException(f"No schedule with id '{schedule_id}' exists in workspace '{ctx.workspace_name}'. "
                         "List the schedules with Schedule.list(ws) (or `azureml-local schedule list`).",
                               status_code=404)
    return row
