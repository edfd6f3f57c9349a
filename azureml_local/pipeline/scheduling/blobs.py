"""What a datastore schedule watches: the blobs directly under ``container/path_on_datastore``.

As in the cloud, blobs in subfolders of the path are not watched, and a blob counts as new or
changed when its ``(name, etag)`` was neither present when watching began (the baseline) nor
fired already. Datastores resolve through the data engine (``data/stores.py``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from azureml_local.data import stores

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

BLOB_DATASTORE_TYPE = "AzureBlob"
NOT_BLOB_MESSAGE = "Datastore must be of type AzureBlobDatastore"


def check_blob_datastore(ctx: "WorkspaceContext", datastore_name: str) -> None:
    """``ValueError`` (the SDK's message) unless ``datastore_name`` is a registered blob datastore."""
    row = stores.datastore_row(ctx, datastore_name)
    if row["datastore_type"] != BLOB_DATASTORE_TYPE:
        raise ValueError(NOT_BLOB_MESSAGE)


def prefix_of(path_on_datastore: str | None) -> str:
    path = (path_on_datastore or "").strip("/")
    return path + "/" if path else ""


def watched_blobs(ctx: "WorkspaceContext", datastore_name: str, path_on_datastore: str | None) -> list[tuple[str, str]]:
    """``(blob name, etag)`` of every blob directly under the watched path, sorted by name."""
    store, container = stores.resolve(ctx, datastore_name)
    prefix = prefix_of(path_on_datastore)
    return [(b.name, b.etag) for b in store.list_blobs(container, prefix) if "/" not in b.name[len(prefix):]]
