"""Environment versions and labels (area ``environments``).

Versioning follows the service: the first registration of a name is version 1; unchanged
content returns the latest version; changed content gets the next number; an explicit
version must not already hold different content.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.store.registries._common import bump, now

if TYPE_CHECKING:
    from azureml_local.store.db import Database

AREA = "environments"


class EnvironmentVersionConflict(Exception):
    """An explicit version already holds different content (nothing written)."""


class EnvironmentStore:
    def __init__(self, db: "Database"):
        self.db = db

    def register(self, name: str, content_hash: str, definition: dict[str, Any], version: int | None = None) -> int:
        """The version holding this content (see the module docstring); writes at most one row."""
        with self.db.transaction():
            if version is not None:
                row = self.db.query_one("SELECT content_hash FROM environments WHERE name=? AND version=?",
                                        (name, version))
                if row is not None and row["content_hash"] != content_hash:
                    raise EnvironmentVersionConflict(name, version)
                if row is None:
                    self._insert(name, version, content_hash, definition)
                return version
            latest = self.db.query_one("SELECT version, content_hash FROM environments WHERE name=?"
                                       " ORDER BY version DESC LIMIT 1", (name,))
            if latest is not None and latest["content_hash"] == content_hash:
                return int(latest["version"])
            version = (latest["version"] if latest else 0) + 1
            self._insert(name, version, content_hash, definition)
        return version

    def _insert(self, name: str, version: int, content_hash: str, definition: dict[str, Any]) -> None:
        self.db.execute("INSERT INTO environments(name, version, content_hash, definition, created)"
                        " VALUES (?, ?, ?, ?, ?)", (name, version, content_hash, json.dumps(definition), now()))
        bump(self.db, AREA)

    def get(self, name: str, version: int | None = None, label: str | None = None) -> dict[str, Any] | None:
        """``{version, definition}`` by label, by version, or the latest."""
        if label:
            row = self.db.query_one("SELECT e.version, e.definition FROM environment_labels l JOIN environments e "
                                    "ON e.name=l.name AND e.version=l.version WHERE l.name=? AND l.label=?",
                                    (name, label))
        elif version is not None:
            row = self.db.query_one("SELECT version, definition FROM environments WHERE name=? AND version=?",
                                    (name, version))
        else:
            row = self.db.query_one("SELECT version, definition FROM environments WHERE name=?"
                                    " ORDER BY version DESC LIMIT 1", (name,))
        return dict(row) if row is not None else None

    def latest_versions(self) -> list[dict[str, Any]]:
        """``{name, version, definition}`` of the latest version of every name, ordered by name."""
        return [dict(r) for r in self.db.query(
            "SELECT name, version, definition FROM environments e WHERE version = "
            "(SELECT MAX(version) FROM environments WHERE name = e.name) ORDER BY name")]

    def set_labels(self, name: str, version: int, labels: list[str]) -> bool:
        """Point ``labels`` at a version; False (nothing written) when the version is not registered."""
        with self.db.transaction():
            if self.db.query_one("SELECT 1 FROM environments WHERE name=? AND version=?", (name, version)) is None:
                return False
            for label in labels:
                self.db.execute("INSERT INTO environment_labels(name, label, version) VALUES (?, ?, ?)"
                                " ON CONFLICT(name, label) DO UPDATE SET version = excluded.version",
                                (name, label, version))
            bump(self.db, AREA)
        return True
