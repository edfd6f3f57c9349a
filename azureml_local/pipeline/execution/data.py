"""Data for step runs: datastore blobs <-> local folders, and the identity of inputs for reuse.

Datasets and datastore paths go through the data layer (``azureml_local.data``); step
outputs never leave the machine on their way to the next step: the consumer reads the
producer's local folder while the upload to the datastore runs in the background.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from azureml_local.data import dataset_registry, datastore_registry, run_inputs
from azureml_local.exceptions import UserErrorException
from azureml_local.store.local_files import folder_items
from azureml_local.store.registries.datastores import AREA as DATASTORES

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore
    from azureml_local.workspace import Workspace


def container_for(ws: "Workspace", datastore_name: str | None) -> tuple["BlobStore", str]:
    """``(blob store, container)`` behind a datastore name (``None`` -> the default datastore).

    Cached on the workspace context until the datastores registry changes: resolving checks
    (and creates) the container over HTTP, which would otherwise cost a round trip per step
    output, and a re-registration (``overwrite=True``, in any process) must be seen at once.
    """
    ctx = ws._context
    name = datastore_name or ctx.registries.datastores.default_name()
    return ctx.cached(DATASTORES, ("container", name), lambda: _resolve_container(ws, name))


def _resolve_container(ws: "Workspace", name: str) -> tuple["BlobStore", str]:
    datastore = datastore_registry.load_datastore(ws, name)
    container_fn = getattr(datastore, "_container", None)
    if container_fn is None:
        raise UserErrorException(f"Datastore '{name}' ({datastore.datastore_type}) cannot hold pipeline data "
                                 "locally; use an Azure Blob or File datastore.")
    return datastore._blob_store(), container_fn(create=True)


def default_datastore_name(ws: "Workspace") -> str:
    return datastore_registry.get_default_name(ws)


def upload_folder(ws: "Workspace", datastore_name: str, path: str, local_dir: Path, overwrite: bool = True,
                  source_globs: list[str] | None = None) -> int:
    """Upload a step's output folder to ``datastore/path``; returns the number of files.

    ``source_globs`` (``as_upload(source_globs=...)``) keeps only matching files (paths relative to
    the output folder, git wildmatch: ``*`` stays within a folder, ``**`` crosses folders, a glob
    without ``/`` matches at any depth); ``overwrite=False`` fails on an existing blob, as the SDK's upload does.
    """
    import pathspec

    items = folder_items(local_dir, path)
    if not items:
        return 0  # an empty output needs no container round trip
    store, container = container_for(ws, datastore_name)
    if source_globs:
        prefix = len(path.strip("/")) + 1 if path.strip("/") else 0
        globs = pathspec.PathSpec.from_lines("gitignore", [g.lstrip("./") for g in source_globs])
        items = [(blob, full) for blob, full in items if globs.match_file(blob[prefix:])]
    if items:
        store.upload_files(container, items, overwrite=overwrite)
    return len(items)


def prepare_reference(ws: "Workspace", name: str, datastore_name: str, path: str, mode: str,
                      path_on_compute: str | None, run_dir: Path) -> str:
    """Local path of a datastore path input (downloads cached by etag in the data layer)."""
    value, _env = run_inputs.prepare_input(ws, {"kind": "datastore_path", "name": name, "datastore": datastore_name,
                                               "path": path, "mode": mode, "path_on_compute": path_on_compute},
                                           run_dir)
    return value


def download_prefix(ws: "Workspace", datastore_name: str, path: str, local_dir: Path) -> Path:
    """Fetch ``datastore/path`` (a folder or one file) into ``local_dir``; returns the local path."""
    store, container = container_for(ws, datastore_name)
    path = path.strip("/")
    single = store.get_info(container, path) if path else None
    if single is not None:
        target = local_dir / Path(path).name
        store.download_file(container, path, target)
        return target
    pairs = [(b.name, str(local_dir / b.name[len(path):].lstrip("/"))) for b in store.list_blobs(container, path + "/" if path else "")]
    local_dir.mkdir(parents=True, exist_ok=True)
    if pairs:
        store.download_files(container, pairs)
    return local_dir


def blob_identity(ws: "Workspace", datastore_name: str, path: str) -> str:
    """Content identity of a datastore path: names, sizes and etags of the blobs it covers (the data layer's)."""
    return run_inputs.datastore_path_identity(ws, datastore_name, path)


def dataset_identity(ws: "Workspace", dataset: dict) -> str:
    """Content identity of a dataset input (definition + etags), from the data layer."""
    return run_inputs.dataset_identity(ws, dataset)


def _dataset_object(ws: "Workspace", dataset: dict) -> Any:
    return dataset_registry.get_dataset_by_id(ws, dataset["id"])


def resolve_datapath(value: Any) -> tuple[str | None, str]:
    """``(datastore, path)`` of a DataPath parameter value as stored in the definition/parameters."""
    if isinstance(value, dict):
        return value.get("datastore") or value.get("datastore_name"), value.get("path") or value.get("path_on_datastore") or ""
    if isinstance(value, str):
        return None, value
    raise UserErrorException(f"A DataPath pipeline parameter got a value of type {type(value).__name__}; "
                             "pass a DataPath(datastore, path_on_datastore).")
