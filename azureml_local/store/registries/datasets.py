"""Saved dataset definitions, registered versions and lineage (area ``datasets``).

* ``saved_datasets``: every definition a run or registration used, by content-derived id;
* ``dataset_versions``: ``(name, version) -> saved id`` plus description and tags;
* ``dataset_lineage``: which runs/models consumed which dataset ids.
"""
from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from azureml_local.store.registries._common import bump, now

if TYPE_CHECKING:
    from azureml_local.store.db import Database

AREA = "datasets"
_JOINED = "SELECT v.*, s.definition FROM dataset_versions v JOIN saved_datasets s ON s.id = v.saved_id "


class DatasetVersionConflict(Exception):
    """``register`` found another definition under the name and no new version was asked for."""


class DatasetStore:
    def __init__(self, db: "Database"):
        self.db = db

    def save_definition(self, saved_id: str, definition: dict[str, Any]) -> None:
        """Keep a definition under its content id (idempotent; not a registry change)."""
        self.db.execute("INSERT INTO saved_datasets(id, dataset_type, definition, created)"
                        " VALUES (?,?,?,?) ON CONFLICT DO NOTHING", (saved_id, definition["kind"], json.dumps(definition), now()))

    def register(self, name: str, saved_id: str, definition: dict[str, Any], description: str | None,
                 tags: dict | None, create_new_version: bool) -> int:
        """The version of ``name`` holding ``saved_id``: the latest when it already does, else latest + 1.

        Raises ``DatasetVersionConflict`` (nothing written) when the latest differs and
        ``create_new_version`` is False.
        """
        with self.db.transaction():
            self.save_definition(saved_id, definition)
            latest = self.db.query_one("SELECT version, saved_id FROM dataset_versions WHERE name = ?"
                                       " ORDER BY version DESC LIMIT 1", (name,))
            if latest is not None and latest["saved_id"] == saved_id:
                return int(latest["version"])
            if latest is not None and not create_new_version:
                raise DatasetVersionConflict(name)
            version = (latest["version"] + 1) if latest is not None else 1
            self.db.execute("INSERT INTO dataset_versions(name, version, saved_id, registered_id, description, tags,"
                            " created) VALUES (?,?,?,?,?,?,?)",
                            (name, version, saved_id, str(uuid.uuid4()), description, json.dumps(tags or {}), now()))
            bump(self.db, AREA)
        return version

    def version(self, name: str, version: int | None = None) -> dict[str, Any] | None:
        """A registered version (the latest when ``version`` is None) with its ``definition`` text."""
        if version is None:
            row = self.db.query_one(_JOINED + "WHERE v.name = ? ORDER BY v.version DESC LIMIT 1", (name,))
        else:
            row = self.db.query_one(_JOINED + "WHERE v.name = ? AND v.version = ?", (name, version))
        return dict(row) if row is not None else None

    def registration_of(self, saved_id: str) -> dict[str, Any] | None:
        """The newest registered version holding ``saved_id``."""
        row = self.db.query_one(_JOINED + "WHERE v.saved_id = ? ORDER BY v.version DESC LIMIT 1", (saved_id,))
        return dict(row) if row is not None else None

    def definition(self, saved_id: str) -> str | None:
        row = self.db.query_one("SELECT definition FROM saved_datasets WHERE id = ?", (saved_id,))
        return row["definition"] if row is not None else None

    def latest_versions(self) -> list[dict[str, Any]]:
        """The latest version of every name, ordered by name."""
        return [dict(r) for r in self.db.query(
            _JOINED + "WHERE v.version = (SELECT MAX(version) FROM dataset_versions w WHERE w.name = v.name)"
            " ORDER BY v.name")]

    def versions(self, name: str) -> list[dict[str, Any]]:
        """Every registered version of ``name``, newest first (the Studio's dataset page)."""
        return [dict(r) for r in self.db.query(_JOINED + "WHERE v.name = ? ORDER BY v.version DESC", (name,))]

    def update(self, name: str, version: int, description: str | None, tags: dict | None) -> None:
        with self.db.transaction():
            if description is not None:
                self.db.execute("UPDATE dataset_versions SET description = ? WHERE name = ? AND version = ?",
                                (description, name, version))
            if tags is not None:
                self.db.execute("UPDATE dataset_versions SET tags = ? WHERE name = ? AND version = ?",
                                (json.dumps(tags), name, version))
            bump(self.db, AREA)

    def unregister_all_versions(self, name: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM dataset_versions WHERE name = ?", (name,))
            bump(self.db, AREA)

    def record_lineage(self, dataset_ids: list[str], consumer_kind: str, consumer_id: str, role: str) -> None:
        """Remember which datasets a run/model used (history, not registry state: no generation bump)."""
        with self.db.transaction():
            for ds_id in dataset_ids:
                self.db.execute("INSERT INTO dataset_lineage(dataset_id, consumer_kind, consumer_id, role,"
                                " created) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING", (ds_id, consumer_kind, consumer_id, role, now()))

    def lineage(self, consumer_kind: str, consumer_id: str) -> list[tuple[str, str]]:
        """``[(role, dataset id)]`` recorded for one consumer, oldest first."""
        rows = self.db.query("SELECT role, dataset_id FROM dataset_lineage WHERE consumer_kind = ? AND consumer_id = ?"
                             " ORDER BY created", (consumer_kind, consumer_id))
        return [(r["role"], r["dataset_id"]) for r in rows]
