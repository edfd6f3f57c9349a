"""PipelineRunStore: the statements on ``pipeline_runs`` and ``pipeline_step_runs``.

These rows hold only what a pipeline or step run alone knows: the submitted definition
and parameters, and per step its node, reuse key, reason, outputs and the run it reused.
Status, times, errors and process ids live in the run history (``store/runs.py``), the
one home of status (migration 5 of ``store/migrations/pipelines.py`` dropped the columns that
used to mirror it).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from azureml_local.store.db import Database

_STEP_COLUMNS = frozenset({"reused_run_id", "reused_pipeline_run_id", "reused_node_id", "reuse_key", "fingerprint",
                           "key_parts", "reason", "outputs"})
_STEP_JSON = frozenset({"outputs", "key_parts"})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _dict(row: Any) -> dict | None:
    return dict(row) if row is not None else None


class PipelineRunStore:
    """Submitted pipeline runs and their step rows (no status: see ``RunStore``)."""

    def __init__(self, db: Database):
        self.db = db

    # -- pipeline runs ----------------------------------------------------------------------
    def create(self, run_id: str, experiment_name: str, definition: dict, parameters: dict, *,
               regenerate_outputs: bool = False, continue_on_step_failure: bool = False,
               parent_run_id: str | None = None, pipeline_id: str | None = None,
               reuse_mode: str | None = None) -> None:
        """Record a submitted pipeline run's definition and settings (its run-history row is separate)."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO pipeline_runs(run_id, experiment_name, definition, parameters, regenerate_outputs,"
                " continue_on_step_failure, parent_run_id, pipeline_id, created_utc, reuse_mode)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (run_id, experiment_name, json.dumps(definition), json.dumps(parameters), int(bool(regenerate_outputs)),
                 int(bool(continue_on_step_failure)), parent_run_id, pipeline_id, _now(), reuse_mode))

    def get(self, run_id: str) -> dict | None:
        return _dict(self.db.query_one("SELECT * FROM pipeline_runs WHERE run_id = ?", (run_id,)))

    def of_published_pipeline(self, pipeline_id: str) -> list[dict]:
        """``{"run_id", "experiment_name"}`` of the runs started from a published pipeline, oldest first."""
        return [dict(r) for r in self.db.query(
            "SELECT run_id, experiment_name FROM pipeline_runs WHERE pipeline_id = ? ORDER BY created_utc, rowid",
            (pipeline_id,))]

    # -- step runs ----------------------------------------------------------------------------
    def insert_step(self, step_run_id: str, pipeline_run_id: str, node_id: str, name: str, **values: Any) -> None:
        """Record a step of a pipeline run (``values``: reuse key parts, reason, outputs, reused-from)."""
        columns = self._step_values(values)
        names = ["step_run_id", "pipeline_run_id", "node_id", "name", "created_utc", *columns]
        with self.db.transaction() as conn:
            conn.execute(f"INSERT INTO pipeline_step_runs({', '.join(names)}) VALUES ({','.join('?' * len(names))})",
                         (step_run_id, pipeline_run_id, node_id, name, _now(), *columns.values()))

    def update_step(self, step_run_id: str, **values: Any) -> None:
        """Set what only the step row knows (outputs, reason, reuse key...)."""
        columns = self._step_values(values)
        if columns:
            with self.db.transaction() as conn:
                conn.execute(f"UPDATE pipeline_step_runs SET {', '.join(k + ' = ?' for k in columns)} "
                             "WHERE step_run_id = ?", (*columns.values(), step_run_id))

    def steps(self, pipeline_run_id: str) -> list[dict]:
        """The step rows of a pipeline run in the order the steps started."""
        return [dict(r) for r in self.db.query(
            "SELECT * FROM pipeline_step_runs WHERE pipeline_run_id = ? ORDER BY created_utc, rowid",
            (pipeline_run_id,))]

    def step(self, step_run_id: str) -> dict | None:
        return _dict(self.db.query_one("SELECT * FROM pipeline_step_runs WHERE step_run_id = ?", (step_run_id,)))

    @staticmethod
    def _step_values(values: dict) -> dict:
        bad = set(values) - _STEP_COLUMNS
        if bad:
            raise ValueError(f"a step row cannot hold {sorted(bad)} (status and times live in the run history)")
        return {k: json.dumps(v) if k in _STEP_JSON and not isinstance(v, (str, type(None))) else v
                for k, v in values.items()}
