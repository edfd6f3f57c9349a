"""PipelineStore (``ctx.pipelines``): pipeline construction and reuse rows.

Owns ``reuse_entries`` (finished steps by reuse key) and ``pipeline_datasources`` (the data
sources a submit has seen, for the SDK's "Created/Using data reference" lines). The
``pipeline_runs``/``pipeline_step_runs`` rows belong to ``store/pipeline_runs.py``;
published pipelines and schedules come here later.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azureml_local.store.db import Database


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class PipelineStore:
    def __init__(self, db: "Database"):
        self.db = db

    # -- reuse entries -----------------------------------------------------------------------
    def has_fingerprint(self, fingerprint: str) -> bool:
        """Whether any finished step had this definition fingerprint."""
        return self.db.query_one("SELECT 1 FROM reuse_entries WHERE fingerprint = ? LIMIT 1",
                                 (fingerprint,)) is not None

    def find_reuse(self, reuse_key: str) -> dict[str, Any] | None:
        """The entry stored under ``reuse_key`` (``outputs`` and ``key_parts`` decoded), or None."""
        row = self.db.query_one("SELECT * FROM reuse_entries WHERE reuse_key = ?", (reuse_key,))
        if row is None:
            return None
        entry = dict(row)
        entry["outputs"] = json.loads(entry["outputs"])
        entry["key_parts"] = json.loads(entry["key_parts"])
        return entry

    def record_reuse(self, reuse_key: str, fingerprint: str, key_parts: dict[str, str], step_name: str,
                     step_run_id: str, pipeline_run_id: str, node_id: str, outputs: dict) -> None:
        """Store (or replace) the entry of a successful step run: one statement, so never half-written."""
        self.db.execute(
            "INSERT INTO reuse_entries(reuse_key, fingerprint, step_name, step_run_id, pipeline_run_id,"
            " node_id, outputs, key_parts, created_utc) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(reuse_key) DO UPDATE SET"
            " fingerprint=excluded.fingerprint, step_name=excluded.step_name, step_run_id=excluded.step_run_id,"
            " pipeline_run_id=excluded.pipeline_run_id, node_id=excluded.node_id, outputs=excluded.outputs,"
            " key_parts=excluded.key_parts, created_utc=excluded.created_utc",
            (reuse_key, fingerprint, step_name, step_run_id, pipeline_run_id, node_id, json.dumps(outputs),
             json.dumps(key_parts), _now()))

    def forget_step_run(self, step_run_id: str) -> int:
        """Drop the entries pointing at a step run; returns how many."""
        return self.db.execute("DELETE FROM reuse_entries WHERE step_run_id = ?", (step_run_id,)).rowcount

    def previous_key_parts(self, step_name: str, exclude_pipeline_run: str) -> tuple[str, dict] | None:
        """``(step run id, key parts)`` of the latest earlier run of a step with this name.

        Reads ``pipeline_step_runs`` (written by the pipeline run store) for the reuse explanation.
        """
        row = self.db.query_one(
            "SELECT COALESCE(reused_run_id, step_run_id) AS step_run_id, key_parts FROM pipeline_step_runs"
            " WHERE name = ? AND pipeline_run_id != ? AND key_parts IS NOT NULL ORDER BY created_utc DESC LIMIT 1",
            (step_name, exclude_pipeline_run))
        if row is None:
            return None
        return row["step_run_id"], json.loads(row["key_parts"])

    # -- data sources seen at submit ----------------------------------------------------------
    def datasource_id(self, fingerprint: str) -> str | None:
        row = self.db.query_one("SELECT datasource_id FROM pipeline_datasources WHERE fingerprint = ?",
                                (fingerprint,))
        return row["datasource_id"] if row is not None else None

    def add_datasource(self, fingerprint: str, datasource_id: str, name: str) -> None:
        """Record a data source (the first id recorded for a fingerprint stays)."""
        self.db.execute("INSERT INTO pipeline_datasources(fingerprint, datasource_id, name, created_utc)"
                        " VALUES (?,?,?,?) ON CONFLICT DO NOTHING", (fingerprint, datasource_id, name, _now()))
