"""Run history rows: experiments, runs, status transitions, tags and properties.

The one place that writes the ``runs`` area tables (see
``store/migrations/runs.py``). Public classes (Run, Experiment), the engine and
the runner call these functions; nothing here knows about processes.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable

from azureml_local.exceptions import ServiceException, UserErrorException

if TYPE_CHECKING:
    import sqlite3

    from azureml_local.workspace import Workspace

# -- status vocabulary (sdk-v1-behaviour.md section f) ------------------------------------
RUNNING_STATES = ("NotStarted", "Queued", "Preparing", "Provisioning", "Starting", "Running",
                  "Unapproved", "NotResponding", "Pausing", "Paused")
POST_PROCESSING_STATES = ("CancelRequested", "Finalizing")
TERMINAL_STATES = ("Completed", "Failed", "Canceled")
ALL_STATES = RUNNING_STATES + POST_PROCESSING_STATES + TERMINAL_STATES


def utc_now() -> str:
    """ISO-8601 UTC with a ``Z`` suffix, as run history reports times."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_run_id(experiment_name: str | None = None) -> str:
    """Script runs: ``<experiment>_<epoch>_<8 hex>`` (like local submit); others a GUID."""
    if experiment_name:
        return f"{experiment_name}_{int(time.time())}_{uuid.uuid4().hex[:8]}"
    return str(uuid.uuid4())


def error_dict(message: str, code: str = "UserError", **extra: Any) -> dict:
    """The run-history error shape: ``{"error": {"code", "message"}, "time"}``."""
    return {"error": {"code": code, "message": message, **extra}, "time": utc_now()}


# -- experiments ------------------------------------------------------------------------------
def get_or_create_experiment(ws: "Workspace", name: str) -> "sqlite3.Row":
    """The active experiment called ``name`` (created when missing)."""
    db = ws._store
    row = db.query_one("SELECT * FROM experiments WHERE name=? AND archived_time IS NULL", (name,))
    if row is not None:
        return row
    with db.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO experiments(id, name, created_utc) VALUES (?,?,?)",
                     (str(uuid.uuid4()), name, utc_now()))
    return db.query_one("SELECT * FROM experiments WHERE name=? AND archived_time IS NULL", (name,))


def get_experiment_by_id(ws: "Workspace", experiment_id: str) -> "sqlite3.Row | None":
    return ws._store.query_one("SELECT * FROM experiments WHERE id=?", (experiment_id,))


def list_experiments(ws: "Workspace", name: str | None = None, view_type: str = "ActiveOnly") -> list:
    sql, params = "SELECT * FROM experiments WHERE 1=1", []
    if name:
        sql += " AND name=?"
        params.append(name)
    if view_type == "ActiveOnly":
        sql += " AND archived_time IS NULL"
    elif view_type == "ArchivedOnly":
        sql += " AND archived_time IS NOT NULL"
    return ws._store.query(sql + " ORDER BY created_utc", params)


def set_experiment_archived(ws: "Workspace", experiment_id: str, archived: bool) -> "sqlite3.Row":
    db = ws._store
    row = get_experiment_by_id(ws, experiment_id)
    if row is None:
        raise ServiceException(f"Experiment with id {experiment_id} was not found.", status_code=404)
    if not archived and row["archived_time"] is not None:
        clash = db.query_one("SELECT id FROM experiments WHERE name=? AND archived_time IS NULL", (row["name"],))
        if clash is not None:
            raise UserErrorException(
                f"Cannot reactivate experiment '{row['name']}': an active experiment with the same name exists. "
                "Delete or archive the active experiment first.")
    with db.transaction() as conn:
        conn.execute("UPDATE experiments SET archived_time=? WHERE id=?",
                     (utc_now() if archived else None, experiment_id))
    return get_experiment_by_id(ws, experiment_id)


def set_experiment_tags(ws: "Workspace", experiment_id: str, tags: dict | None = None,
                        remove: Iterable[str] = ()) -> dict:
    with ws._store.transaction() as conn:
        row = conn.execute("SELECT tags FROM experiments WHERE id=?", (experiment_id,)).fetchone()
        current = json.loads(row["tags"]) if row else {}
        current.update({k: (None if v is None else str(v)) for k, v in (tags or {}).items()})
        for key in remove:
            current.pop(key, None)
        conn.execute("UPDATE experiments SET tags=? WHERE id=?", (json.dumps(current), experiment_id))
    return current


def delete_experiment(ws: "Workspace", experiment_id: str) -> None:
    db = ws._store
    if get_experiment_by_id(ws, experiment_id) is None:
        raise ServiceException(f"Experiment with id {experiment_id} was not found.", status_code=404)
    busy = RUNNING_STATES + POST_PROCESSING_STATES  # a finalizing run still uploads into its rows
    active = db.query_one("SELECT run_id FROM runs WHERE experiment_id=? AND status IN (%s) LIMIT 1"
                          % ",".join("?" * len(busy)), (experiment_id, *busy))
    if active is not None:
        raise UserErrorException(f"Cannot delete the experiment: run {active['run_id']} is still active. "
                                 "Cancel it or wait for it to finish first.")
    with db.transaction() as conn:
        conn.execute("DELETE FROM runs WHERE experiment_id=?", (experiment_id,))
        conn.execute("DELETE FROM experiments WHERE id=?", (experiment_id,))


# -- runs ------------------------------------------------------------------------------------
def create_run(ws: "Workspace", experiment_name: str, run_id: str | None = None, *,
               run_type: str = "azureml.scriptrun", status: str = "NotStarted",
               parent_run_id: str | None = None, name: str | None = None, display_name: str | None = None,
               description: str | None = None, target: str = "local", definition: dict | None = None,
               properties: dict | None = None, tags: dict | None = None, snapshot_id: str | None = None,
               start: bool = False, enqueue_handler: str | None = None) -> str:
    """Insert a run (and optionally queue it for the runner) in one transaction; returns its id.

    ``enqueue_handler`` set (``"module:function"`` or ``""`` for the run type's
    registered handler) puts the run in ``run_queue`` for the workspace runner.
    """
    experiment = get_or_create_experiment(ws, experiment_name)
    run_id = run_id or new_run_id()
    db = ws._store
    now = utc_now()
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM runs WHERE run_id=?", (run_id,)).fetchone():
            raise UserErrorException(f"A run with id {run_id} already exists in this workspace. "
                                     "Pass a different run_id (or none to get a generated one).")
        root = run_id
        if parent_run_id:
            prow = conn.execute("SELECT root_run_id FROM runs WHERE run_id=?", (parent_run_id,)).fetchone()
            if prow is None:
                raise _run_not_found(parent_run_id)
            root = prow["root_run_id"]
        number = conn.execute("SELECT COALESCE(MAX(run_number), 0) + 1 FROM runs WHERE experiment_id=?",
                              (experiment["id"],)).fetchone()[0]
        conn.execute(
            "INSERT INTO runs(run_id, experiment_id, parent_run_id, root_run_id, run_type, status, name,"
            " display_name, description, target, created_utc, start_time_utc, definition, run_number,"
            " snapshot_id, submitted_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, experiment["id"], parent_run_id, root, run_type, status, name, display_name or run_id,
             description, target, now, now if start else None, json.dumps(definition or {}), number,
             snapshot_id, os.environ.get("USER") or os.environ.get("USERNAME") or "local user"))
        for key, value in (properties or {}).items():
            conn.execute("INSERT INTO run_properties(run_id, key, value) VALUES (?,?,?)",
                         (run_id, key, None if value is None else str(value)))
        for key, value in (tags or {}).items():
            conn.execute("INSERT INTO run_tags(run_id, key, value) VALUES (?,?,?)",
                         (run_id, key, None if value is None else str(value)))
        if enqueue_handler is not None:
            conn.execute("INSERT INTO run_queue(run_id, handler, enqueued) VALUES (?,?,?)",
                         (run_id, enqueue_handler or None, time.time()))
    return run_id


def _run_not_found(run_id: str) -> ServiceException:
    return ServiceException(f"Run with id {run_id} was not found in this workspace. Check the run id "
                            "(Run.list / Experiment.get_runs show existing runs).", status_code=404)


def get_run_row(ws: "Workspace", run_id: str) -> "sqlite3.Row":
    """The run's row joined with its experiment name; ServiceException(404) when unknown."""
    row = ws._store.query_one(
        "SELECT r.*, e.name AS experiment_name FROM runs r JOIN experiments e ON e.id = r.experiment_id "
        "WHERE r.run_id=?", (run_id,))
    if row is None:
        raise _run_not_found(run_id)
    return row


def get_status(ws: "Workspace", run_id: str) -> str:
    row = ws._store.query_one("SELECT status FROM runs WHERE run_id=?", (run_id,))
    if row is None:
        raise _run_not_found(run_id)
    return row["status"]


def set_status(ws: "Workspace", run_id: str, status: str, *, error: dict | None = None,
               only_from: Iterable[str] | None = None, start: bool = False, end: bool | None = None,
               **columns: Any) -> bool:
    """Move a run to ``status`` (optionally only from given states); True when it changed.

    Terminal states set ``end_time_utc`` (and ``start_time_utc`` when never started).
    Extra ``columns`` (pid, runner_pid, work_dir, ...) are written in the same update.
    """
    if status not in ALL_STATES:
        raise UserErrorException(f"Unknown run status '{status}'. Use one of: {', '.join(ALL_STATES)}.")
    now = utc_now()
    sets, params = ["status=?"], [status]
    if start:
        sets.append("start_time_utc=COALESCE(start_time_utc, ?)")
        params.append(now)
    if end or (end is None and status in TERMINAL_STATES):
        sets += ["end_time_utc=?", "start_time_utc=COALESCE(start_time_utc, ?)"]
        params += [now, now]
    if error is not None:
        sets.append("error=?")
        params.append(json.dumps(error))
    for key, value in columns.items():
        if key not in ("pid", "runner_pid", "work_dir", "snapshot_id", "definition", "target"):
            raise ValueError(f"set_status cannot write column {key}")
        sets.append(f"{key}=?")
        params.append(json.dumps(value) if key == "definition" else value)
    sql = f"UPDATE runs SET {', '.join(sets)} WHERE run_id=?"
    params.append(run_id)
    if only_from is not None:
        states = tuple(only_from)
        sql += " AND status IN (%s)" % ",".join("?" * len(states))
        params += states
    with ws._store.transaction() as conn:
        changed = conn.execute(sql, params).rowcount
        if status in TERMINAL_STATES:
            conn.execute("DELETE FROM run_queue WHERE run_id=?", (run_id,))
    return bool(changed)


def update_run(ws: "Workspace", run_id: str, **columns: Any) -> None:
    """Write plain columns (display_name, description, pid, runner_pid, work_dir, definition, warnings)."""
    allowed = {"display_name", "description", "pid", "runner_pid", "work_dir", "definition", "warnings",
               "snapshot_id", "target"}
    bad = set(columns) - allowed
    if bad:
        raise ValueError(f"update_run cannot write {sorted(bad)}")
    if not columns:
        return
    values = [json.dumps(v) if k in ("definition", "warnings") else v for k, v in columns.items()]
    with ws._store.transaction() as conn:
        conn.execute(f"UPDATE runs SET {', '.join(k + '=?' for k in columns)} WHERE run_id=?",
                     (*values, run_id))


def add_warning(ws: "Workspace", run_id: str, message: str) -> None:
    with ws._store.transaction() as conn:
        row = conn.execute("SELECT warnings FROM runs WHERE run_id=?", (run_id,)).fetchone()
        warnings = json.loads(row["warnings"]) if row else []
        warnings.append({"source": "azureml-local", "message": message})
        conn.execute("UPDATE runs SET warnings=? WHERE run_id=?", (json.dumps(warnings), run_id))


def list_runs(ws: "Workspace", *, experiment_id: str | None = None, parent_run_id: str | None = None,
              root_run_id: str | None = None, include_children: bool = True, run_type: str | None = None,
              status: str | None = None, tags: Any = None, properties: Any = None) -> list:
    """Run rows newest first, filtered; ``tags``/``properties`` = a key or ``{key: value}``."""
    sql = ("SELECT r.*, e.name AS experiment_name FROM runs r JOIN experiments e ON e.id = r.experiment_id"
           " WHERE 1=1")
    params: list = []
    for column, value in (("r.experiment_id", experiment_id), ("r.parent_run_id", parent_run_id),
                          ("r.root_run_id", root_run_id), ("r.run_type", run_type), ("r.status", status)):
        if value is not None:
            sql += f" AND {column}=?"
            params.append(value)
    if not include_children:
        sql += " AND r.parent_run_id IS NULL"
    for table, flt in (("run_tags", tags), ("run_properties", properties)):
        if flt is None:
            continue
        items = flt.items() if isinstance(flt, dict) else [(flt, ...)]
        for key, value in items:
            if value is ...:
                sql += f" AND EXISTS (SELECT 1 FROM {table} t WHERE t.run_id=r.run_id AND t.key=?)"
                params.append(key)
            else:
                sql += f" AND EXISTS (SELECT 1 FROM {table} t WHERE t.run_id=r.run_id AND t.key=? AND t.value=?)"
                params += [key, None if value is None else str(value)]
    return ws._store.query(sql + " ORDER BY r.created_utc DESC, r.rowid DESC", params)


# -- tags and properties --------------------------------------------------------------------------
def get_kv(ws: "Workspace", table: str, run_id: str) -> dict:
    assert table in ("run_tags", "run_properties")
    return {r["key"]: r["value"] for r in ws._store.query(f"SELECT key, value FROM {table} WHERE run_id=?", (run_id,))}


def set_tags(ws: "Workspace", run_id: str, tags: dict) -> None:
    with ws._store.transaction() as conn:
        for key, value in tags.items():
            conn.execute("INSERT OR REPLACE INTO run_tags(run_id, key, value) VALUES (?,?,?)",
                         (run_id, str(key), None if value is None else str(value)))


def remove_tags(ws: "Workspace", run_id: str, keys: Iterable[str]) -> None:
    with ws._store.transaction() as conn:
        for key in keys:
            conn.execute("DELETE FROM run_tags WHERE run_id=? AND key=?", (run_id, key))


def add_properties(ws: "Workspace", run_id: str, properties: dict) -> None:
    """Properties are immutable: re-adding the same value is fine, changing one is an error."""
    with ws._store.transaction() as conn:
        for key, value in properties.items():
            value = None if value is None else str(value)
            row = conn.execute("SELECT value FROM run_properties WHERE run_id=? AND key=?", (run_id, key)).fetchone()
            if row is not None and row["value"] != value:
                raise ServiceException(
                    f"Property '{key}' of run {run_id} already has the value '{row['value']}'; run properties "
                    "are immutable. Use tags for values that change.", status_code=400)
            conn.execute("INSERT OR IGNORE INTO run_properties(run_id, key, value) VALUES (?,?,?)",
                         (run_id, key, value))


def close_open_children(ws: "Workspace", run_id: str, parent_status: str) -> int:
    """End interactive child runs a script left Running (the parent's process is gone); returns how many."""
    status = "Completed" if parent_status == "Completed" else parent_status
    now = utc_now()
    with ws._store.transaction() as conn:
        return conn.execute("UPDATE runs SET status=?, end_time_utc=? WHERE parent_run_id=? AND run_type='interactive' "
                            "AND status IN ('Running', 'NotStarted')", (status, now, run_id)).rowcount
