"""Dataset objects (SDK classes) for the saved and registered datasets in the workspace database.

Lookups, saving and registering on plain values (definitions, rows) are ``data/datasets.py``;
this module turns their rows into ``TabularDataset``/``FileDataset`` objects.

* ``saved_datasets``: every definition a run or registration used, by saved id (content-derived).
* ``dataset_versions``: ``(name, version) -> saved id`` plus description/tags.

Versioning follows the service: a new name gets version 1; an existing name with the same
definition returns the existing registration; a different definition needs
``create_new_version=True`` and then gets ``latest + 1``. All in one transaction.
"""
from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from azureml_local.data import datasets

if TYPE_CHECKING:
    from azureml_local.data.abstract_dataset import AbstractDataset


_datasets = datasets.store


class _DatasetRegistration:
    def __init__(self, workspace: Any, saved_id: str | None, registered_id: str | None = None,
                 name: str | None = None, version: int | None = None, description: str | None = None,
                 tags: dict | None = None):
        self.workspace = workspace
        self.saved_id = saved_id
        self.registered_id = registered_id
        self.name = name
        self.version = version
        self.description = description
        self.tags = tags

    def __repr__(self) -> str:
        return f"DatasetRegistration(id='{self.registered_id}', name='{self.name}', version={self.version})"

    def __deepcopy__(self, memodict: dict = {}) -> "_DatasetRegistration":  # noqa: B006 - SDK signature
        return _DatasetRegistration(self.workspace, self.saved_id, self.registered_id, self.name, self.version,
                                    self.description, copy.deepcopy(self.tags))


def dataset_from_definition(ws: Any, definition: dict) -> "AbstractDataset":
    """A TabularDataset/FileDataset object for ``definition`` in workspace ``ws``."""
    # cycle: FileDataset/TabularDataset subclass AbstractDataset, whose lookups build them here
    from azureml_local.data.file_dataset import FileDataset
    from azureml_local.data.tabular_dataset import TabularDataset

    cls = TabularDataset if definition["kind"] == "tabular" else FileDataset
    return cls._create(definition, ws)


def save_definition(ws: Any, saved_id: str, definition: dict) -> None:
    _datasets(ws).save_definition(saved_id, definition)


def register(ws: Any, dataset: "AbstractDataset", name: str, description: str | None, tags: dict | None,
             create_new_version: bool) -> "AbstractDataset":
    registered = datasets.register(ws, dataset._definition, name, description, tags, create_new_version)
    return get_by_name(ws, name, registered.version)


def _row_to_dataset(ws: Any, row: Any, definition: str) -> "AbstractDataset":
    ds = dataset_from_definition(ws, json.loads(definition))
    ds._registration = _DatasetRegistration(ws, row["saved_id"], row["registered_id"], row["name"], row["version"],
                                            row["description"], json.loads(row["tags"] or "{}"))
    return ds


def get_by_name(ws: Any, name: str, version: Any = "latest") -> "AbstractDataset":
    row = datasets.row_by_name(ws, name, version)
    return _row_to_dataset(ws, row, row["definition"])


def get_dataset_by_id(ws: Any, id: str) -> "AbstractDataset":
    """The dataset saved under ``id`` (its registration, when it has one)."""
    row, definition = datasets.row_by_id(ws, id)
    if row is not None:
        return _row_to_dataset(ws, row, definition)
    ds = dataset_from_definition(ws, json.loads(definition))
    ds._registration = _DatasetRegistration(ws, id)
    return ds


def workspace_datasets(ws: Any) -> dict:
    """``{name: latest version}`` of every registered dataset (``ws.datasets``)."""
    rows = _datasets(ws).latest_versions()
    return {row["name"]: _row_to_dataset(ws, row, row["definition"]) for row in rows}


def update(ws: Any, name: str, version: int, description: str | None, tags: dict | None) -> None:
    _datasets(ws).update(name, version, description, tags)


def unregister_all_versions(ws: Any, name: str) -> None:
    _datasets(ws).unregister_all_versions(name)


def record_lineage(ws: Any, dataset_ids: list[str], consumer_kind: str, consumer_id: str, role: str = "input") -> None:
    """Remember that a run/model used these datasets (``Model.register(datasets=...)``, run inputs)."""
    _datasets(ws).record_lineage(dataset_ids, consumer_kind, consumer_id, role)


def lineage(ws: Any, consumer_kind: str, consumer_id: str) -> list[tuple[str, str]]:
    """``[(role, dataset id)]`` recorded for one consumer."""
    return _datasets(ws).lineage(consumer_kind, consumer_id)
