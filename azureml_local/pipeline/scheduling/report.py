"""What ``azureml-local schedule list|history`` print: schedules, their next fire, every fire's outcome.

The cloud hides trigger errors (a fire refused because the pipeline was disabled leaves no
trace); here each fire is in the history with its run id or the reason it started none.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from azureml_local.pipeline.scheduling.manage import get_schedule
from azureml_local.pipeline.scheduling.recurrence import next_instant
from azureml_local.store.schedules import from_iso, iso

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


def trigger_of(row: dict) -> str:
    if row["schedule_type"] == "Recurrence":
        rec = row["recurrence"]
        parts = [f"every {rec['interval']} {rec['frequency']}"]
        for key in ("week_days", "hours", "minutes", "start_time", "time_zone"):
            if rec.get(key) is not None:
                parts.append(f"{key}={rec[key]}")
        return " ".join(parts)
    path = row["path_on_datastore"] or ""
    return f"datastore {row['datastore_name']}/{path} every {row['polling_interval']} min"


def next_due(row: dict) -> str:
    if row["status"] != "Active":
        return "-"
    if row["schedule_type"] == "Recurrence":
        instant = next_instant(row["recurrence"], from_iso(row["anchor_utc"]), from_iso(row["fired_through_utc"]))
        return iso(instant) if instant else "never"
    return f"poll {row['next_poll_utc']}"


def format_list(ctx: "WorkspaceContext") -> str:
    """Every schedule (any status) with its trigger, next fire and fire counts."""
    rows = ctx.schedules.list(active_only=False)
    if not rows:
        return "No schedules in this workspace."
    counts = ctx.schedules.fire_counts()
    lines = []
    for row in rows:
        target = f"pipeline {row['pipeline_id']}" if row["pipeline_id"] else f"endpoint {row['pipeline_endpoint_id']}"
        tally = ", ".join(f"{state} {n}" for state, n in sorted(counts.get(row["id"], {}).items())) or "no fires yet"
        lines += [f"{row['id']}  {row['name']}  [{row['status']}]",
                  f"    {target} -> experiment {row['experiment_name']}",
                  f"    trigger: {trigger_of(row)}",
                  f"    next: {next_due(row)}    fires: {tally}"]
    return "\n".join(lines)


def format_history(ctx: "WorkspaceContext", schedule_id: str, limit: int | None = None) -> str:
    """The schedule's fires, newest first: due instant, what fired it, run id or error."""
    row = get_schedule(ctx, schedule_id)
    fires = ctx.schedules.history(schedule_id, limit)
    lines = [f"{row['id']}  {row['name']}  [{row['status']}]  {trigger_of(row)}"]
    if not fires:
        lines.append("    no fires yet")
    for fire in fires:
        what = f"blob {fire['blob_name']}" if fire["kind"] == "Blob" else "time"
        outcome = fire["run_id"] if fire["state"] == "Submitted" else (fire["error"] or "")
        lines.append(f"    {fire['due_utc']}  {what}  {fire['state']}  {outcome}".rstrip())
    return "\n".join(lines)
