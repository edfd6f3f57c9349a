"""Reads and writes of the pipeline tables (``store/migrations/pipelines.py``).

Statuses are stored in the run-history vocabulary (NotStarted, Queued, Running,
Completed, Failed, Canceled, CancelRequested); the run classes map them to the
PipelineRun/StepRun vocabulary (Finished...) on the way out.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from azureml_local.pipeline.execution import records

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

TERMINAL = ("Completed", "Failed", "Canceled")


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


def pipeline_row(ws: "Workspace", run_id: str) -> dict | None:
    row = ws._store.query_one("SELECT * FROM pipeline_runs WHERE run_id = ?", (run_id,))
    return dict(row) if row is not None else None


def set_pipeline_status(ws: "Workspace", run_id: str, status: str, error: dict | None = None) -> None:
    """Move a pipeline run to ``status`` (terminal statuses are final)."""
    fields = ["status = ?"]
    params: list[Any] = [status]
    if status == "Running":
        fields.append("start_utc = COALESCE(start_utc, ?)")
        params.append(now())
    if status in TERMINAL:
        fields.append("end_utc = ?")
        params.append(now())
    if error is not None:
        fields.append("error = ?")
        params.append(json.dumps(error))
    params.append(run_id)
    cur = ws._store.execute(
        f"UPDATE pipeline_runs SET {', '.join(fields)} WHERE run_id = ? AND status NOT IN ('Completed','Failed','Canceled')",
        params)
    if cur.rowcount:
        extra = {"runner_pid": os.getpid()} if status == "Running" else {}
        records.set_status(ws, run_id, status, error, **extra)


def pipeline_status(ws: "Workspace", run_id: str) -> str:
    """Current status (run history first: the runner's orphan recovery writes there)."""
    status = records.get_status(ws, run_id)
    if status is None:
        row = pipeline_row(ws, run_id)
        status = row["status"] if row else "NotStarted"
    return status


def step_rows(ws: "Workspace", pipeline_run_id: str) -> list[dict]:
    rows = ws._store.query("SELECT * FROM pipeline_step_runs WHERE pipeline_run_id = ? ORDER BY created_utc, rowid",
                           (pipeline_run_id,))
    return [dict(r) for r in rows]


def step_row(ws: "Workspace", step_run_id: str) -> dict | None:
    row = ws._store.query_one("SELECT * FROM pipeline_step_runs WHERE step_run_id = ?", (step_run_id,))
    if row is None:
        row = ws._store.query_one("SELECT * FROM pipeline_step_runs WHERE reused_run_id = ? ORDER BY created_utc DESC",
                                  (step_run_id,))
    return dict(row) if row is not None else None


def insert_step(ws: "Workspace", step_run_id: str, pipeline_run_id: str, node_id: str, name: str,
                status: str = "Queued") -> None:
    ws._store.execute(
        "INSERT INTO pipeline_step_runs(step_run_id, pipeline_run_id, node_id, name, status, created_utc)"
        " VALUES (?,?,?,?,?,?)", (step_run_id, pipeline_run_id, node_id, name, status, now()))


def update_step(ws: "Workspace", step_run_id: str, mirror: bool = True, **values: Any) -> None:
    """Set columns of a step row; ``status`` also stamps start/end times and mirrors to run history."""
    status = values.get("status")
    if status == "Running":
        values.setdefault("start_utc", now())
    if status in TERMINAL:
        values.setdefault("end_utc", now())
    for key in ("outputs", "key_parts", "error"):
        if key in values and not isinstance(values[key], (str, type(None))):
            values[key] = json.dumps(values[key])
    cols = ", ".join(f"{k} = ?" for k in values)
    ws._store.execute(f"UPDATE pipeline_step_runs SET {cols} WHERE step_run_id = ?",
                      [*values.values(), step_run_id])
    if status and mirror:
        err = values.get("error")
        extra = {"runner_pid": os.getpid(), "pid": values["pid"]} if status == "Running" and values.get("pid") else {}
        records.set_status(ws, step_run_id, status, json.loads(err) if isinstance(err, str) else None, **extra)


def recover_if_orphaned(ws: "Workspace", run_id: str) -> bool:
    """Fail the run (and its steps) when the process executing it is gone; True when it did.

    The runner does this for all runs when it restarts; a waiting client does it
    for its own run so ``wait_for_completion`` never waits forever on a dead runner.
    """
    row = ws._store.query_one("SELECT runner_pid, status FROM runs WHERE run_id = ?", (run_id,))
    if row is None or not row["runner_pid"] or row["status"] in TERMINAL:
        return False
    try:
        from azureml_local.service.orphans import pid_alive, recover_orphans
    except ImportError:
        return False
    if pid_alive(row["runner_pid"]):
        return False
    recover_orphans(ws)
    error = ws._store.query_one("SELECT error FROM runs WHERE run_id = ?", (run_id,))
    set_pipeline_status(ws, run_id, "Failed", json.loads(error["error"]) if error and error["error"] else None)
    return True
