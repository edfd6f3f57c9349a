"""Datastore objects (SDK classes) from the rows in the workspace database; the default datastore.

Every datastore kind is emulated by one blob container (``docs/data.md``): the row keeps
the SDK-visible attributes (container, account, protocol, endpoint, credentials) in
``config`` so the same object can be rebuilt in any process. Resolving a name to its blob
container needs no object: that is ``data/stores.py``, which this module builds on.
``workspaceblobstore`` and ``workspacefilestore`` exist in every workspace (rows added on first use).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azureml_local.data import stores
from azureml_local.data.abstract_datastore import AbstractDatastore
from azureml_local.data.azure_data_lake_datastore import AzureDataLakeDatastore, AzureDataLakeGen2Datastore
from azureml_local.data.azure_storage_datastore import AzureBlobDatastore, AzureFileDatastore
from azureml_local.exceptions import UserErrorException
from azureml_local.store.registries import datastores

if TYPE_CHECKING:
    from azureml_local.store.registries.datastores import DatastoreStore
    from azureml_local.workspace import Workspace

DEFAULT_BLOB = datastores.DEFAULT_BLOB
DEFAULT_FILE = datastores.DEFAULT_FILE
LOCAL_ACCOUNT = datastores.LOCAL_ACCOUNT


def _datastores(ws: Any) -> "DatastoreStore":
    return stores.registry(ws)


def save_datastore(ws: "Workspace", name: str, datastore_type: str, container_name: str | None,
                   account_name: str | None, config: dict[str, Any], overwrite: bool, check_only: bool = False) -> None:
    """Insert (or with ``overwrite`` replace) a datastore row; an existing name without overwrite is an error.

    ``check_only``: raise the conflict error but write nothing (checked before creating a container).
    """
    outcome = _datastores(ws).save(name, datastore_type, container_name, account_name, config, overwrite, check_only)
    if outcome == datastores.CONFLICT:
        raise UserErrorException(
            f"(UserError) A datastore with name '{name}' already exists in the workspace with different "
            "settings. Pass overwrite=True to update it, or choose another datastore_name.")


def load_datastore(ws: "Workspace", name: str) -> "AbstractDatastore":
    """The datastore object named ``name`` (``UserErrorException`` when it is not registered)."""
    if not isinstance(name, str):
        raise UserErrorException(f"Datastore name must be a string (the name it was registered under), not "
                                 f"{type(name).__name__} {name!r}.")
    row = stores.datastore_row(ws, name)
    return _from_row(ws, row)


def _from_row(ws: "Workspace", row: Any) -> "AbstractDatastore":
    config = row["config"]
    kind = row["datastore_type"]
    common = dict(sas_token=config.get("sas_token"), account_key=config.get("account_key"),
                  protocol=config.get("protocol"), endpoint=config.get("endpoint"))
    if kind == "AzureBlob":
        ds: AbstractDatastore = AzureBlobDatastore(ws, row["name"], row["container_name"], row["account_name"],
                                                    **common)
    elif kind == "AzureFile":
        ds = AzureFileDatastore(ws, row["name"], row["container_name"], row["account_name"], **common)
    elif kind == "AzureDataLake":
        ds = AzureDataLakeDatastore(ws, row["name"], config.get("store_name"), config.get("tenant_id"),
                                    config.get("client_id"), config.get("client_secret"),
                                    config.get("resource_url"), config.get("authority_url"),
                                    config.get("subscription_id"), config.get("resource_group"))
    elif kind == "AzureDataLakeGen2":
        ds = AzureDataLakeGen2Datastore(ws, row["name"], row["container_name"], row["account_name"],
                                        config.get("tenant_id"), config.get("client_id"), config.get("client_secret"),
                                        config.get("resource_url"), config.get("authority_url"),
                                        config.get("protocol"), config.get("endpoint"))
    else:  # pragma: no cover - rows are only written by this package
        raise TypeError(f"Unsupported Datastore Type: {kind}")
    ds._config = config  # type: ignore[attr-defined]
    return ds


def list_datastores(ws: "Workspace") -> dict[str, "AbstractDatastore"]:
    """``{name: datastore}`` of every registered datastore (what ``ws.datastores`` returns)."""
    return {row["name"]: _from_row(ws, row) for row in _datastores(ws).list()}


def get_default_name(ws: "Workspace") -> str:
    return stores.default_name(ws)


def get_default_datastore(ws: "Workspace") -> "AbstractDatastore":
    """The workspace's default datastore (``workspaceblobstore`` unless changed)."""
    return load_datastore(ws, get_default_name(ws))
