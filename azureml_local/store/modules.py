"""ModuleStore (``ctx.modules``): modules and their published versions, as rows.

A version's ``definition`` is the JSON a ModuleStep needs to run it (execution type, script,
snapshot, port and parameter definitions, arguments); the SDK classes (``pipeline/module.py``)
own the shapes and messages.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azureml_local.store.db import Database

_MODULE_FIELDS = ("name", "description", "status", "default_version")
_VERSION_FIELDS = ("description", "status")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _version_row(row: Any) -> dict | None:
    if row is None:
        return None
    out = dict(row)
    out["definition"] = json.loads(out["definition"])
    return out


class ModuleStore:
    def __init__(self, db: "Database"):
        self.db = db

    def create_module(self, name: str, description: str | None) -> dict | None:
        """The new module's row; None when a module of that name exists (nothing written)."""
        now = _now()
        with self.db.transaction():
            if self.db.query_one("SELECT 1 FROM modules WHERE name = ?", (name,)) is not None:
                return None
            module_id = str(uuid.uuid4())
            self.db.execute("INSERT INTO modules (id, name, description, status, created_utc, updated_utc) "
                            "VALUES (?, ?, ?, 'Active', ?, ?)", (module_id, name, description, now, now))
        return self.module(module_id)

    def module(self, module_id: str | None = None, name: str | None = None) -> dict | None:
        if module_id is not None:
            row = self.db.query_one("SELECT * FROM modules WHERE id = ?", (module_id,))
        else:
            row = self.db.query_one("SELECT * FROM modules WHERE name = ?", (name,))
        return dict(row) if row is not None else None

    def update_module(self, module_id: str, **fields: Any) -> None:
        bad = set(fields) - set(_MODULE_FIELDS)
        if bad:
            raise ValueError(f"update_module cannot write {sorted(bad)}")
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"UPDATE modules SET {sets}, updated_utc = ? WHERE id = ?",
                        (*fields.values(), _now(), module_id))

    def add_version(self, module_id: str, version: str | None, description: str | None, definition: dict,
                    category: str | None = None) -> dict | None:
        """The new version's row; None when the module already has that version (nothing written)."""
        now = _now()
        version_id = str(uuid.uuid4())
        with self.db.transaction():
            if version is not None and self.db.query_one(
                    "SELECT 1 FROM module_versions WHERE module_id = ? AND version = ?", (module_id, version)):
                return None
            self.db.execute(
                "INSERT INTO module_versions (id, module_id, version, description, status, category, definition, "
                "created_utc, updated_utc) VALUES (?, ?, ?, ?, 'Active', ?, ?, ?, ?)",
                (version_id, module_id, version, description, category, json.dumps(definition), now, now))
            self.db.execute("UPDATE modules SET updated_utc = ? WHERE id = ?", (now, module_id))
        return self.version(version_id)

    def version(self, version_id: str) -> dict | None:
        return _version_row(self.db.query_one("SELECT * FROM module_versions WHERE id = ?", (version_id,)))

    def versions(self, module_id: str) -> list[dict]:
        """Every version of a module, oldest first."""
        return [_version_row(r) for r in self.db.query(  # type: ignore[misc]
            "SELECT * FROM module_versions WHERE module_id = ? ORDER BY created_utc, rowid", (module_id,))]

    def update_version(self, version_id: str, **fields: Any) -> None:
        bad = set(fields) - set(_VERSION_FIELDS)
        if bad:
            raise ValueError(f"update_version cannot write {sorted(bad)}")
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"UPDATE module_versions SET {sets}, updated_utc = ? WHERE id = ?",
                        (*fields.values(), _now(), version_id))
