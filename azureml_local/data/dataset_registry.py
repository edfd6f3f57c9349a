"""Saved and registered datasets in the workspace database.

* ``saved_datasets``: every definition a run or registration used, by saved id (content-derived).
* ``dataset_versions``: ``(name, version) -> saved id`` plus description/tags.

Versioning follows the service: a new name gets version 1; an existing name with the same
definition returns the existing registration; a different definition needs
``create_new_version=True`` and then gets ``latest + 1``. All in one transaction.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException
from azureml_local.store.registries.datasets import DatasetStore, DatasetVersionConflict

if TYPE_CHECKING:
    from azureml_local.data.abstract_dataset import AbstractDataset


def _datasets(ws: Any) -> DatasetStore:
    return ws._context.registries.datasets


def save_definition(ws: Any, saved_id: str, definition: dict) -> None:
    _datasets(ws).save_definition(saved_id, definition)


def register(ws: Any, dataset: "AbstractDataset", name: str, description: str | None, tags: dict | None,
             create_new_version: bool) -> "AbstractDataset":
    if not isinstance(name, str) or not name.strip():
        raise UserErrorException("The dataset name must be a non-empty string.")
    try:
        version = _datasets(ws).register(name, dataset._definition_id(), dataset._definition, description, tags,
                                         create_new_version)
    except DatasetVersionConflict:
        raise UserErrorException(
            f'There is already a dataset registered under name "{name}". Specify `create_new_version=True` to '
            "register the dataset as a new version. Use `update`, `add_tags`, or `remove_tags` to change only "
            "the description or tags.") from None
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
        row = _datasets(ws).version(name, version)
    else:
        version = None  # the SDK's message then reads "(version: None)"
        row = _datasets(ws).version(name)
    if row is None:
        raise UserErrorException('Cannot find dataset registered with name "{}"{} in the workspace.'.format(
            name, "" if version == "latest" else f" (version: {version})"))
    return _row_to_dataset(ws, row, row["definition"])


def get_dataset_by_id(ws: Any, id: str) -> "AbstractDataset":
    """The dataset saved under ``id`` (its registration, when it has one)."""
    from azureml_local.data.abstract_dataset import _DatasetRegistration, dataset_from_definition

    row = _datasets(ws).registration_of(id)
    if row is not None:
        return _row_to_dataset(ws, row, row["definition"])
    saved = _datasets(ws).definition(id)
    if saved is None:
        raise UserErrorException(f'Cannot find dataset with id "{id}" in the workspace.')
    ds = dataset_from_definition(ws, json.loads(saved))
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
