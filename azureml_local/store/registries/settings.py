"""Workspace key/value settings (area ``settings``): e.g. the default datastore's name."""
from __future__ import annotations

from typing import TYPE_CHECKING

from azureml_local.store.registries._common import bump

if TYPE_CHECKING:
    from azureml_local.store.db import Database

AREA = "settings"


class SettingsStore:
    def __init__(self, db: "Database"):
        self.db = db

    def get(self, key: str) -> str | None:
        row = self.db.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row is not None else None

    def set(self, key: str, value: str) -> None:
        with self.db.transaction():
            self.db.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
            bump(self.db, AREA)

    def delete(self, key: str) -> bool:
        with self.db.transaction():
            removed = self.db.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount > 0
            if removed:
                bump(self.db, AREA)
        return removed
