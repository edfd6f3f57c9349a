"""Model versions (area ``models``).

A version is reserved (state ``uploading``) in a short transaction, its files are
uploaded outside it, then it is marked ``ready``; only ready versions are listed.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.store.registries._common import bump, now

if TYPE_CHECKING:
    from azureml_local.store.db import Database

AREA = "models"


class ModelStore:
    def __init__(self, db: "Database"):
        self.db = db

    def reserve_version(self, name: str, definition: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Insert an ``uploading`` row with the next version; returns it and the stored definition."""
        with self.db.transaction():
            row = self.db.query_one("SELECT MAX(version) AS v FROM models WHERE name=?", (name,))
            version = (row["v"] or 0) + 1
            definition = dict(definition, version=version, id=f"{name}:{version}", createdTime=now())
            self.db.execute("INSERT INTO models(name, version, definition, run_id, created, state)"
                            " VALUES (?, ?, ?, ?, ?, 'uploading')",
                            (name, version, json.dumps(definition), definition.get("runId"),
                             definition["createdTime"]))
            bump(self.db, AREA)
        return version, definition

    def mark_ready(self, name: str, version: int) -> None:
        with self.db.transaction():
            self.db.execute("UPDATE models SET state='ready' WHERE name=? AND version=?", (name, version))
            bump(self.db, AREA)

    def delete(self, name: str, version: int) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM models WHERE name=? AND version=?", (name, version))
            bump(self.db, AREA)

    def get(self, name: str | None, version: int | None = None) -> dict[str, Any] | None:
        """A ready version (the latest when ``version`` is None)."""
        if version is not None:
            row = self.db.query_one("SELECT definition FROM models WHERE name=? AND version=? AND state='ready'",
                                    (name, version))
        else:
            row = self.db.query_one("SELECT definition FROM models WHERE name=? AND state='ready'"
                                    " ORDER BY version DESC LIMIT 1", (name,))
        return json.loads(row["definition"]) if row is not None else None

    def query(self, name: str | None = None, run_id: str | None = None, latest: bool = False) -> list[dict[str, Any]]:
        """Ready versions, newest first (optionally one name / one run / the latest per name)."""
        sql = "SELECT definition FROM models m WHERE state='ready'"
        params: list[Any] = []
        if name is not None:
            sql += " AND name=?"
            params.append(name)
        if run_id is not None:
            sql += " AND run_id=?"
            params.append(run_id)
        if latest:
            sql += " AND version=(SELECT MAX(version) FROM models x WHERE x.name=m.name AND x.state='ready')"
        sql += " ORDER BY created DESC, version DESC"
        return [json.loads(r["definition"]) for r in self.db.query(sql, params)]

    def update(self, name: str, version: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply ``changes`` to the stored definition (read-modify-write in one transaction); {} when absent."""
        with self.db.transaction():
            row = self.db.query_one("SELECT definition FROM models WHERE name=? AND version=?", (name, version))
            if row is None:
                return {}
            definition = json.loads(row["definition"])
            definition.update(changes)
            self.db.execute("UPDATE models SET definition=? WHERE name=? AND version=?",
                            (json.dumps(definition), name, version))
            bump(self.db, AREA)
        return definition
