"""Datasets as plain values: definitions (dicts) and their saved/registered rows.

The data engine below the SDK classes (no ``Dataset`` object here): job binding, the pipeline
engine and the SDK's dataset classes look datasets up, save and register them through these
functions, on ``ctx.registries.datasets``. A *dataset reference* is what a job spec or a pipeline
definition holds (``AbstractDataset._to_definition()``): ``{id, name, version}`` for a registered
dataset, ``{id, definition}`` for an unregistered one, ``consume_latest`` for ``as_named_input``
of a dataset fetched by name. :func:`entry` turns one into ``{id, name, version, definition}``.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NamedTuple

from azureml_local.data import definition as defs
from azureml_local.data.resolve import resolve
from azureml_local.exceptions import UserErrorException
from azureml_local.store.registries.datasets import DatasetVersionConflict

if TYPE_CHECKING:
    from azureml_local.store.registries.datasets import DatasetStore

HDFS_UNSUPPORTED = ("as_hdfs() is not supported by azureml-local: HDFS mode needs a Synapse Spark pool. Use "
                    "as_download() or as_mount() to get the files as a local folder instead.")


class Registered(NamedTuple):
    """One registered dataset version (what registering an output returns)."""

    id: str
    name: str
    version: int


def store(ws: Any) -> "DatasetStore":
    """The saved/registered dataset rows of the workspace."""
    return ws._context.registries.datasets


def save(ws: Any, definition: dict) -> str:
    """Save ``definition`` in the workspace; returns its (content-derived) saved id."""
    saved = defs.saved_id(definition)
    store(ws).save_definition(saved, definition)
    return saved


def register(ws: Any, definition: dict, name: str, description: str | None, tags: dict | None,
             create_new_version: bool) -> Registered:
    """Register ``definition`` under ``name`` (see ``store/registries/datasets.py`` for the versioning rules)."""
    if not isinstance(name, str) or not name.strip():
        raise UserErrorException("The dataset name must be a non-empty string.")
    saved = defs.saved_id(definition)
    try:
        version = store(ws).register(name, saved, definition, description, tags, create_new_version)
    except DatasetVersionConflict:
        raise UserErrorException(
            f'There is already a dataset registered under name "{name}". Specify `create_new_version=True` to '
            "register the dataset as a new version. Use `update`, `add_tags`, or `remove_tags` to change only "
            "the description or tags.") from None
    return Registered(saved, name, int(version))


def row_by_name(ws: Any, name: str, version: Any = "latest") -> dict:
    """The registration row of ``name`` at ``version`` (a number or ``'latest'``)."""
    if version != "latest" and version is not None:
        try:
            version = int(version)
        except (TypeError, ValueError):
            raise UserErrorException(f'Invalid value {version} for version. Version value must be number or "latest".')
        row = store(ws).version(name, version)
    else:
        version = None  # the SDK's message then reads "(version: None)"
        row = store(ws).version(name)
    if row is None:
        raise UserErrorException('Cannot find dataset registered with name "{}"{} in the workspace.'.format(
            name, "" if version == "latest" else f" (version: {version})"))
    return row


def row_by_id(ws: Any, id: str) -> tuple[dict | None, str]:
    """``(registration row or None, definition JSON)`` of the dataset saved under ``id``."""
    row = store(ws).registration_of(id)
    if row is not None:
        return row, row["definition"]
    saved = store(ws).definition(id)
    if saved is None:
        raise UserErrorException(f'Cannot find dataset with id "{id}" in the workspace.')
    return None, saved


def _entry(definition: dict, row: dict | None) -> dict:
    return {"id": defs.saved_id(definition), "name": row["name"] if row else None,
            "version": row["version"] if row else None, "definition": definition}


def entry(ws: Any, reference: Any) -> dict:
    """``{id, name, version, definition}`` of a dataset reference (saved in the workspace).

    ``reference``: a dict as above, a PipelineParameter (its default) or any object with
    ``_to_definition()`` (the SDK's datasets, for callers that hold one).
    """
    reference = getattr(reference, "default_value", reference)  # PipelineParameter: its default
    if not isinstance(reference, dict) and hasattr(reference, "_definition") and hasattr(reference, "_consume_latest"):
        reference = reference._to_definition()  # an SDK dataset object
    if not isinstance(reference, dict):
        raise UserErrorException(f"Cannot consume {type(reference).__name__} as a dataset input here; step outputs "
                                 "are resolved by the pipeline engine.")
    if reference.get("name"):
        version = "latest" if reference.get("consume_latest") else reference.get("version") or "latest"
        row = row_by_name(ws, reference["name"], version)
        return _entry(json.loads(row["definition"]), row)
    if reference.get("definition"):
        definition = reference["definition"]
        save(ws, definition)
        return _entry(definition, None)
    row, definition_json = row_by_id(ws, reference["id"])
    return _entry(json.loads(definition_json), row)


def apply_file_transforms(files: list, transforms: list[dict]) -> list:
    """take/skip/take_sample/random_split on the file list."""
    import numpy as np

    for t in transforms:
        op = t["op"]
        if op == "take":
            files = files[:t["count"]]
        elif op == "skip":
            files = files[t["count"]:]
        elif op in ("take_sample", "random_split"):
            p = t.get("probability", t.get("percentage"))
            mask = np.random.default_rng(t.get("seed") or 0).random(len(files)) < p
            keep = mask if op == "take_sample" or t.get("part", 0) == 0 else ~mask
            files = [f for f, k in zip(files, keep) if k]
    return files


def files(ws: Any, definition: dict) -> list:
    """The files a file dataset's definition covers, its transforms applied (``SourceFile`` list)."""
    return apply_file_transforms(resolve(ws, definition), definition.get("transforms", []))
