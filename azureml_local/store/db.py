"""The workspace database: one SQLite file in WAL mode, shared by many processes.

Why this shape:
* WAL + ``busy_timeout`` lets the runner, every step process and the user's
  notebook write concurrently without "database is locked" failures.
* Writes go through :meth:`Database.transaction` (``BEGIN IMMEDIATE``), so a
  multi-row change is all-or-nothing: no half-written run or dataset.
* Schema changes are *migrations per area* (``store/migrations/<area>.py``, each
  a list of SQL scripts); ``schema_versions`` records how far each area got, so
  areas evolve independently and old workspaces are upgraded on open.

A team shares one workspace by pointing ``AZUREML_LOCAL_STORE_URL`` at a PostgreSQL
server (``store/postgres.py`` adapts the same SQL; docs/store.md): :func:`open_database`
picks the backend, the stores do not know which one they talk to.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from azureml_local.exceptions import ProjectSystemException
from azureml_local.store import migrations, postgres

BUSY_TIMEOUT_MS = 60_000


#: What the stores catch for a constraint violation, whichever the backend (PostgreSQL's is a subclass).
IntegrityError = sqlite3.IntegrityError


def open_database(folder: Path, subscription_id: str, resource_group: str, workspace_name: str,
                  store_url: str | None = None) -> "Database":
    """The workspace's database: ``store.db`` in its folder, or its schema on the server of
    ``AZUREML_LOCAL_STORE_URL`` (or ``store_url``, e.g. from ``workspace.json``)."""
    url = os.environ.get(postgres.URL_ENV) or store_url
    if not url or url.startswith("sqlite"):
        return Database(Path(folder) / "store.db")
    if not postgres.is_postgres_url(url):
        raise ProjectSystemException(f"{postgres.URL_ENV}={postgres.redacted(url)} is not a store URL this "
                                     "package knows: use postgresql://user:password@host:5432/database "
                                     "(or leave it unset for the workspace's SQLite file).")
    libpq_url, schema = postgres.split_url(url)
    return Database(Path(folder) / "store.db", url=libpq_url,
                    schema=schema or postgres.schema_for(subscription_id, resource_group, workspace_name))


class Database:
    """A handle on one workspace database; cheap to share, one connection per thread.

    ``Database(path)`` is the SQLite file; ``Database(path, url=..., schema=...)`` is that
    schema of a PostgreSQL server (``path`` then only names the workspace in messages)."""

    def __init__(self, path: str | os.PathLike[str], url: str | None = None, schema: str | None = None):
        self.path = Path(path)
        self.url = url
        self.schema = schema
        self.dialect = "postgresql" if url else "sqlite"
        self._local = threading.local()
        self._migrated = False
        self._migrate_lock = threading.Lock()

    # -- connections ---------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid() and not getattr(conn, "closed", False):
            return conn
        if self.url:
            conn = postgres.PgConnection(self.url, self.schema or "public")
        else:
            conn = self._sqlite_connection()
        self._local.conn = conn
        self._local.pid = os.getpid()
        if not self._migrated:
            with self._migrate_lock:
                if not self._migrated:
                    self._migrate(conn)
                    self._migrated = True
        return conn

    def _sqlite_connection(self) -> sqlite3.Connection:
        """The handle's first connection may create the file (a new workspace); later ones (other
        threads, a forked child) open it read-write only: a long-lived process whose workspace folder
        was deleted must fail, not bring back a folder with an empty database in it."""
        try:
            if self._migrated:
                conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=rw", uri=True,
                                       timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                       check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc) from exc
        return conn

    def _unusable(self, exc: Exception) -> ProjectSystemException:
        if self._migrated and not self.path.exists():
            return ProjectSystemException(
                f"The workspace database {self.path} is gone: its folder was deleted or moved while this "
                "process used it. Open the workspace again (Workspace.get or Workspace.from_config).")
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return ProjectSystemException(
                f"The workspace database {self.path} stayed locked for {BUSY_TIMEOUT_MS // 1000} s "
                "by another process. Close other programs using this workspace (or stop its service "
                "with `azureml-local service stop`) and try again.")
        return ProjectSystemException(
            f"The workspace database {self.path} cannot be used ({exc}). It may be corrupted: move it "
            "aside (the workspace then starts with an empty run history) or restore it from a backup.")

    # -- queries -------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> sqlite3.Cursor:
        """Run one statement (autocommit)."""
        try:
            return self._connection().execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "malformed" in str(exc):
                raise self._unusable(exc) from exc
            raise
        except sqlite3.IntegrityError:
            raise  # a constraint the caller may handle (a duplicate name...), not a damaged database
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc) from exc

    def query(self, sql: str, params: Sequence[Any] | dict = ()) -> list[sqlite3.Row]:
        return self.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] | dict = ()) -> sqlite3.Row | None:
        return self.execute(sql, params).fetchone()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolls back on any exception. Re-entrant per thread."""
        conn = self._connection()
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield conn
            finally:
                self._local.depth -= 1
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc) from exc
        self._local.depth = 1
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- migrations ----------------------------------------------------------
    def _migrate(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (area TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            done = {r[0]: r[1] for r in conn.execute("SELECT area, version FROM schema_versions")}
            for area, steps in migration_areas():
                current = done.get(area, 0)
                for version, script in enumerate(steps[current:], start=current + 1):
                    for statement in _split_sql(script):
                        conn.execute(statement)
                    conn.execute("INSERT INTO schema_versions(area, version) VALUES (?, ?)"
                                 " ON CONFLICT(area) DO UPDATE SET version = excluded.version", (area, version))
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, postgres.IntegrityError):
                raise self._unusable(exc) from exc
            raise


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit mid-transaction)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def migration_areas() -> list[tuple[str, list[str]]]:
    """Every ``store/migrations/<area>.py`` module's ``STEPS`` list, sorted by area name."""
    areas = []
    for info in sorted(pkgutil.iter_modules(migrations.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{migrations.__name__}.{info.name}")
        areas.append((info.name, list(module.STEPS)))
    return areas
