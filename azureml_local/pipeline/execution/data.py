"""Data for step runs: datastore blobs <-> local folders, and the identity of inputs for reuse.

The work is the data engine's (``azureml_local.data.stores``, ``run_inputs``; plain values, no SDK
object): this module is what the pipeline engine calls. Step outputs never leave the machine on
their way to the next step: the consumer reads the producer's local folder while the upload to
the datastore runs in the background.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from azureml_local.data import run_inputs, stores
from azureml_local.data.stores import container_for, download_prefix, upload_folder  # noqa: F401 - engine API
from azureml_local.exceptions import UserErrorException


def default_datastore_name(ws: Any) -> str:
    return stores.default_name(ws)


def prepare_reference(ws: Any, name: str, datastore_name: str, path: str, mode: str,
                      path_on_compute: str | None, run_dir: Path) -> str:
    """Local path of a datastore path input (downloads cached by etag in the data layer)."""
    value, _env = run_inputs.prepare_input(ws, {"kind": "datastore_path", "name": name, "datastore": datastore_name,
                                               "path": path, "mode": mode, "path_on_compute": path_on_compute},
                                           run_dir)
    return value


def blob_identity(ws: Any, datastore_name: str, path: str) -> str:
    """Content identity of a datastore path: names, sizes and etags of the blobs it covers (the data layer's)."""
    return run_inputs.datastore_path_identity(ws, datastore_name, path)


def dataset_identity(ws: Any, dataset: dict) -> str:
    """Content identity of a dataset input (definition + etags), from the data layer."""
    return run_inputs.dataset_identity(ws, dataset)


def resolve_datapath(value: Any) -> tuple[str | None, str]:
    """``(datastore, path)`` of a DataPath parameter value as stored in the definition/parameters."""
    if isinstance(value, dict):
        return value.get("datastore") or value.get("datastore_name"), value.get("path") or value.get("path_on_datastore") or ""
    if isinstance(value, str):
        return None, value
    raise UserErrorException(f"A DataPath pipeline parameter got a value of type {type(value).__name__}; "
                             "pass a DataPath(datastore, path_on_datastore).")
