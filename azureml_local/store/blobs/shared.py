"""The process's shared blob store per connection string (one client and connection pool per account
and process). Its own module so that :mod:`.factory` and :mod:`.own_azurite` (which the factory
builds) both import it at module level."""
from __future__ import annotations

import os
import threading

from azureml_local.exceptions import UserErrorException
from azureml_local.store.blobs.base import BlobStore

CONNECTION_STRING_ENV = "AZUREML_LOCAL_STORAGE_CONNECTION_STRING"
_lock = threading.Lock()
_shared: dict[tuple[str, int], BlobStore] = {}


def connect(connection_string: str, source: str = CONNECTION_STRING_ENV) -> BlobStore:
    """The process's shared :class:`AzureBlobStore` for a connection string (one client and
    connection pool per account and process, however many Workspace objects are opened; its
    ``close()`` is a no-op). A malformed string is a UserErrorException naming ``source``."""
    from azureml_local.store.blobs.azure import AzureBlobStore  # heavy: azure-storage-blob

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
