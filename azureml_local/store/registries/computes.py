"""Compute target records (area ``computes``): the payload the SDK's ComputeTarget is built from."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.store.registries._common import bump

if TYPE_CHECKING:
    from azureml_local.store.db import Database

AREA = "computes"


class ComputeTypeConflict(Exception):
    """The name is used by a compute target of another type; ``args[1]`` is that type."""


class ComputeStore:
    def __init__(self, db: "Database"):
        self.db = db

    def get(self, name: str) -> dict[str, Any] | None:
        row = self.db.query_one("SELECT definition FROM compute_targets WHERE name=?", (name,))
        return json.loads(row["definition"]) if row is not None else None

    def put(self, payload: dict[str, Any]) -> None:
        """Insert or update ``payload`` (keeping the first ``createdOn``); another type's name is refused."""
        name = payload["name"]
        properties = payload["properties"]
        with self.db.transaction():
            row = self.db.query_one("SELECT type, definition FROM compute_targets WHERE name=?", (name,))
            if row is not None and row["type"] != properties["computeType"]:
                raise ComputeTypeConflict(name, row["type"])
            if row is not None:
                properties["createdOn"] = json.loads(row["definition"])["properties"].get("createdOn")
            self.db.execute("INSERT INTO compute_targets(name, type, provisioning_state, definition,"
                            " created) VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET type=excluded.type,"
                            " provisioning_state=excluded.provisioning_state, definition=excluded.definition,"
                            " created=excluded.created",
                            (name, properties["computeType"], properties["provisioningState"], json.dumps(payload),
                             properties["createdOn"]))
            bump(self.db, AREA)

    def delete(self, name: str) -> bool:
        with self.db.transaction():
            removed = self.db.execute("DELETE FROM compute_targets WHERE name=?", (name,)).rowcount > 0
            if removed:
                bump(self.db, AREA)
        return removed

    def list(self) -> list[dict[str, Any]]:
        return [json.loads(r["definition"]) for r in self.db.query("SELECT definition FROM compute_targets"
                                                                  " ORDER BY name")]
