"""Datastores as plain values: a registered name -> its row -> ``(BlobStore, container)``.

The data engine below the SDK classes (no ``Datastore`` object here): job binding, the pipeline
engine and the SDK's datastore classes all resolve datastores through these functions, from the
rows in ``ctx.registries.datastores``. Every datastore kind is one blob container
(``docs/data.md``) in the workspace's storage, or in the account named by a registered
``connection_string``. ``ws`` is a ``WorkspaceContext`` or anything answering to its names.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException
from azureml_local.store.containers import default_blob_container, file_share_container
from azureml_local.store.local_files import folder_items
from azureml_local.store.registries.datastores import AREA, DEFAULT_BLOB, DEFAULT_FILE

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore
    from azureml_local.store.registries.datastores import DatastoreStore


def registry(ws: Any) -> "DatastoreStore":
    """The datastore rows, with the two workspace datastores added once per workspace handle."""
    store = ws._context.registries.datastores
    if not getattr(ws, "_data_builtin_ready", False):
        store.ensure_builtin(default_blob_container(ws), file_share_container(ws))
        ws._data_builtin_ready = True
    return store


def datastore_row(ws: Any, name: str) -> dict:
    """The row of datastore ``name`` (``UserErrorException`` naming the registered ones when missing)."""
    store = registry(ws)
    row = store.get(name.lower() if name else name)
    if row is None:
        known = ", ".join(store.names())
        raise UserErrorException(
            f"(UserError) No datastore named '{name}' is registered in workspace '{ws.name}' "
            f"(registered: {known}). Register it with Datastore.register_azure_blob_container(...) first.")
    return row


def default_name(ws: Any) -> str:
    """Name of the workspace's default datastore (``workspaceblobstore`` unless changed)."""
    return ws._context.registries.datastores.default_name()


def set_default(ws: Any, name: str) -> None:
    """Make ``name`` the default datastore (it must be registered)."""
    datastore_row(ws, name)
    ws._context.registries.datastores.set_default(name.lower())


def unregister(ws: Any, name: str) -> None:
    """Unregister a datastore (its container and blobs are left untouched, as in Azure)."""
    if name in (DEFAULT_BLOB, DEFAULT_FILE):
        raise UserErrorException(f"(UserError) '{name}' is a workspace datastore and cannot be unregistered.")
    if not registry(ws).delete(name):
        raise UserErrorException(f"(UserError) No datastore named '{name}' is registered in workspace "
                                 f"'{ws.name}', so it cannot be unregistered.")


def blob_store(ws: Any, name: str, config: dict) -> "BlobStore":
    """The workspace's storage, or the account named by a registered ``connection_string``.

    The connection is kept on the workspace context until the datastores registry changes.
    """
    conn = (config or {}).get("connection_string")
    if not conn:
        return ws._blobs
    from azureml_local.store.blobs.factory import connect

    return ws._context.cached(AREA, ("connection", conn), lambda: connect(conn, f"datastore '{name}'"))


def ensure_container(store: "BlobStore", container: str, name: str, config: dict, create: bool = False) -> str:
    """``container`` after making sure it exists (workspace containers are created on first use)."""
    if not store.container_exists(container):
        if bool((config or {}).get("workspace_managed")) or create:
            store.create_container(container)
        else:
            raise UserErrorException(
                f"The container '{container}' of datastore '{name}' does not exist. "
                "Register the datastore with create_if_not_exists=True to create it.")
    return container


def resolve(ws: Any, name: str, create: bool = False) -> tuple["BlobStore", str]:
    """``(blob store, container)`` of datastore ``name``, the container checked (or created)."""
    row = datastore_row(ws, name)
    if not row.get("container_name"):
        raise UserErrorException(f"Datastore '{name}' ({row['datastore_type']}) cannot hold pipeline data "
                                 "locally; use an Azure Blob or File datastore.")
    store = blob_store(ws, row["name"], row["config"])
    return store, ensure_container(store, row["container_name"], row["name"], row["config"], create)


def container_for(ws: Any, datastore_name: str | None) -> tuple["BlobStore", str]:
    """``(blob store, container)`` behind a datastore name (``None`` -> the default datastore).

    Cached on the workspace context until the datastores registry changes: resolving checks
    (and creates) the container over HTTP, which would otherwise cost a round trip per step
    output, and a re-registration (``overwrite=True``, in any process) must be seen at once.
    """
    ctx = ws._context
    name = datastore_name or ctx.registries.datastores.default_name()
    return ctx.cached(AREA, ("container", name), lambda: resolve(ws, name, create=True))


def upload_folder(ws: Any, datastore_name: str, path: str, local_dir: Path, overwrite: bool = True,
                  source_globs: list[str] | None = None) -> int:
    """Upload an output folder to ``datastore/path``; returns the number of files.

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


def download_prefix(ws: Any, datastore_name: str, path: str, local_dir: Path) -> Path:
    """Fetch ``datastore/path`` (a folder or one file) into ``local_dir``; returns the local path."""
    store, container = container_for(ws, datastore_name)
    path = path.strip("/")
    single = store.get_info(container, path) if path else None
    if single is not None:
        target = local_dir / Path(path).name
        store.download_file(container, path, target)
        return target
    pairs = [(b.name, str(local_dir / b.name[len(path):].lstrip("/")))
             for b in store.list_blobs(container, path + "/" if path else "")]
    local_dir.mkdir(parents=True, exist_ok=True)
    if pairs:
        store.download_files(container, pairs)
    return local_dir
