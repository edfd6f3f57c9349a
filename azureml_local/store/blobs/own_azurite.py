"""The blob store of a workspace's *own* Azurite: survives that Azurite being restarted.

The workspace's Azurite may stop while clients still hold its endpoint: stopped by hand
(``azureml-local service stop``), killed, or stopped by its watchdog after an idle period
(:mod:`azureml_local.store.azurite_watchdog`). A long-lived process (the runner, a notebook's
``Workspace``) would then keep calling a dead port. This store notices the connection failure,
runs :func:`~azureml_local.store.azurite.ensure_azurite` again (which reuses an instance another
process restarted, or starts one, on the previous port when it is free), switches to the
endpoint it returns and retries the operation once. Nothing was done by the failed attempt
(the connection was refused), so the retry is safe.

Only for the workspace-owned Azurite: an external connection string (docker, a real account)
is used as is and fails with the plain "Cannot reach blob storage" message.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from azureml_local.store.azurite import ensure_azurite
from azureml_local.store.blobs.base import BlobStore, BlobStoreUnreachableError
from azureml_local.store.blobs.shared import connect


def _retried(name: str) -> Callable[..., Any]:
    """A method that calls the current store's ``name`` and, if Azurite is unreachable, reconnects once."""
    def method(self: "OwnAzuriteBlobStore", *args: Any, **kwargs: Any) -> Any:
        store = self._current
        try:
            return getattr(store, name)(*args, **kwargs)
        except BlobStoreUnreachableError:
            if not self.folder.is_dir():  # the workspace was deleted: do not start an Azurite for it
                raise
            return getattr(self._reconnect(store), name)(*args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = getattr(BlobStore, name).__doc__
    return method


class OwnAzuriteBlobStore(BlobStore):
    """Delegates to the shared :class:`AzureBlobStore` of the workspace's current Azurite endpoint."""

    kind = "azurite"

    def __init__(self, workspace_folder: Path):
        self.folder = Path(workspace_folder)
        self._lock = threading.Lock()
        self._current = self._open()

    def _open(self) -> BlobStore:
        instance = ensure_azurite(self.folder)
        return connect(instance.connection_string, instance.blob_endpoint)

    def _reconnect(self, failed: BlobStore) -> BlobStore:
        """The store of the (re)started Azurite; threads that failed together reconnect once."""
        with self._lock:
            if self._current is failed:
                self._current = self._open()
            return self._current

    @property
    def account_url(self) -> str:
        return self._current.account_url  # type: ignore[attr-defined]

    create_container = _retried("create_container")
    container_exists = _retried("container_exists")
    delete_container = _retried("delete_container")
    upload_bytes = _retried("upload_bytes")
    upload_file = _retried("upload_file")
    upload_files = _retried("upload_files")
    download_bytes = _retried("download_bytes")
    download_file = _retried("download_file")
    download_files = _retried("download_files")
    get_info = _retried("get_info")
    list_blobs = _retried("list_blobs")
    delete_blob = _retried("delete_blob")
    delete_prefix = _retried("delete_prefix")
    copy_blob = _retried("copy_blob")

    @property
    def inner(self) -> BlobStore:
        """The store of the current endpoint (server-side copies compare accounts through it)."""
        return self._current

    def url(self, container: str, name: str = "") -> str:
        return self._current.url(container, name)

    def close(self) -> None:
        """A no-op, like the shared stores it delegates to."""
