"""WebserviceStore (``ctx.webservices``): the workspace's deployed web services.

Tables in ``store/migrations/webservices.py``. The row is the one truth about a service: the SDK
classes write the desired deployment (generation, models, config), the workspace service's
supervisor starts the scoring process and records its pid, and the scoring process reports its
state (``set_state`` only for its own generation, so an old process can never mark a new
deployment Healthy).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azureml_local.store.db import Database

_JSON = ("config", "models", "inference", "error", "tags", "properties")
_COLUMNS = ("name", "compute_type", "state", "generation", "port", "pid", "primary_key", "secondary_key",
            "config", "models", "inference", "error", "description", "tags", "properties", "created_utc",
            "updated_utc")
RUNNING_STATES = ("Transitioning", "Healthy", "Unhealthy")  # states whose scoring process should run


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _decode(row: Any) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    for key in _JSON:
        out[key] = json.loads(out[key]) if out.get(key) else None
    return out


def _encode(fields: dict) -> dict:
    return {k: (json.dumps(v, sort_keys=True) if k in _JSON and v is not None else v) for k, v in fields.items()}


class WebserviceStore:
    def __init__(self, db: "Database"):
        self.db = db

    def get(self, name: str) -> dict | None:
        return _decode(self.db.query_one("SELECT * FROM webservices WHERE name=?", (name,)))

    def list(self) -> list[dict]:
        return [_decode(r) for r in self.db.query("SELECT * FROM webservices ORDER BY created_utc")]

    def used_ports(self) -> set[int]:
        return {r["port"] for r in self.db.query("SELECT port FROM webservices")}

    def has_active(self) -> bool:
        """True while a service should be answering (keeps the workspace service up)."""
        marks = ",".join("?" * len(RUNNING_STATES))
        return self.db.query_one(f"SELECT 1 FROM webservices WHERE state IN ({marks}) LIMIT 1",
                                 RUNNING_STATES) is not None

    def next_generation(self, name: str) -> int:
        """The generation the next deployment of ``name`` gets (its files are staged under it first)."""
        row = self.db.query_one("SELECT generation FROM webservices WHERE name=?", (name,))
        return row["generation"] + 1 if row else 1

    def deploy(self, row: dict) -> dict:
        """Insert a new service, or replace the deployment of an existing name (same port, ``row["generation"]``)."""
        now = _now()
        with self.db.transaction() as conn:
            old = conn.execute("SELECT port, created_utc FROM webservices WHERE name=?", (row["name"],)).fetchone()
            fields = dict(row, state="Transitioning", pid=None, error=None, updated_utc=now,
                          port=old["port"] if old else row["port"],
                          created_utc=old["created_utc"] if old else now)
            fields = _encode({c: fields.get(c) for c in _COLUMNS})
            updates = ", ".join(f"{c}=excluded.{c}" for c in _COLUMNS if c != "name")
            conn.execute(f"INSERT INTO webservices({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
                         f"ON CONFLICT(name) DO UPDATE SET {updates}", [fields[c] for c in _COLUMNS])
        return self.get(row["name"])

    def update(self, name: str, changes: dict, redeploy: bool = False) -> dict | None:
        """Change fields; ``redeploy`` (with a new ``generation`` in ``changes``) restarts it as Transitioning."""
        fields = _encode(dict(changes, updated_utc=_now()))
        sets = [f"{k}=?" for k in fields]
        if redeploy:
            sets += ["state='Transitioning'", "pid=NULL", "error=NULL"]
        self.db.execute(f"UPDATE webservices SET {', '.join(sets)} WHERE name=?", [*fields.values(), name])
        return self.get(name)

    def set_state(self, name: str, generation: int, state: str, error: dict | None = None,
                  pid: int | None = None) -> bool:
        """The scoring process of ``generation`` reports its state, and ``pid`` with Healthy (so Healthy
        always names a process, whatever the supervisor has recorded yet); ignored for an older generation."""
        cur = self.db.execute(
            "UPDATE webservices SET state=?, error=?, pid=COALESCE(?, pid), updated_utc=? WHERE name=? "
            "AND generation=? AND state != 'Deleting'",
            (state, json.dumps(error) if error else None, pid, _now(), name, generation))
        return cur.rowcount == 1

    def set_pid(self, name: str, generation: int, pid: int | None) -> None:
        self.db.execute("UPDATE webservices SET pid=? WHERE name=? AND generation=?", (pid, name, generation))

    def mark_deleting(self, name: str) -> dict | None:
        self.db.execute("UPDATE webservices SET state='Deleting', updated_utc=? WHERE name=?", (_now(), name))
        return self.get(name)

    def delete(self, name: str) -> None:
        self.db.execute("DELETE FROM webservices WHERE name=?", (name,))
