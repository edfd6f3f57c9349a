"""The snapshot file-hash cache: ``sha256`` of a file by ``(absolute path, size, mtime_ns)``.

Shared by every process of a workspace, so a file that did not change since any
earlier submit is never read again (``engine/snapshot.py`` keeps an in-memory layer on top).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from azureml_local.store.db import Database


class SnapshotStore:
    """The ``snapshot_file_hashes`` table."""

    def __init__(self, db: "Database"):
        self.db = db

    def file_hash(self, path: str, size: int, mtime_ns: int) -> str | None:
        """The cached digest of ``path`` when its size and mtime still match, else ``None``."""
        row = self.db.query_one("SELECT size, mtime_ns, sha256 FROM snapshot_file_hashes WHERE path=?", (path,))
        if row is None or row["size"] != size or row["mtime_ns"] != mtime_ns:
            return None
        return row["sha256"]

    def remember(self, rows: Iterable[tuple[str, int, int, str]]) -> None:
        """Store ``(path, size, mtime_ns, sha256)`` rows in one transaction."""
        with self.db.transaction() as conn:
            conn.executemany("INSERT INTO snapshot_file_hashes(path, size, mtime_ns, sha256) VALUES (?,?,?,?)"
                             " ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns,"
                             " sha256=excluded.sha256", list(rows))

    def count(self) -> int:
        """How many files are cached (for tests and diagnostics)."""
        return self.db.query_one("SELECT COUNT(*) FROM snapshot_file_hashes")[0]
