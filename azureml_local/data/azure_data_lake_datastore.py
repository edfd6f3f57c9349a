"""ADLS Gen1/Gen2 datastores, emulated by a blob container with the same path semantics.

Gen1 ``store_name`` becomes the container ``adls-<store_name>``; Gen2's ``filesystem`` is the
container. Both can be read by datasets exactly like a blob datastore. Unlike the SDK they can
also ``upload``/``download`` (handy to seed local data); documented in ``docs/data.md``.
"""
from __future__ import annotations

import collections
import json
from typing import Any

from azureml_local.data.abstract_datastore import AbstractDatastore
from azureml_local.data.azure_storage_datastore import AbstractAzureStorageDatastore, _BlobBacked


def gen1_container(store_name: str) -> str:
    """Container emulating an ADLS Gen1 store (Gen1 names are 3-24 lower-case letters/digits)."""
    return f"adls-{store_name.lower()}"


class AbstractADLSDatastore(_BlobBacked, AbstractDatastore):
    """Service-principal connection info of a Data Lake datastore."""

    def __init__(self, workspace: Any, name: str, datastore_type: str, tenant_id: str | None,
                 client_id: str | None, client_secret: str | None, resource_url: str | None,
                 authority_url: str | None, service_data_access_auth_identity: str | None):
        super().__init__(workspace, name, datastore_type)
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.resource_url = resource_url
        self.authority_url = authority_url
        self.service_data_access_auth_identity = service_data_access_auth_identity
        self.credential_type = "ServicePrincipal" if client_id else "None"
        self._config: dict = {}

    # transfers reuse the blob implementation (local emulation convenience)
    upload = AbstractAzureStorageDatastore.upload
    upload_files = AbstractAzureStorageDatastore.upload_files
    download = AbstractAzureStorageDatastore.download
    path = AbstractAzureStorageDatastore.path
    as_mount = AbstractAzureStorageDatastore.as_mount
    as_download = AbstractAzureStorageDatastore.as_download
    as_upload = AbstractAzureStorageDatastore.as_upload
    _data_reference = AbstractAzureStorageDatastore._data_reference

    def _ensure_credential(self, action: str) -> None:
        """Local storage needs no service principal."""


class AzureDataLakeDatastore(AbstractADLSDatastore):
    """An Azure Data Lake Storage Gen1 datastore."""

    def __init__(self, workspace: Any, name: str, store_name: str, tenant_id: str | None, client_id: str | None,
                 client_secret: str | None, resource_url: str | None = None, authority_url: str | None = None,
                 subscription_id: str | None = None, resource_group: str | None = None,
                 service_data_access_auth_identity: str | None = None):
        super().__init__(workspace, name, "AzureDataLake", tenant_id, client_id, client_secret, resource_url,
                         authority_url, service_data_access_auth_identity)
        self.store_name = store_name
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.container_name = gen1_container(store_name)

    def __repr__(self) -> str:
        return json.dumps(collections.OrderedDict(name=self.name, store_name=self.store_name), indent=2)


class AzureDataLakeGen2Datastore(AbstractADLSDatastore):
    """An Azure Data Lake Storage Gen2 datastore (a filesystem = a container)."""

    def __init__(self, workspace: Any, name: str, container_name: str, account_name: str,
                 tenant_id: str | None = None, client_id: str | None = None, client_secret: str | None = None,
                 resource_url: str | None = None, authority_url: str | None = None, protocol: str | None = None,
                 endpoint: str | None = None, service_data_access_auth_identity: str | None = None):
        super().__init__(workspace, name, "AzureDataLakeGen2", tenant_id, client_id, client_secret, resource_url,
                         authority_url, service_data_access_auth_identity)
        self.container_name = container_name
        self.account_name = account_name
        self.protocol = protocol
        self.endpoint = endpoint

    def __repr__(self) -> str:
        return json.dumps(collections.OrderedDict(name=self.name, container_name=self.container_name,
                                                  account_name=self.account_name, protocol=self.protocol,
                                                  endpoint=self.endpoint), indent=2)
