"""Datastore rows (area ``datastores``) and the default datastore setting.

A row keeps the SDK-visible attributes (container, account, protocol, credentials) in
``config`` so the same datastore can be rebuilt in any process.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.store.registries._common import bump, now, row_dict

if TYPE_CHECKING:
    from azureml_local.store.db import Database
    from azureml_local.store.registries.settings import SettingsStore

AREA = "datastores"
DEFAULT_SETTING = "default_datastore"
DEFAULT_BLOB = "workspaceblobstore"
DEFAULT_FILE = "workspacefilestore"
LOCAL_ACCOUNT = "devstoreaccount1"

# outcomes of save()
SAVED, UNCHANGED, CONFLICT, CHECKED = "saved", "unchanged", "conflict", "checked"


class DatastoreStore:
    def __init__(self, db: "Database", settings: "SettingsStore"):
        self.db = db
        self.settings = settings

    def ensure_builtin(self, blob_container: str, file_container: str) -> None:
        """Add ``workspaceblobstore`` and ``workspacefilestore`` when missing (no bump when present)."""
        config = json.dumps({"account_name": LOCAL_ACCOUNT, "account_key": "local", "protocol": "https",
                             "endpoint": "core.windows.net", "workspace_managed": True})
        with self.db.transaction():
            added = 0
            for name, kind, container in ((DEFAULT_BLOB, "AzureBlob", blob_container),
                                          (DEFAULT_FILE, "AzureFile", file_container)):
                added += self.db.execute(
                    "INSERT INTO datastores(name, datastore_type, container_name, account_name, config,"
                    " created) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (name, kind, container, LOCAL_ACCOUNT, config, now())).rowcount
            if added:
                bump(self.db, AREA)

    def save(self, name: str, datastore_type: str, container_name: str | None, account_name: str | None,
             config: dict[str, Any], overwrite: bool, check_only: bool = False) -> str:
        """Insert or (``overwrite``) replace a row; returns SAVED, UNCHANGED, CONFLICT or CHECKED.

        Re-registering identical settings is UNCHANGED (the service accepts it); different
        settings without ``overwrite`` are a CONFLICT and write nothing; ``check_only`` writes nothing.
        """
        with self.db.transaction():
            row = self.db.query_one("SELECT datastore_type, container_name, account_name, config FROM datastores"
                                    " WHERE name = ?", (name,))
            if row is not None and not overwrite:
                same = (row["datastore_type"] == datastore_type and row["container_name"] == container_name
                        and row["account_name"] == account_name and json.loads(row["config"]) == config)
                return UNCHANGED if same else CONFLICT
            if check_only:
                return CHECKED
            self.db.execute("INSERT INTO datastores(name, datastore_type, container_name, account_name,"
                            " config, created) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
                            " datastore_type=excluded.datastore_type, container_name=excluded.container_name,"
                            " account_name=excluded.account_name, config=excluded.config, created=excluded.created",
                            (name, datastore_type, container_name, account_name, json.dumps(config), now()))
            bump(self.db, AREA)
        return SAVED

    def get(self, name: str) -> dict[str, Any] | None:
        """The row (``config`` decoded) or None."""
        return _decoded(row_dict(self.db.query_one("SELECT * FROM datastores WHERE name = ?", (name,))))

    def names(self) -> list[str]:
        return [r["name"] for r in self.db.query("SELECT name FROM datastores ORDER BY name")]

    def list(self) -> list[dict[str, Any]]:
        return [_decoded(dict(r)) for r in self.db.query("SELECT * FROM datastores ORDER BY name")]  # type: ignore[misc]

    def delete(self, name: str) -> bool:
        """Remove a row (and the default setting when it named it); False when there was none."""
        with self.db.transaction():
            if self.db.execute("DELETE FROM datastores WHERE name = ?", (name,)).rowcount == 0:
                return False
            if self.default_name() == name:
                self.settings.delete(DEFAULT_SETTING)
            bump(self.db, AREA)
        return True

    def default_name(self) -> str:
        return self.settings.get(DEFAULT_SETTING) or DEFAULT_BLOB

    def set_default(self, name: str) -> None:
        self.settings.set(DEFAULT_SETTING, name)


def _decoded(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row["config"] = json.loads(row["config"])
    return row
