"""ScheduleStore (``ctx.schedules``): schedules, their fire history, datastore baselines.

Tables in ``store/migrations/schedules.py``. Instants are ISO-8601 UTC strings of one fixed
format (``iso`` below), so they compare as strings. Firing exactly once rests on two things
here: a time schedule's ``fired_through_utc`` moves by compare-and-set together with the fires
it covers (:meth:`claim_time_fires`), and every fire is a row unique per (schedule, fire key)
that a submit takes in the same transaction as the run it creates (:meth:`take`).
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from azureml_local.store.db import Database

_JSON = ("recurrence", "submission")
_COLUMNS = ("id", "name", "description", "pipeline_id", "pipeline_endpoint_id", "experiment_name", "status",
            "schedule_type", "recurrence", "datastore_name", "polling_interval", "data_path_parameter_name",
            "path_on_datastore", "continue_on_step_failure", "submission", "anchor_utc", "fired_through_utc",
            "next_poll_utc", "created_utc", "updated_utc")


def iso(instant: datetime) -> str:
    """The stored form of an instant: ``2026-03-02T18:30:00.000000Z``."""
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def _system_now() -> str:
    return iso(datetime.now(timezone.utc))


def _decode(row: Any) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    for key in _JSON:
        out[key] = json.loads(out[key]) if out.get(key) else None
    if out.get("continue_on_step_failure") is not None:
        out["continue_on_step_failure"] = bool(out["continue_on_step_failure"])
    return out


def _encode(fields: dict) -> dict:
    out = dict(fields)
    for key in _JSON:
        if key in out and out[key] is not None:
            out[key] = json.dumps(out[key], sort_keys=True)
    if out.get("continue_on_step_failure") is not None:
        out["continue_on_step_failure"] = int(bool(out["continue_on_step_failure"]))
    return out


class ScheduleStore:
    def __init__(self, db: "Database"):
        self.db = db

    # -- schedules -----------------------------------------------------------------------------
    def create(self, schedule: dict, baseline: Iterable[tuple[str, str]] = ()) -> dict:
        """Insert a schedule (all of ``_COLUMNS`` but ``updated_utc``) and its blob baseline, atomically."""
        row = _encode({**schedule, "updated_utc": schedule["created_utc"]})
        with self.db.transaction() as conn:
            conn.execute(f"INSERT INTO schedules({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                         [row.get(c) for c in _COLUMNS])
            self._set_baseline(conn, schedule["id"], baseline)
        return self.get(schedule["id"])

    def get(self, schedule_id: str) -> dict | None:
        return _decode(self.db.query_one("SELECT * FROM schedules WHERE id=?", (schedule_id,)))

    def list(self, active_only: bool = True, pipeline_id: str | None = None,
             pipeline_endpoint_id: str | None = None) -> list[dict]:
        """Schedules oldest first, filtered."""
        sql, params = "SELECT * FROM schedules WHERE 1=1", []
        if active_only:
            sql += " AND status='Active'"
        for column, value in (("pipeline_id", pipeline_id), ("pipeline_endpoint_id", pipeline_endpoint_id)):
            if value is not None:
                sql += f" AND {column}=?"
                params.append(value)
        return [_decode(r) for r in self.db.query(sql + " ORDER BY created_utc, rowid", params)]

    def update(self, schedule_id: str, fields: dict, baseline: Iterable[tuple[str, str]] | None = None) -> dict:
        """Change columns (and replace the blob baseline when given), atomically."""
        row = _encode({k: v for k, v in fields.items() if k in _COLUMNS and k not in ("id", "created_utc")})
        row["updated_utc"] = _system_now()
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE schedules SET {', '.join(f'{k}=?' for k in row)} WHERE id=?",
                         [*row.values(), schedule_id])
            if baseline is not None:
                conn.execute("DELETE FROM schedule_blobs WHERE schedule_id=?", (schedule_id,))
                self._set_baseline(conn, schedule_id, baseline)
        return self.get(schedule_id)

    @staticmethod
    def _set_baseline(conn: Any, schedule_id: str, baseline: Iterable[tuple[str, str]]) -> None:
        conn.executemany("INSERT INTO schedule_blobs(schedule_id, blob_name, etag) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                         [(schedule_id, name, etag) for name, etag in baseline])

    def has_active(self) -> bool:
        """Whether any schedule is Active (keeps the service up)."""
        return self.db.query_one("SELECT 1 FROM schedules WHERE status='Active' LIMIT 1") is not None

    # -- claiming fires ----------------------------------------------------------------------------
    def claim_time_fires(self, schedule_id: str, expected_through: str, new_through: str,
                         due: list[str], skipped: tuple[str, str] | None = None) -> list[dict]:
        """Claim the time fires ``due`` (and record ``skipped = (first missed instant, why)`` as one
        Skipped entry), moving ``fired_through_utc`` from ``expected_through`` to ``new_through``;
        claims nothing when another scheduler moved it first."""
        now = _system_now()
        with self.db.transaction() as conn:
            moved = conn.execute("UPDATE schedules SET fired_through_utc=? WHERE id=? AND fired_through_utc=? "
                                 "AND status='Active'", (new_through, schedule_id, expected_through)).rowcount
            if not moved:
                return []
            if skipped is not None:
                conn.execute("INSERT INTO schedule_fires(schedule_id, fire_key, kind, due_utc, state, "
                             "error, claimed_utc, claimed_by, finished_utc) VALUES (?,?,?,?,?,?,?,?,?)"
                             " ON CONFLICT DO NOTHING",
                             (schedule_id, f"skipped:{skipped[0]}", "Time", skipped[0], "Skipped", skipped[1],
                              now, os.getpid(), now))
            ids = [self._claim(conn, schedule_id, instant, "Time", instant, None, now) for instant in due]
        return self._fires([i for i in ids if i is not None])

    def claim_blob_fires(self, schedule_id: str, blobs: list[tuple[str, str]], due: str,
                         next_poll: str) -> list[dict]:
        """Claim a fire per blob ``(name, etag)`` that is neither in the baseline nor fired yet; set the next poll."""
        now = _system_now()
        with self.db.transaction() as conn:
            conn.execute("UPDATE schedules SET next_poll_utc=? WHERE id=?", (next_poll, schedule_id))
            ids = []
            for name, etag in blobs:
                if conn.execute("SELECT 1 FROM schedule_blobs WHERE schedule_id=? AND blob_name=? AND etag=?",
                                (schedule_id, name, etag)).fetchone():
                    continue
                ids.append(self._claim(conn, schedule_id, f"{name}@{etag}", "Blob", due, name, now))
        return self._fires([i for i in ids if i is not None])

    @staticmethod
    def _claim(conn: Any, schedule_id: str, key: str, kind: str, due: str, blob: str | None, now: str) -> int | None:
        row = conn.execute("INSERT INTO schedule_fires(schedule_id, fire_key, kind, due_utc, blob_name, "
                           "state, claimed_utc, claimed_by) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING RETURNING id",
                           (schedule_id, key, kind, due, blob, "Claimed", now, os.getpid())).fetchone()
        return row[0] if row is not None else None

    def _fires(self, ids: list[int]) -> list[dict]:
        if not ids:
            return []
        rows = self.db.query(f"SELECT * FROM schedule_fires WHERE id IN ({', '.join('?' * len(ids))}) ORDER BY id",
                             ids)
        return [dict(r) for r in rows]

    def claimed(self) -> list[dict]:
        """Fires claimed but not yet submitted or failed (oldest first): a scheduler that stopped
        between claim and submit left them; the next one submits them."""
        return [dict(r) for r in self.db.query("SELECT * FROM schedule_fires WHERE state='Claimed' ORDER BY id")]

    def take(self, fire_id: int, run_id: str) -> bool:
        """Mark a claimed fire Submitted with its run; False when it was not Claimed any more.

        Call inside the transaction that records the run, so the run and the outcome commit together.
        """
        with self.db.transaction() as conn:
            return bool(conn.execute("UPDATE schedule_fires SET state='Submitted', run_id=?, finished_utc=? "
                                     "WHERE id=? AND state='Claimed'", (run_id, _system_now(), fire_id)).rowcount)

    def is_claimed(self, fire_id: int) -> bool:
        row = self.db.query_one("SELECT state FROM schedule_fires WHERE id=?", (fire_id,))
        return row is not None and row["state"] == "Claimed"

    def fail(self, fire_id: int, error: str) -> bool:
        """Record why a claimed fire started no run (the cloud hides this; the CLI shows it)."""
        with self.db.transaction() as conn:
            return bool(conn.execute("UPDATE schedule_fires SET state='Failed', error=?, finished_utc=? "
                                     "WHERE id=? AND state='Claimed'", (error, _system_now(), fire_id)).rowcount)

    # -- history ---------------------------------------------------------------------------------
    def history(self, schedule_id: str, limit: int | None = None) -> list[dict]:
        """The schedule's fires, newest first."""
        sql = "SELECT * FROM schedule_fires WHERE schedule_id=? ORDER BY due_utc DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) for r in self.db.query(sql, (schedule_id,))]

    def fire_counts(self) -> dict[str, dict[str, int]]:
        """``{schedule id: {state: count}}`` for the CLI's summary."""
        out: dict[str, dict[str, int]] = {}
        for row in self.db.query("SELECT schedule_id, state, COUNT(*) AS n FROM schedule_fires "
                                 "GROUP BY schedule_id, state"):
            out.setdefault(row["schedule_id"], {})[row["state"]] = row["n"]
        return out

    def baseline(self, schedule_id: str) -> set[tuple[str, str]]:
        return {(r["blob_name"], r["etag"]) for r in
                self.db.query("SELECT blob_name, etag FROM schedule_blobs WHERE schedule_id=?", (schedule_id,))}
