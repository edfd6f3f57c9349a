"""RunStore: every statement on the run-history tables (``store/migrations/runs.py``).

The run history is the one home of a run's status: pipeline and step runs keep only
what they alone know in their own tables (``store/pipeline_runs.py``). Methods take and
return plain values (ids, strings, dicts), so an HTTP client with the same methods can
stand in for this SQLite one (the contract suite in ``tests/store`` runs against each).
Errors are the SDK's exception types with messages that say what to do; the SDK classes
add nothing but their own shapes.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Iterable

from azureml_local import status as states
from azureml_local.exceptions import ServiceException, UserErrorException
from azureml_local.store.db import Database

_UPDATABLE = frozenset({"display_name", "description", "pid", "runner_pid", "work_dir", "definition", "warnings",
                        "snapshot_id", "target"})
_STATUS_COLUMNS = frozenset({"pid", "runner_pid", "work_dir", "snapshot_id", "definition", "target"})
_JSON_COLUMNS = frozenset({"definition", "warnings"})


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


def run_not_found(run_id: str) -> ServiceException:
    return ServiceException(f"Run with id {run_id} was not found in this workspace. Check the run id "
                            "(Run.list / Experiment.get_runs show existing runs).", status_code=404)


def _dict(row: Any) -> dict | None:
    return dict(row) if row is not None else None


def _in(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values))


class RunStore:
    """Experiments, runs, status (compare-and-set), tags/properties, metrics, artifacts, queue entries."""

    def __init__(self, db: Database):
        self.db = db

    # -- experiments ------------------------------------------------------------------------
    def get_or_create_experiment(self, name: str) -> dict:
        """The active experiment called ``name`` (created when missing)."""
        sql = "SELECT * FROM experiments WHERE name=? AND archived_time IS NULL"
        row = self.db.query_one(sql, (name,))
        if row is None:
            with self.db.transaction() as conn:
                conn.execute("INSERT INTO experiments(id, name, created_utc) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                             (str(uuid.uuid4()), name, utc_now()))
            row = self.db.query_one(sql, (name,))
        return dict(row)

    def experiment(self, experiment_id: str) -> dict | None:
        return _dict(self.db.query_one("SELECT * FROM experiments WHERE id=?", (experiment_id,)))

    def list_experiments(self, name: str | None = None, view_type: str = "ActiveOnly") -> list[dict]:
        """Oldest first; ``view_type`` is ActiveOnly, ArchivedOnly or All."""
        sql, params = "SELECT * FROM experiments WHERE 1=1", []
        if name:
            sql += " AND name=?"
            params.append(name)
        if view_type == "ActiveOnly":
            sql += " AND archived_time IS NULL"
        elif view_type == "ArchivedOnly":
            sql += " AND archived_time IS NOT NULL"
        return [dict(r) for r in self.db.query(sql + " ORDER BY created_utc", params)]

    def _existing_experiment(self, experiment_id: str) -> dict:
        row = self.experiment(experiment_id)
        if row is None:
            raise ServiceException(f"Experiment with id {experiment_id} was not found.", status_code=404)
        return row

    def set_experiment_archived(self, experiment_id: str, archived: bool) -> dict:
        row = self._existing_experiment(experiment_id)
        if not archived and row["archived_time"] is not None:
            clash = self.db.query_one("SELECT id FROM experiments WHERE name=? AND archived_time IS NULL",
                                      (row["name"],))
            if clash is not None:
                raise UserErrorException(
                    f"Cannot reactivate experiment '{row['name']}': an active experiment with the same name exists. "
                    "Delete or archive the active experiment first.")
        with self.db.transaction() as conn:
            conn.execute("UPDATE experiments SET archived_time=? WHERE id=?",
                         (utc_now() if archived else None, experiment_id))
        return self._existing_experiment(experiment_id)

    def set_experiment_tags(self, experiment_id: str, tags: dict | None = None, remove: Iterable[str] = ()) -> dict:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT tags FROM experiments WHERE id=?", (experiment_id,)).fetchone()
            current = json.loads(row["tags"]) if row else {}
            current.update({k: (None if v is None else str(v)) for k, v in (tags or {}).items()})
            for key in remove:
                current.pop(key, None)
            conn.execute("UPDATE experiments SET tags=? WHERE id=?", (json.dumps(current), experiment_id))
        return current

    def delete_experiment(self, experiment_id: str) -> None:
        """Delete the experiment and its runs; refused while one of its runs is active (or finalizing)."""
        self._existing_experiment(experiment_id)
        with self.db.transaction() as conn:
            active = conn.execute(f"SELECT run_id FROM runs WHERE experiment_id=? AND status IN "
                                  f"({_in(states.ACTIVE_STATES)}) LIMIT 1",
                                  (experiment_id, *states.ACTIVE_STATES)).fetchone()
            if active is not None:
                raise UserErrorException(f"Cannot delete the experiment: run {active['run_id']} is still active. "
                                         "Cancel it or wait for it to finish first.")
            conn.execute("DELETE FROM runs WHERE experiment_id=?", (experiment_id,))
            conn.execute("DELETE FROM experiments WHERE id=?", (experiment_id,))

    # -- runs ------------------------------------------------------------------------------
    def create_run(self, experiment_name: str, run_id: str, *, run_type: str = "azureml.scriptrun",
                   status: str = "NotStarted", parent_run_id: str | None = None, name: str | None = None,
                   display_name: str | None = None, description: str | None = None, target: str = "local",
                   definition: dict | None = None, properties: dict | None = None, tags: dict | None = None,
                   snapshot_id: str | None = None, start: bool = False, enqueue_handler: str | None = None,
                   experiment_id: str | None = None) -> str:
        """Insert a run (and queue it when ``enqueue_handler`` is set) in one transaction; returns its id.

        ``enqueue_handler`` is ``"module:function"``, or ``""`` for the run type's registered handler.
        ``experiment_id``: the id of experiment ``experiment_name`` when the caller already knows it
        (a pipeline's steps), which spares the lookup.
        """
        states.check_status(status)
        experiment = {"id": experiment_id} if experiment_id else self.get_or_create_experiment(experiment_name)
        now = utc_now()
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM runs WHERE run_id=?", (run_id,)).fetchone():
                raise UserErrorException(f"A run with id {run_id} already exists in this workspace. "
                                         "Pass a different run_id (or none to get a generated one).")
            root = run_id
            if parent_run_id:
                prow = conn.execute("SELECT root_run_id FROM runs WHERE run_id=?", (parent_run_id,)).fetchone()
                if prow is None:
                    raise run_not_found(parent_run_id)
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
            conn.executemany("INSERT INTO run_properties(run_id, key, value) VALUES (?,?,?)",
                             [(run_id, k, None if v is None else str(v)) for k, v in (properties or {}).items()])
            conn.executemany("INSERT INTO run_tags(run_id, key, value) VALUES (?,?,?)",
                             [(run_id, k, None if v is None else str(v)) for k, v in (tags or {}).items()])
            if enqueue_handler is not None:
                conn.execute("INSERT INTO run_queue(run_id, handler, enqueued) VALUES (?,?,?)",
                             (run_id, enqueue_handler or None, time.time()))
        return run_id

    def exists(self, run_id: str) -> bool:
        return self.db.query_one("SELECT 1 FROM runs WHERE run_id=?", (run_id,)) is not None

    def run(self, run_id: str) -> dict:
        """The run's row with its ``experiment_name``; ServiceException(404) when unknown."""
        row = self.db.query_one(
            "SELECT r.*, e.name AS experiment_name FROM runs r JOIN experiments e ON e.id = r.experiment_id "
            "WHERE r.run_id=?", (run_id,))
        if row is None:
            raise run_not_found(run_id)
        return dict(row)

    def status(self, run_id: str) -> str:
        row = self.db.query_one("SELECT status FROM runs WHERE run_id=?", (run_id,))
        if row is None:
            raise run_not_found(run_id)
        return row["status"]

    def error(self, run_id: str) -> dict | None:
        """The run's recorded error (run-history shape), if any."""
        row = self.db.query_one("SELECT error FROM runs WHERE run_id=?", (run_id,))
        return json.loads(row["error"]) if row and row["error"] else None

    def set_status(self, run_id: str, status: str, *, error: dict | None = None,
                   only_from: Iterable[str] | None = None, start: bool = False, end: bool | None = None,
                   **columns: Any) -> bool:
        """Move a run to ``status`` (only from ``only_from`` states when given); True when it changed.

        Terminal states set ``end_time_utc`` (and ``start_time_utc`` when never started) and
        drop the run's queue entry. ``columns`` (pid, runner_pid, work_dir...) go in the same update.
        """
        states.check_status(status)
        now = utc_now()
        sets, params = ["status=?"], [status]
        if start:
            sets.append("start_time_utc=COALESCE(start_time_utc, ?)")
            params.append(now)
        if end or (end is None and states.is_terminal(status)):
            sets += ["end_time_utc=?", "start_time_utc=COALESCE(start_time_utc, ?)"]
            params += [now, now]
        if error is not None:
            sets.append("error=?")
            params.append(json.dumps(error))
        for key, value in columns.items():
            if key not in _STATUS_COLUMNS:
                raise ValueError(f"set_status cannot write column {key}")
            sets.append(f"{key}=?")
            params.append(json.dumps(value) if key in _JSON_COLUMNS else value)
        sql = f"UPDATE runs SET {', '.join(sets)} WHERE run_id=?"
        params.append(run_id)
        if only_from is not None:
            allowed = tuple(only_from)
            sql += f" AND status IN ({_in(allowed)})"
            params += allowed
        with self.db.transaction() as conn:
            changed = conn.execute(sql, params).rowcount
            if states.is_terminal(status):
                conn.execute("DELETE FROM run_queue WHERE run_id=?", (run_id,))
        return bool(changed)

    def update_run(self, run_id: str, **columns: Any) -> None:
        """Write plain columns (display_name, description, pid, runner_pid, work_dir, definition, warnings...)."""
        bad = set(columns) - _UPDATABLE
        if bad:
            raise ValueError(f"update_run cannot write {sorted(bad)}")
        if not columns:
            return
        values = [json.dumps(v) if k in _JSON_COLUMNS else v for k, v in columns.items()]
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE runs SET {', '.join(k + '=?' for k in columns)} WHERE run_id=?", (*values, run_id))

    def add_warning(self, run_id: str, message: str) -> None:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT warnings FROM runs WHERE run_id=?", (run_id,)).fetchone()
            warnings = json.loads(row["warnings"]) if row else []
            warnings.append({"source": "azureml-local", "message": message})
            conn.execute("UPDATE runs SET warnings=? WHERE run_id=?", (json.dumps(warnings), run_id))

    def list_runs(self, *, experiment_id: str | None = None, parent_run_id: str | None = None,
                  root_run_id: str | None = None, include_children: bool = True, run_type: str | None = None,
                  status: str | None = None, tags: Any = None, properties: Any = None) -> list[dict]:
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
        return [dict(r) for r in self.db.query(sql + " ORDER BY r.created_utc DESC, r.rowid DESC", params)]

    def close_open_children(self, run_id: str, parent_status: str) -> int:
        """End interactive child runs a script left Running (its process is gone); returns how many."""
        with self.db.transaction() as conn:
            return conn.execute("UPDATE runs SET status=?, end_time_utc=? WHERE parent_run_id=? AND "
                                "run_type='interactive' AND status IN ('Running', 'NotStarted')",
                                (parent_status, utc_now(), run_id)).rowcount

    # -- queue and cancel -----------------------------------------------------------------------
    def is_queued(self, run_id: str) -> bool:
        return self.db.query_one("SELECT 1 FROM run_queue WHERE run_id=?", (run_id,)) is not None

    def dequeue(self, run_id: str) -> bool:
        """Take the run out of the queue; True when it was still waiting there."""
        with self.db.transaction() as conn:
            return bool(conn.execute("DELETE FROM run_queue WHERE run_id=?", (run_id,)).rowcount)

    # -- orphans ------------------------------------------------------------------------------
    def executing_runs(self) -> list[dict]:
        """Active runs a process has claimed (``runner_pid`` set, no longer queued): orphan candidates."""
        return [dict(r) for r in self.db.query(
            f"SELECT run_id, runner_pid, pid FROM runs WHERE runner_pid IS NOT NULL AND status IN "
            f"({_in(states.ACTIVE_STATES)}) AND run_id NOT IN (SELECT run_id FROM run_queue)", states.ACTIVE_STATES)]

    def children(self, run_id: str) -> list[dict]:
        """Direct children: id, executing pids and status (oldest first)."""
        return [dict(r) for r in self.db.query(
            "SELECT run_id, runner_pid, pid, status FROM runs WHERE parent_run_id=? ORDER BY created_utc, rowid",
            (run_id,))]

    # -- tags and properties ------------------------------------------------------------------
    def tags(self, run_id: str) -> dict:
        return {r["key"]: r["value"] for r in self.db.query("SELECT key, value FROM run_tags WHERE run_id=?",
                                                            (run_id,))}

    def properties(self, run_id: str) -> dict:
        return {r["key"]: r["value"] for r in self.db.query("SELECT key, value FROM run_properties WHERE run_id=?",
                                                            (run_id,))}

    def set_tags(self, run_id: str, tags: dict) -> None:
        with self.db.transaction() as conn:
            conn.executemany("INSERT INTO run_tags(run_id, key, value) VALUES (?,?,?)"
                             " ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value",
                             [(run_id, str(k), None if v is None else str(v)) for k, v in tags.items()])

    def remove_tags(self, run_id: str, keys: Iterable[str]) -> None:
        with self.db.transaction() as conn:
            conn.executemany("DELETE FROM run_tags WHERE run_id=? AND key=?", [(run_id, k) for k in keys])

    def add_properties(self, run_id: str, properties: dict) -> None:
        """Properties are immutable: re-adding the same value is fine, changing one is an error."""
        with self.db.transaction() as conn:
            for key, value in properties.items():
                value = None if value is None else str(value)
                row = conn.execute("SELECT value FROM run_properties WHERE run_id=? AND key=?",
                                   (run_id, key)).fetchone()
                if row is not None and row["value"] != value:
                    raise ServiceException(
                        f"Property '{key}' of run {run_id} already has the value '{row['value']}'; run properties "
                        "are immutable. Use tags for values that change.", status_code=400)
                conn.execute("INSERT INTO run_properties(run_id, key, value) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                             (run_id, key, value))

    # -- metrics ------------------------------------------------------------------------------
    def log_metric(self, run_id: str, name: str, kind: str, value_json: str, step: int | None = None,
                   description: str = "") -> None:
        """Append one metric entry (``value_json`` already JSON); entries of a name keep their order."""
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO run_metrics(run_id, name, kind, value, step, description, created) "
                         "VALUES (?,?,?,?,?,?,?)", (run_id, name, kind, value_json, step, description or "",
                                                   time.time()))

    def log_metrics(self, run_id: str, rows: Iterable[tuple[str, str, str, int | None, float]]) -> None:
        """Append ``(name, kind, value_json, step, created epoch seconds)`` entries in one transaction."""
        with self.db.transaction() as conn:
            conn.executemany("INSERT INTO run_metrics(run_id, name, kind, value, step, description, created) "
                             "VALUES (?,?,?,?,?,'',?)", [(run_id, n, k, v, s, c) for n, k, v, s, c in rows])

    def metric_entries(self, run_id: str, name: str | None = None, kind: str | None = None) -> list[dict]:
        """``{name, kind, value, step, created}`` rows in logging order (values decoded from JSON)."""
        sql, params = "SELECT name, kind, value, step, created FROM run_metrics WHERE run_id=?", [run_id]
        for column, value in (("name", name), ("kind", kind)):
            if value is not None:
                sql += f" AND {column}=?"
                params.append(value)
        return [dict(r, value=json.loads(r["value"])) for r in self.db.query(sql + " ORDER BY id", params)]

    def metrics(self, run_id: str, name: str | None = None) -> list[tuple[str, str, Any]]:
        """``(name, kind, value)`` in logging order (values decoded from JSON)."""
        sql, params = "SELECT name, kind, value FROM run_metrics WHERE run_id=?", [run_id]
        if name is not None:
            sql += " AND name=?"
            params.append(name)
        return [(r["name"], r["kind"], json.loads(r["value"])) for r in self.db.query(sql + " ORDER BY id", params)]

    # -- artifacts ----------------------------------------------------------------------------
    def index_artifacts(self, run_id: str, rows: Iterable[tuple[str, str, int]]) -> None:
        """Record ``(path, blob name, size)`` entries (a path uploaded again points at its new blob)."""
        with self.db.transaction() as conn:
            conn.executemany("INSERT INTO run_artifacts(run_id, path, blob_name, size) VALUES (?,?,?,?)"
                             " ON CONFLICT(run_id, path) DO UPDATE SET blob_name = excluded.blob_name,"
                             " size = excluded.size",
                             [(run_id, p, b, s) for p, b, s in rows])

    def artifact(self, run_id: str, path: str) -> dict | None:
        """``{"blob_name", "size"}`` of one artifact, or None."""
        return _dict(self.db.query_one("SELECT blob_name, size FROM run_artifacts WHERE run_id=? AND path=?",
                                       (run_id, path)))

    def artifact_blobs(self, run_id: str) -> dict[str, str]:
        """``{path: blob name}`` of every artifact of the run, sorted by path."""
        return {r["path"]: r["blob_name"] for r in self.db.query(
            "SELECT path, blob_name FROM run_artifacts WHERE run_id=? ORDER BY path", (run_id,))}

    def artifact_sizes(self, run_id: str) -> dict[str, int]:
        """``{path: size}`` of every artifact of the run, sorted by path."""
        return {r["path"]: r["size"] for r in self.db.query(
            "SELECT path, size FROM run_artifacts WHERE run_id=? ORDER BY path", (run_id,))}
