"""Saved and registered datasets in the workspace database.

* ``saved_datasets``: every definition a run or registration used, by saved id (content-derived).
* ``dataset_versions``: ``(name, version) -> saved id`` plus description/tags.

Versioning follows the service: a new name gets version 1; an existing name with the same
definition returns the existing registration; a different definition needs
``create_new_version=True`` and then gets ``latest + 1``. All in one transaction.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException

if TYPE_CHECKING:
    from azureml_local.data.abstract_dataset import AbstractDataset


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def save_definition(ws: Any, saved_id: str, definition: dict) -> None:
    ws._store.execute("INSERT OR IGNORE INTO saved_datasets(id, dataset_type, definition, created) VALUES (?,?,?,?)",
                      (saved_id, definition["kind"], json.dumps(definition), _now()))


def register(ws: Any, dataset: "AbstractDataset", name: str, description: str | None, tags: dict | None,
             create_new_version: bool) -> "AbstractDataset":
    if not isinstance(name, str) or not name.strip():
        raise UserErrorException("The dataset name must be a non-empty string.")
    saved = dataset._definition_id()
    with ws._store.transaction() as conn:
        save_definition(ws, saved, dataset._definition)
        latest = conn.execute("SELECT * FROM dataset_versions WHERE name = ? ORDER BY version DESC LIMIT 1",
                              (name,)).fetchone()
        if latest is not None and latest["saved_id"] == saved:
            version = latest["version"]
        elif latest is not None and not create_new_version:
            raise UserErrorException(
                f'There is already a dataset registered under name "{name}". Specify `create_new_version=True` to '
                "register the dataset as a new version. Use `update`, `add_tags`, or `remove_tags` to change only "
                "the description or tags.")
        else:
            version = (latest["version"] + 1) if latest is not None else 1
            conn.execute("INSERT INTO dataset_versions(name, version, saved_id, registered_id, description, tags,"
                         " created) VALUES (?,?,?,?,?,?,?)",
                         (name, version, saved, str(uuid.uuid4()), description, json.dumps(tags or {}), _now()))
    return get_by_name(ws, name, version)


def _row_to_dataset(ws: Any, row: Any, definition: str) -> "AbstractDataset":
    from azureml_local.data.abstract_dataset import _DatasetRegistration, dataset_from_definition

    ds = dataset_from_definition(ws, json.loads(definition))
    ds._registration = _DatasetRegistration(ws, row["saved_id"], row["registered_id"], row["name"], row["version"],
                                            row["description"], json.loads(row["tags"] or "{}"))
    return ds


def get_by_name(ws: Any, name: str, version: Any = "latest") -> "AbstractDataset":
    if version != "latest" and version is not None:
        try:
            version = int(version)
        except (TypeError, ValueError):
            raise UserErrorException(f'Invalid value {version} for version. Version value must be number or "latest".')
        row = ws._store.query_one(
            "SELECT v.*, s.definition FROM dataset_versions v JOIN saved_datasets s ON s.id = v.saved_id "
            "WHERE v.name = ? AND v.version = ?", (name, version))
    else:
        version = None  # the SDK's message then reads "(version: None)"
        row = ws._store.query_one(
            "SELECT v.*, s.definition FROM dataset_versions v JOIN saved_datasets s ON s.id = v.saved_id "
            "WHERE v.name = ? ORDER BY v.version DESC LIMIT 1", (name,))
    if row is None:
        raise UserErrorException('Cannot find dataset registered with name "{}"{} in the workspace.'.format(
            name, "" if version == "latest" else f" (version: {version})"))
    return _row_to_dataset(ws, row, row["definition"])


def get_dataset_by_id(ws: Any, id: str) -> "AbstractDataset":
    """The dataset saved under ``id`` (its registration, when it has one)."""
    from azureml_local.data.abstract_dataset import _DatasetRegistration, dataset_from_definition

    row = ws._store.query_one(
        "SELECT v.*, s.definition FROM dataset_versions v JOIN saved_datasets s ON s.id = v.saved_id "
        "WHERE v.saved_id = ? ORDER BY v.version DESC LIMIT 1", (id,))
    if row is not None:
        return _row_to_dataset(ws, row, row["definition"])
    saved = ws._store.query_one("SELECT definition FROM saved_datasets WHERE id = ?", (id,))
    if saved is None:
        raise UserErrorException(f'Cannot find dataset with id "{id}" in the workspace.')
    ds = dataset_from_definition(ws, json.loads(saved["definition"]))
    ds._registration = _DatasetRegistration(ws, id)
    return ds


def workspace_datasets(ws: Any) -> dict:
    """``{name: latest version}`` of every registered dataset (``ws.datasets``)."""
    rows = ws._store.query(
        "SELECT v.*, s.definition FROM dataset_versions v JOIN saved_datasets s ON s.id = v.saved_id "
        "WHERE v.version = (SELECT MAX(version) FROM dataset_versions w WHERE w.name = v.name) ORDER BY v.name")
    return {row["name"]: _row_to_dataset(ws, row, row["definition"]) for row in rows}


def update(ws: Any, name: str, version: int, description: str | None, tags: dict | None) -> None:
    with ws._store.transaction() as conn:
        if description is not None:
            conn.execute("UPDATE dataset_versions SET description = ? WHERE name = ? AND version = ?",
                         (description, name, version))
        if tags is not None:
            conn.execute("UPDATE dataset_versions SET tags = ? WHERE name = ? AND version = ?",
                         (json.dumps(tags), name, version))


def unregister_all_versions(ws: Any, name: str) -> None:
    ws._store.execute("DELETE FROM dataset_versions WHERE name = ?", (name,))


def record_lineage(ws: Any, dataset_ids: list[str], consumer_kind: str, consumer_id: str, role: str = "input") -> None:
    """Remember that a run/model used these datasets (``Model.register(datasets=...)``, run inputs)."""
    with ws._store.transaction() as conn:
        for ds_id in dataset_ids:
            conn.execute("INSERT OR IGNORE INTO dataset_lineage(dataset_id, consumer_kind, consumer_id, role, created)"
                         " VALUES (?,?,?,?,?)", (ds_id, consumer_kind, consumer_id, role, _now()))


def lineage(ws: Any, consumer_kind: str, consumer_id: str) -> list[tuple[str, str]]:
    """``[(role, dataset id)]`` recorded for one consumer."""
    rows = ws._store.query("SELECT role, dataset_id FROM dataset_lineage WHERE consumer_kind = ? AND consumer_id = ?"
                           " ORDER BY created", (consumer_kind, consumer_id))
    return [(r["role"], r["dataset_id"]) for r in rows]
