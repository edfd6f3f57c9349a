"""``AzureBlobDatastore`` / ``AzureFileDatastore``: a blob container in the workspace's storage.

Where the bytes live: the workspace's :class:`BlobStore` (Azurite, or the plain-folder
fallback). ``workspaceblobstore``/``workspacefilestore`` use the workspace's own containers,
created on first use. A datastore registered for another account keeps its account name,
key/SAS, protocol and endpoint for display and lineage, and its container lives in the same
local storage (see ``docs/data.md``). An Azure File share is emulated by a blob container with
the same path semantics.
"""
from __future__ import annotations

import collections
import json
from typing import TYPE_CHECKING, Any

from azureml_local.data import stores, transfer
from azureml_local.data.abstract_datastore import AbstractDatastore
from azureml_local.data.data_reference import DataReference
from azureml_local.exceptions import UserErrorException

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore


class _BlobBacked:
    """Mixin: where a datastore's blobs are, and the container check every operation does."""

    _workspace: Any
    _name: str
    container_name: str

    def _blob_store(self) -> "BlobStore":
        """The workspace's storage, or the account named by a registered ``connection_string``."""
        return stores.blob_store(self._workspace, self._name, getattr(self, "_config", {}))

    def _container(self, create: bool = False) -> str:
        """The container name, after making sure it exists (workspace containers are created on first use)."""
        return stores.ensure_container(self._blob_store(), self.container_name, self._name,
                                       getattr(self, "_config", {}), create)


class AbstractAzureStorageDatastore(_BlobBacked, AbstractDatastore):
    """Base of the blob and file-share datastores: connection info plus upload/download."""

    def __init__(self, workspace: Any, name: str, datastore_type: str, container_name: str, account_name: str,
                 sas_token: str | None = None, account_key: str | None = None, protocol: str | None = None,
                 endpoint: str | None = None):
        super().__init__(workspace, name, datastore_type)
        self.container_name = container_name
        self.account_name = account_name
        self.sas_token = sas_token
        self.account_key = account_key
        self.credential_type = "None"
        self.protocol = protocol
        self.endpoint = endpoint
        if account_key:
            self.credential_type = "AccountKey"
        if sas_token:
            self.credential_type = "Sas"
        self._num_workers = 32
        self._config: dict = {}

    def __repr__(self) -> str:
        content = collections.OrderedDict()
        content["name"] = self.name
        content["container_name"] = self.container_name
        content["account_name"] = self.account_name
        content["protocol"] = self.protocol
        content["endpoint"] = self.endpoint
        return json.dumps(content, indent=2)

    __str__ = __repr__

    # -- data references --------------------------------------------------------------
    def _data_reference(self) -> "DataReference":
        return DataReference(datastore=self)

    def _get_data_reference(self) -> "DataReference":
        return self._data_reference()

    def path(self, path: str | None = None, data_reference_name: str | None = None) -> "DataReference":
        """A ``DataReference`` to ``path`` on this datastore."""
        return self._data_reference().path(path, data_reference_name)

    def as_download(self, path_on_compute: str | None = None) -> "DataReference":
        return self._data_reference().as_download(path_on_compute)

    def as_upload(self, path_on_compute: str | None = None) -> "DataReference":
        return self._data_reference().as_upload(path_on_compute)

    def as_mount(self) -> "DataReference":
        return self._data_reference().as_mount()

    @property
    def is_sas(self) -> bool:
        return bool(self.sas_token)

    # -- transfers --------------------------------------------------------------------
    def upload(self, src_dir: str, target_path: str | None = None, overwrite: bool = False,
               show_progress: bool = True) -> "DataReference":
        """Upload the folder ``src_dir`` (recursively) under ``target_path``."""
        self._ensure_credential("Upload")
        target = _sanitize(target_path)
        target_path = target_path or ""
        files = transfer.files_in_dir(src_dir)
        pairs = transfer.plan_upload(files, str(src_dir).rstrip("/\\"), target, True)
        transfer.upload(self._blob_store(), self._container(), pairs, overwrite, show_progress)
        return DataReference(datastore=self, path_on_datastore=target_path)

    def upload_files(self, files: list[str], relative_root: str | None = None, target_path: str | None = None,
                     overwrite: bool = False, show_progress: bool = True) -> "DataReference":
        """Upload ``files``; their paths relative to ``relative_root`` (default: common folder) are kept."""
        self._ensure_credential("Upload")
        target = _sanitize(target_path)
        files = [str(f) for f in files]
        target_path = target_path or ""
        relative_root = relative_root or transfer.common_dir(files)
        pairs = transfer.plan_upload(files, relative_root, target, False)
        transfer.upload(self._blob_store(), self._container(), pairs, overwrite, show_progress)
        return DataReference(datastore=self, path_on_datastore=target_path)

    def download(self, target_path: str, prefix: str | None = None, overwrite: bool = False,
                 show_progress: bool = True) -> int:
        """Download blobs whose names start with ``prefix`` into ``target_path``; returns how many."""
        import os

        target_path = os.fspath(target_path)  # None/int: TypeError (as the SDK's os calls), not a "None" folder
        return transfer.download(self._blob_store(), self._container(), target_path, prefix, overwrite,
                                 show_progress)

    def _ensure_credential(self, action: str) -> None:
        if self.credential_type == "None":
            raise UserErrorException(
                f"{action} cannot be performed since the Azure Storage Blob datastore does not have an access key "
                "(account key) or SAS token. Please make sure the datastore has an access key or SAS token.")

    def _as_dict(self, hide_secret: bool = True) -> dict:
        output = super()._as_dict()
        output.update(container_name=self.container_name, account_name=self.account_name,
                      protocol=self.protocol, endpoint=self.endpoint)
        if not hide_secret:
            output.update(credential_type=self.credential_type, sas_token=self.sas_token,
                          account_key=self.account_key)
        return output


def _sanitize(target_path: str | None) -> str | None:
    """Strip leading ``./`` and slashes, as the SDK does; refuse ``..`` (docs/data.md) and non-strings."""
    import re

    if target_path is not None and not isinstance(target_path, str):
        raise TypeError(f"target_path must be a string (a folder on the datastore), not {type(target_path).__name__}.")
    if target_path and ".." in re.split(r"[/\\]", target_path):
        raise UserErrorException(
            f"Invalid target_path {target_path!r}: '..' segments are not allowed. target_path is a folder relative "
            "to the root of the datastore's container, e.g. 'data/train'.")
    return re.sub(r"^(\.*[/\\])*", "", target_path) if target_path else target_path


class AzureBlobDatastore(AbstractAzureStorageDatastore):
    """A datastore holding connection information to a blob container."""

    def __init__(self, workspace: Any, name: str, container_name: str, account_name: str,
                 sas_token: str | None = None, account_key: str | None = None, protocol: str | None = None,
                 endpoint: str | None = None, request_session: Any = None, workspace_msi_has_access: bool = False,
                 subscription_id: str | None = None, resource_group: str | None = None,
                 service_data_access_auth_identity: str | None = None):
        super().__init__(workspace, name, "AzureBlob", container_name, account_name, sas_token, account_key,
                         protocol, endpoint)
        self.workspace_msi_has_access = workspace_msi_has_access
        self.service_data_access_auth_identity = service_data_access_auth_identity
        self.subscription_id = subscription_id
        self.resource_group = resource_group


    @property
    def blob_service(self) -> Any:
        """The azure-storage-blob ``BlobServiceClient`` of the storage (Azurite/Azure backends only)."""
        service = getattr(self._blob_store(), "_service", None)
        if service is None:
            raise UserErrorException("blob_service is only available when the workspace storage is Azurite or "
                                     "Azure (AZUREML_LOCAL_STORAGE=folder has no blob service).")
        return service


class AzureFileDatastore(AbstractAzureStorageDatastore):
    """A datastore for an Azure File share (emulated by a blob container with the same paths)."""

    def __init__(self, workspace: Any, name: str, container_name: str, account_name: str,
                 sas_token: str | None = None, account_key: str | None = None, protocol: str | None = None,
                 endpoint: str | None = "core.windows.net", request_session: Any = None):
        super().__init__(workspace, name, "AzureFile", container_name, account_name, sas_token, account_key,
                         protocol, endpoint)
