"""Choose the blob backend for a workspace.

(Stub: the Azurite/Azure choice lands with the Azurite issue work; until then
every workspace uses the plain-folder backend under ``<workspace>/blobs``.)
"""
from __future__ import annotations

from pathlib import Path

from azureml_local.store.blobs.base import BlobStore


def open_blob_store(workspace_folder: Path) -> BlobStore:
    from azureml_local.store.blobs.folder import FolderBlobStore

    return FolderBlobStore(Path(workspace_folder) / "blobs")
