"""Choose the blob backend of a workspace (see docs/storage.md for every switch).

Order of precedence:

1. ``AZUREML_LOCAL_STORAGE_CONNECTION_STRING`` - an external Azurite (e.g. docker
   compose) or a real storage account; nothing is started.
2. ``AZUREML_LOCAL_STORAGE=folder|azurite`` - force a backend.
3. ``"storage"`` in the workspace's ``workspace.json``: ``"folder"``, ``"azurite"`` or
   ``{"connection_string": "..."}``.
4. Default ``azurite``: start (or reuse) the workspace's own Azurite (a store that finds it
   again when it was restarted, see :mod:`azureml_local.store.blobs.own_azurite`). When Node or
   the azurite-blob executable is missing, fall back to the plain-folder backend
   with one line on stderr (once per process) saying why and how to get Azurite.

Only azure-storage-blob's module imports it, and only here inside a function, so
``import azureml.core`` stays light.
"""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from azureml_local.exceptions import UserErrorException
from azureml_local.store.blobs.base import BlobStore

CONNECTION_STRING_ENV = "AZUREML_LOCAL_STORAGE_CONNECTION_STRING"
STORAGE_ENV = "AZUREML_LOCAL_STORAGE"
_BACKENDS = ("azurite", "folder")
_fallback_noticed = False
_lock = threading.Lock()
_shared: dict[tuple[str, int], BlobStore] = {}
_own: dict[tuple[str, int], BlobStore] = {}


def _workspace_setting(workspace_folder: Path) -> Any:
    try:
        return json.loads((workspace_folder / "workspace.json").read_text()).get("storage")
    except (OSError, ValueError, AttributeError):
        return None


def connect(connection_string: str, source: str = CONNECTION_STRING_ENV) -> BlobStore:
    """The process's shared :class:`AzureBlobStore` for a connection string (one client and
    connection pool per account and process, however many Workspace objects are opened; its
    ``close()`` is a no-op). A malformed string is a UserErrorException naming ``source``."""
    from azureml_local.store.blobs.azure import AzureBlobStore

    key = (connection_string, os.getpid())  # never share HTTP connections across fork()
    with _lock:
        store = _shared.get(key)
        if store is not None:
            return store
        try:
            store = AzureBlobStore(connection_string)
        except ValueError as exc:
            raise UserErrorException(
                f"The storage connection string in {source} is malformed ({exc}). Expected e.g. "
                "'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;"
                "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;' (see docs/storage.md).") from None
        store._shared = True
        _shared[key] = store
        return store


def _folder_store(workspace_folder: Path) -> BlobStore:
    from azureml_local.store.blobs.folder import FolderBlobStore

    return FolderBlobStore(workspace_folder / "blobs")


def _notice_fallback(reason: str) -> None:
    global _fallback_noticed
    if not _fallback_noticed:
        _fallback_noticed = True
        print(f"azureml-local: blob storage uses a plain folder, not Azurite: {reason}", file=sys.stderr)


def open_blob_store(workspace_folder: Path) -> BlobStore:
    """The blob store of the workspace in ``workspace_folder``."""
    workspace_folder = Path(workspace_folder)
    conn = os.environ.get(CONNECTION_STRING_ENV, "").strip()
    if conn:
        return connect(conn)
    setting = _workspace_setting(workspace_folder)
    backend = os.environ.get(STORAGE_ENV, "").strip().lower()
    if not backend:
        if isinstance(setting, dict) and setting.get("connection_string"):
            return connect(setting["connection_string"], f"{workspace_folder / 'workspace.json'} (storage)")
        backend = (setting if isinstance(setting, str) else "azurite").lower()
    if backend not in _BACKENDS:
        raise UserErrorException(f"Unknown blob storage backend {backend!r} (from {STORAGE_ENV} or workspace.json); "
                                 f"use one of {', '.join(_BACKENDS)}, or set {CONNECTION_STRING_ENV}.")
    if backend == "folder":
        return _folder_store(workspace_folder)
    return _own_azurite(workspace_folder)


def _own_azurite(workspace_folder: Path) -> BlobStore:
    """The workspace's own Azurite, behind a store that finds it again after a restart (one per
    workspace and process); the folder backend when Node or Azurite is missing."""
    from azureml_local.store.azurite import AzuriteNotAvailableError
    from azureml_local.store.blobs.own_azurite import OwnAzuriteBlobStore

    key = (str(workspace_folder.absolute()), os.getpid())
    with _lock:
        store = _own.get(key)
    if store is not None:
        return store
    try:
        store = OwnAzuriteBlobStore(workspace_folder)
    except AzuriteNotAvailableError as exc:
        _notice_fallback(exc.message)
        return _folder_store(workspace_folder)
    with _lock:
        return _own.setdefault(key, store)
