"""Datastore rows in the workspace database, and the workspace's default datastore.

Every datastore kind is emulated by one blob container (``docs/data.md``): the row keeps
the SDK-visible attributes (container, account, protocol, endpoint, credentials) in
``config`` so the same object can be rebuilt in any process. ``workspaceblobstore`` and
``workspacefilestore`` exist in every workspace (rows added on first use).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException
from azureml_local.store.containers import default_blob_container, file_share_container

if TYPE_CHECKING:
    from azureml_local.data.abstract_datastore import AbstractDatastore
    from azureml_local.workspace import Workspace

DEFAULT_BLOB = "workspaceblobstore"
DEFAULT_FILE = "workspacefilestore"
LOCAL_ACCOUNT = "devstoreaccount1"
_SETTING = "default_datastore"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _ensure_builtin(ws: "Workspace") -> None:
    """Add the two workspace datastores once per workspace handle."""
    if getattr(ws, "_data_builtin_ready", False):
        return
    rows = [
        (DEFAULT_BLOB, "AzureBlob", default_blob_container(ws)),
        (DEFAULT_FILE, "AzureFile", file_share_container(ws)),
    ]
    with ws._store.transaction() as conn:
        for name, kind, container in rows:
            config = {"account_name": LOCAL_ACCOUNT, "account_key": "local", "protocol": "https",
                      "endpoint": "core.windows.net", "workspace_managed": True}
            conn.execute("INSERT OR IGNORE INTO datastores(name, datastore_type, container_name, account_name,"
                         " config, created) VALUES (?, ?, ?, ?, ?, ?)",
                         (name, kind, container, LOCAL_ACCOUNT, json.dumps(config), _now()))
    ws._data_builtin_ready = True  # type: ignore[attr-defined]


def save_datastore(ws: "Workspace", name: str, datastore_type: str, container_name: str | None,
                   account_name: str | None, config: dict[str, Any], overwrite: bool, check_only: bool = False) -> None:
    """Insert (or with ``overwrite`` replace) a datastore row; an existing name without overwrite is an error.

    ``check_only``: raise the conflict error but write nothing (checked before creating a container).
    """
    _ensure_builtin(ws)
    with ws._store.transaction() as conn:
        existing = conn.execute("SELECT datastore_type FROM datastores WHERE name = ?", (name,)).fetchone()
        if existing is not None and not overwrite:
            # The service accepts re-registering identical settings; a changed one needs overwrite=True.
            row = conn.execute("SELECT container_name, account_name, config FROM datastores WHERE name = ?",
                               (name,)).fetchone()
            if (existing[0] == datastore_type and row[0] == container_name and row[1] == account_name
                    and json.loads(row[2]) == config):
                return
            raise UserErrorException(
                f"(UserError) A datastore with name '{name}' already exists in the workspace with different "
                "settings. Pass overwrite=True to update it, or choose another datastore_name.")
        if check_only:
            return
        conn.execute("INSERT OR REPLACE INTO datastores(name, datastore_type, container_name, account_name, config,"
                     " created) VALUES (?, ?, ?, ?, ?, ?)",
                     (name, datastore_type, container_name, account_name, json.dumps(config), _now()))


def load_datastore(ws: "Workspace", name: str) -> "AbstractDatastore":
    """The datastore object named ``name`` (``UserErrorException`` when it is not registered)."""
    _ensure_builtin(ws)
    row = ws._store.query_one("SELECT * FROM datastores WHERE name = ?", (name.lower() if name else name,))
    if row is None:
        known = ", ".join(sorted(r["name"] for r in ws._store.query("SELECT name FROM datastores")))
        raise UserErrorException(
            f"(UserError) No datastore named '{name}' is registered in workspace '{ws.name}' "
            f"(registered: {known}). Register it with Datastore.register_azure_blob_container(...) first.")
    return _from_row(ws, row)


def _from_row(ws: "Workspace", row: Any) -> "AbstractDatastore":
    from azureml_local.data.azure_data_lake_datastore import AzureDataLakeDatastore, AzureDataLakeGen2Datastore
    from azureml_local.data.azure_storage_datastore import AzureBlobDatastore, AzureFileDatastore

    config = json.loads(row["config"])
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
    _ensure_builtin(ws)
    return {row["name"]: _from_row(ws, row) for row in ws._store.query("SELECT * FROM datastores ORDER BY name")}


def delete_datastore(ws: "Workspace", name: str) -> None:
    """Unregister a datastore (its container and blobs are left untouched, as in Azure)."""
    _ensure_builtin(ws)
    if name in (DEFAULT_BLOB, DEFAULT_FILE):
        raise UserErrorException(f"(UserError) '{name}' is a workspace datastore and cannot be unregistered.")
    with ws._store.transaction() as conn:
        cur = conn.execute("DELETE FROM datastores WHERE name = ?", (name,))
        if cur.rowcount == 0:
            raise UserErrorException(f"(UserError) No datastore named '{name}' is registered in workspace "
                                     f"'{ws.name}', so it cannot be unregistered.")
        if get_default_name(ws) == name:
            conn.execute("DELETE FROM settings WHERE key = ?", (_SETTING,))


def get_default_name(ws: "Workspace") -> str:
    row = ws._store.query_one("SELECT value FROM settings WHERE key = ?", (_SETTING,))
    return row["value"] if row else DEFAULT_BLOB


def get_default_datastore(ws: "Workspace") -> "AbstractDatastore":
    """The workspace's default datastore (``workspaceblobstore`` unless changed)."""
    return load_datastore(ws, get_default_name(ws))


def set_default_datastore(ws: "Workspace", name: str) -> None:
    """Make ``name`` the default datastore (it must be registered)."""
    load_datastore(ws, name)
    ws._store.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (_SETTING, name.lower()))
