"""``azureml.core.Datastore``: get, list, default and ``register_*`` for local storage.

Every register call stores the SDK-visible settings and maps the storage to a blob
container in the workspace's storage (``docs/data.md``). ``Datastore(ws, name)`` returns the
concrete datastore object (``AzureBlobDatastore`` ...), exactly as the SDK's ``__new__`` does.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from azureml_local.data import datastore_registry as registry
from azureml_local.data import stores
from azureml_local.data.azure_data_lake_datastore import gen1_container
from azureml_local.data.names import check_container_name, check_datastore_name
from azureml_local.exceptions import UserErrorException

_log = logging.getLogger(__name__)


class Datastore:
    """Storage abstraction over an Azure ML storage account (here: the workspace's local storage)."""

    def __new__(cls, workspace: Any, name: str | None = None) -> Any:  # type: ignore[misc]
        if name is None:
            return registry.get_default_datastore(workspace)
        return registry.load_datastore(workspace, name)

    def __init__(self, workspace: Any, name: str | None = None):  # pragma: no cover - __new__ returns others
        self.workspace = workspace
        self.name = name

    @staticmethod
    def get(workspace: Any, datastore_name: str) -> Any:
        """The datastore named ``datastore_name`` (``UserErrorException`` if not registered)."""
        return registry.load_datastore(workspace, datastore_name)

    @staticmethod
    def get_default(workspace: Any) -> Any:
        return registry.get_default_datastore(workspace)

    @staticmethod
    def list(workspace: Any, count: int | None = None) -> list:
        stores = list(registry.list_datastores(workspace).values())
        return stores[:count] if count else stores

    @staticmethod
    def register_azure_blob_container(workspace: Any, datastore_name: str, container_name: str, account_name: str,
                                      sas_token: str | None = None, account_key: str | None = None,
                                      protocol: str | None = None, endpoint: str | None = None,
                                      overwrite: bool = False, create_if_not_exists: bool = False,
                                      skip_validation: bool = False, blob_cache_timeout: int | None = None,
                                      grant_workspace_access: bool = False, subscription_id: str | None = None,
                                      resource_group: str | None = None) -> Any:
        """Register a blob container (created locally when ``create_if_not_exists``)."""
        config = dict(account_name=account_name, sas_token=sas_token, account_key=account_key, protocol=protocol,
                      endpoint=endpoint, blob_cache_timeout=blob_cache_timeout,
                      subscription_id=subscription_id, resource_group=resource_group)
        conn = external_connection_string(account_name, account_key, sas_token, endpoint)
        if conn:
            config["connection_string"] = conn
        return _register(workspace, datastore_name, "AzureBlob", container_name, account_name, config, overwrite,
                         create_if_not_exists, "container")

    @staticmethod
    def register_azure_file_share(workspace: Any, datastore_name: str, file_share_name: str, account_name: str,
                                  sas_token: str | None = None, account_key: str | None = None,
                                  protocol: str | None = None, endpoint: str | None = None, overwrite: bool = False,
                                  create_if_not_exists: bool = False, skip_validation: bool = False) -> Any:
        """Register a file share (emulated by a blob container of the same name)."""
        config = dict(account_name=account_name, sas_token=sas_token, account_key=account_key, protocol=protocol,
                      endpoint=endpoint)
        return _register(workspace, datastore_name, "AzureFile", file_share_name, account_name, config, overwrite,
                         create_if_not_exists, "file share")

    @staticmethod
    def register_azure_data_lake(workspace: Any, datastore_name: str, store_name: str, tenant_id: str | None = None,
                                 client_id: str | None = None, client_secret: str | None = None,
                                 resource_url: str | None = None, authority_url: str | None = None,
                                 subscription_id: str | None = None, resource_group: str | None = None,
                                 overwrite: bool = False, grant_workspace_access: bool = False) -> Any:
        """Register an ADLS Gen1 store (emulated by the container ``adls-<store_name>``, created if missing)."""
        _check_sp(tenant_id, client_id, client_secret)
        if not isinstance(store_name, str) or not re.fullmatch(r"[a-z0-9]{3,24}", store_name.lower()):
            raise UserErrorException(
                f"Invalid data lake store name {store_name!r}. Data Lake Storage Gen1 account names must be 3-24 "
                "characters long and use only letters and digits.")
        config = dict(store_name=store_name, tenant_id=tenant_id, client_id=client_id, client_secret=client_secret,
                      resource_url=resource_url, authority_url=authority_url, subscription_id=subscription_id,
                      resource_group=resource_group)
        return _register(workspace, datastore_name, "AzureDataLake", gen1_container(store_name), None, config,
                         overwrite, True, "data lake store")

    @staticmethod
    def register_azure_data_lake_gen2(workspace: Any, datastore_name: str, filesystem: str, account_name: str,
                                      tenant_id: str | None = None, client_id: str | None = None,
                                      client_secret: str | None = None, resource_url: str | None = None,
                                      authority_url: str | None = None, protocol: str | None = None,
                                      endpoint: str | None = None, overwrite: bool = False,
                                      subscription_id: str | None = None, resource_group: str | None = None,
                                      grant_workspace_access: bool = False) -> Any:
        """Register an ADLS Gen2 filesystem (emulated by a blob container of the same name, created if missing)."""
        _check_sp(tenant_id, client_id, client_secret)
        config = dict(account_name=account_name, tenant_id=tenant_id, client_id=client_id,
                      client_secret=client_secret, resource_url=resource_url, authority_url=authority_url,
                      protocol=protocol, endpoint=endpoint, subscription_id=subscription_id,
                      resource_group=resource_group)
        return _register(workspace, datastore_name, "AzureDataLakeGen2", filesystem, account_name, config,
                         overwrite, True, "filesystem")

    @staticmethod
    def _unsupported(kind: str) -> UserErrorException:
        return UserErrorException(
            f"{kind} datastores are not supported by azureml-local: only blob, file share and data lake "
            "datastores (all emulated by local blob containers) can be registered.")

    @staticmethod
    def register_azure_sql_database(workspace: Any, datastore_name: str, server_name: str, database_name: str,
                                    tenant_id: str | None = None, client_id: str | None = None,
                                    client_secret: str | None = None, resource_url: str | None = None,
                                    authority_url: str | None = None, endpoint: str | None = None,
                                    overwrite: bool = False, username: str | None = None,
                                    password: str | None = None, subscription_id: str | None = None,
                                    resource_group: str | None = None, grant_workspace_access: bool = False,
                                    **kwargs: Any) -> Any:
        raise Datastore._unsupported("Azure SQL Database")

    @staticmethod
    def register_azure_postgre_sql(workspace: Any, datastore_name: str, server_name: str, database_name: str,
                                   user_id: str, user_password: str, port_number: str | None = None,
                                   endpoint: str | None = None, overwrite: bool = False, enforce_ssl: bool = True,
                                   **kwargs: Any) -> Any:
        raise Datastore._unsupported("Azure PostgreSQL")

    @staticmethod
    def register_azure_my_sql(workspace: Any, datastore_name: str, server_name: str, database_name: str,
                              user_id: str, user_password: str, port_number: str | None = None,
                              endpoint: str | None = None, overwrite: bool = False, **kwargs: Any) -> Any:
        raise Datastore._unsupported("Azure MySQL")

    @staticmethod
    def register_dbfs(workspace: Any, datastore_name: str) -> Any:
        raise Datastore._unsupported("DBFS")

    @staticmethod
    def register_hdfs(workspace: Any, datastore_name: str, protocol: str, namenode_address: str,
                      hdfs_server_certificate: str, kerberos_realm: str, kerberos_kdc_address: str,
                      kerberos_principal: str, kerberos_keytab: str | None = None, kerberos_password: str | None = None,
                      overwrite: bool = False) -> Any:
        raise Datastore._unsupported("HDFS")

    def set_as_default(self) -> None:  # pragma: no cover - instances are never Datastore
        stores.set_default(self.workspace, self.name)

    def unregister(self) -> None:  # pragma: no cover
        stores.unregister(self.workspace, self.name)


def external_connection_string(account_name: str, account_key: str | None, sas_token: str | None,
                               endpoint: str | None) -> str | None:
    """A connection string when ``endpoint`` is a full URL (another Azurite or account); else None.

    ``endpoint='http://127.0.0.1:10000/devstoreaccount1'`` (or ``'127.0.0.1:10000'``) reaches that Azurite,
    ``'https://<account>.blob.core.windows.net'`` a real account; a bare suffix like
    ``core.windows.net`` keeps the container in the workspace's own storage (local emulation).
    """
    if endpoint and re.match(r"^[\w.-]+:\d+$", endpoint):  # "127.0.0.1:10000": an Azurite-style host:port
        endpoint = f"http://{endpoint}/{account_name}"
    if not endpoint or not endpoint.startswith(("http://", "https://")):
        return None
    parts = [f"DefaultEndpointsProtocol={endpoint.split(':', 1)[0]}", f"AccountName={account_name}"]
    if account_key:
        parts.append(f"AccountKey={account_key}")
    if sas_token:
        parts.append(f"SharedAccessSignature={sas_token.lstrip('?')}")
    parts.append(f"BlobEndpoint={endpoint.rstrip('/')}")
    return ";".join(parts) + ";"


def _check_sp(tenant_id: str | None, client_id: str | None, client_secret: str | None) -> None:
    given = [v is not None for v in (tenant_id, client_id, client_secret)]
    if any(given) and not all(given):
        raise UserErrorException("Tenant id, client id and client secret have to be defined together.")


def _register(ws: Any, datastore_name: str, kind: str, container: str, account_name: str | None, config: dict,
              overwrite: bool, create: bool, what: str) -> Any:
    if any(c.isupper() for c in str(datastore_name)):
        _log.warning("Datastore name %s contains capital letters. They will be converted to lowercase letters.",
                     datastore_name)
    name = check_datastore_name(datastore_name)
    check_container_name(container, what)
    if name in (registry.DEFAULT_BLOB, registry.DEFAULT_FILE):
        raise UserErrorException(f"(UserError) '{name}' is a workspace datastore and cannot be re-registered.")
    registry.save_datastore(ws, name, kind, container, account_name, config, overwrite, check_only=True)
    if create:
        stores.blob_store(ws, name, config).create_container(container)
    registry.save_datastore(ws, name, kind, container, account_name, config, overwrite)
    return registry.load_datastore(ws, name)
