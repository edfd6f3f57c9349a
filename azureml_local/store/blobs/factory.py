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

Only azure-storage-blob's module imports it, and only inside functions (here and in
:mod:`.shared`), so ``import azureml.core`` stays light.
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
from azureml_local.store.blobs.folder import FolderBlobStore
from azureml_local.store.blobs.shared import CONNECTION_STRING_ENV, connect

__all__ = ["CONNECTION_STRING_ENV", "STORAGE_ENV", "connect", "open_blob_store"]

STORAGE_ENV = "AZUREML_LOCAL_STORAGE"
_BACKENDS = ("azurite", "folder")
_fallback_noticed = False
_lock = threading.Lock()
_own: dict[tuple[str, int], BlobStore] = {}


def _workspace_setting(workspace_folder: Path) -> Any:
    try:
        return json.loads((workspace_folder / "workspace.json").read_text()).get("storage")
    except (OSError, ValueError, AttributeError):
        return None


def _folder_store(workspace_folder: Path) -> BlobStore:
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
    from azureml_local.store.azurite import AzuriteNotAvailableError  # heavy: filelock, psutil
    from azureml_local.store.blobs.own_azurite import OwnAzuriteBlobStore  # heavy: filelock, psutil

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
