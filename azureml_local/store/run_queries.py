"""RunQueries: the read-only run-history queries of the Studio and the CLI (pages of thousands of runs).

``RunStore`` serves the SDK (one run, every run of a filter); a browser needs one *page* of an
experiment's runs, sorted and filtered in SQL, plus the total, and the tags of just that page:
two indexed queries whatever the experiment holds. Sort keys and filters are whitelisted here,
so no caller text ever becomes SQL.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from azureml_local.store.db import Database

# sort key -> SQL expression (duration: a running run counts until now)
SORTS = {
    "submitted": "r.created_utc",
    "number": "r.run_number",
    "status": "r.status",
    "type": "r.run_type",
    "name": "COALESCE(r.display_name, r.run_id)",
    "duration": "(julianday(COALESCE(r.end_time_utc, strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
                " - julianday(r.start_time_utc))",
}


class RunQueries:
    """Experiment summaries, paged/filtered run listings and per-page tags."""

    def __init__(self, db: Database):
        self.db = db

    def experiment_summaries(self, include_archived: bool = False) -> list[dict]:
        """Every experiment with its top-level run count, latest submission and latest run's status."""
        sql = ("SELECT e.id, e.name, e.created_utc, e.archived_time, e.tags,"
               " (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id AND r.parent_run_id IS NULL) AS runs,"
               " (SELECT MAX(created_utc) FROM runs r WHERE r.experiment_id = e.id) AS last_submitted,"
               " (SELECT status FROM runs r WHERE r.experiment_id = e.id AND r.parent_run_id IS NULL"
               "  ORDER BY r.created_utc DESC, r.rowid DESC LIMIT 1) AS last_status"
               " FROM experiments e")
        if not include_archived:
            sql += " WHERE e.archived_time IS NULL"
        rows = [dict(r) for r in self.db.query(sql + " ORDER BY COALESCE(last_submitted, e.created_utc) DESC")]
        for row in rows:
            row["tags"] = json.loads(row["tags"] or "{}")
        return rows

    def page_runs(self, *, experiment_id: str | None = None, status: str | None = None,
                  run_type: str | None = None, search: str | None = None, tag: str | None = None,
                  top_level: bool = True, sort: str = "submitted", descending: bool = True,
                  limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
        """One page of runs (with ``experiment_name``) and the number of runs the filter matches.

        ``search`` matches the run id or display name (substring); ``tag`` is ``key`` or ``key=value``.
        """
        if sort not in SORTS:
            raise ValueError(f"Unknown sort key {sort!r}; use one of {', '.join(SORTS)}.")
        where, params = ["1=1"], []
        for column, value in (("r.experiment_id", experiment_id), ("r.status", status), ("r.run_type", run_type)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if top_level:
            where.append("r.parent_run_id IS NULL")
        if search:
            where.append("(instr(r.run_id, ?) > 0 OR instr(COALESCE(r.display_name, ''), ?) > 0)")
            params += [search, search]
        if tag:
            key, has_value, value = tag.partition("=")
            if has_value:
                where.append("EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.run_id AND t.key = ? AND t.value = ?)")
                params += [key, value]
            else:
                where.append("EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.run_id AND t.key = ?)")
                params.append(key)
        clause = " AND ".join(where)
        total = self.db.query_one(f"SELECT COUNT(*) AS n FROM runs r WHERE {clause}", params)["n"]
        order = "DESC" if descending else "ASC"
        rows = self.db.query(
            "SELECT r.run_id, r.experiment_id, r.parent_run_id, r.run_type, r.status, r.display_name, r.name,"
            " r.created_utc, r.start_time_utc, r.end_time_utc, r.run_number, r.target, r.submitted_by,"
            " e.name AS experiment_name FROM runs r JOIN experiments e ON e.id = r.experiment_id"
            f" WHERE {clause} ORDER BY {SORTS[sort]} {order}, r.rowid {order} LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)])
        return [dict(r) for r in rows], int(total)

    def tags_of(self, run_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``{run id: {tag: value}}`` for the given runs (one query)."""
        ids = list(run_ids)
        found: dict[str, dict[str, Any]] = {i: {} for i in ids}
        if not ids:
            return found
        marks = ",".join("?" * len(ids))
        for r in self.db.query(f"SELECT run_id, key, value FROM run_tags WHERE run_id IN ({marks})", ids):
            found[r["run_id"]][r["key"]] = r["value"]
        return found

    def run_types(self, experiment_id: str) -> list[str]:
        """The run types present in an experiment (for the filter menu)."""
        return [r["run_type"] for r in self.db.query(
            "SELECT DISTINCT run_type FROM runs WHERE experiment_id = ? ORDER BY run_type", (experiment_id,))]

    def artifact_rows(self, run_id: str) -> list[dict]:
        """``{"path", "size"}`` of every artifact of a run, sorted by path."""
        return [dict(r) for r in self.db.query(
            "SELECT path, size FROM run_artifacts WHERE run_id = ? ORDER BY path", (run_id,))]

    def children(self, run_id: str) -> list[dict]:
        """Direct child runs (oldest first) with what a listing shows."""
        return [dict(r) for r in self.db.query(
            "SELECT run_id, run_type, status, display_name, name, created_utc, start_time_utc, end_time_utc"
            " FROM runs WHERE parent_run_id = ? ORDER BY created_utc, rowid", (run_id,))]
