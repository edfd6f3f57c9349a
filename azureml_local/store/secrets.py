"""The workspace's key vault: secrets stored encrypted in the workspace database.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``, which
azure-storage-blob already brings) under a key derived (HKDF-SHA256) from the workspace's
``secret`` file (mode 0600, created with the workspace). The database alone - a copied
``store.db``, a backup - reveals secret names, never values. Names are case-insensitive, as in
Azure Key Vault. No validation or SDK messages here: that is ``azureml_local.keyvault``.
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Iterable

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from azureml_local.exceptions import ProjectSystemException
from azureml_local.store.db import Database

_KEY_INFO = b"azureml-local keyvault v1"


def derive_key(workspace_secret: bytes) -> bytes:
    """The Fernet key of a workspace's secrets (stable for the life of its ``secret`` file)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(workspace_secret)
    return base64.urlsafe_b64encode(raw)


class SecretStore:
    """Set, read, list and delete encrypted secrets of one workspace."""

    def __init__(self, db: Database, workspace_secret: bytes):
        self._db = db
        self._fernet = Fernet(derive_key(workspace_secret))

    def set_many(self, values: dict[str, str], content_type: str) -> None:
        """Insert or replace every secret in one transaction (all or nothing)."""
        now = datetime.now(timezone.utc).isoformat()
        rows = [(name, self._fernet.encrypt(value.encode("utf-8")), content_type, now)
                for name, value in values.items()]
        with self._db.transaction() as conn:
            for name, _, _, _ in rows:  # replace under the new spelling of a case-insensitive name
                conn.execute("DELETE FROM secrets WHERE name = ?", (name,))
            conn.executemany("INSERT INTO secrets(name, value, content_type, updated) VALUES (?, ?, ?, ?)", rows)

    def get(self, name: str) -> tuple[str, str] | None:
        """``(value, content_type)``, or None when there is no such secret."""
        row = self._db.query_one("SELECT name, value, content_type FROM secrets WHERE name = ?", (name,))
        return None if row is None else (self._decrypt(row["name"], row["value"]), row["content_type"])

    def get_many(self, names: Iterable[str]) -> dict[str, str | None]:
        """``{name: value or None}`` in the order asked."""
        out: dict[str, str | None] = {}
        for name in names:
            found = self.get(name)
            out[name] = None if found is None else found[0]
        return out

    def names(self) -> list[str]:
        return [r["name"] for r in self._db.query("SELECT name FROM secrets ORDER BY name")]

    def delete(self, name: str) -> bool:
        """True when the secret existed."""
        return self._db.execute("DELETE FROM secrets WHERE name = ?", (name,)).rowcount > 0

    def _decrypt(self, name: str, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise ProjectSystemException(
                f"Secret '{name}' cannot be decrypted: the workspace's 'secret' file changed since it was "
                "stored. Set the secret again (ws.get_default_keyvault().set_secret(...)).") from None
