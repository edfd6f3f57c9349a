"""The PostgreSQL dialect of the workspace database (``AZUREML_LOCAL_STORE_URL=postgresql://...``).

Why a thin adapter rather than a second set of stores: the stores' SQL is portable
except for a few SQLite spellings, so :class:`PgConnection` looks like the
``sqlite3.Connection`` the stores already use and adapts only those:

* ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``), outside quotes;
* ``BEGIN IMMEDIATE`` (SQLite's "one writer at a time") becomes ``BEGIN`` plus a
  transaction-scoped advisory lock on the workspace, so writers are serialized exactly
  as on SQLite and invariants such as "a queued run is claimed once" hold;
* migration DDL: ``INTEGER`` -> ``BIGINT``, ``REAL`` -> ``DOUBLE PRECISION``, ``BLOB`` ->
  ``BYTEA``, ``AUTOINCREMENT`` -> ``BIGSERIAL``; every table gets a ``rowid BIGSERIAL``
  column (insertion order for ``ORDER BY ..., rowid``; hidden from rows as SQLite hides
  its own); ``REFERENCES`` clauses are added as constraints when the migration commits
  (SQLite lets a table name one created by a later area); ``COLLATE NOCASE`` is an ICU
  case-insensitive collation created in the workspace's schema;
* integers (and booleans, which SQLite stores as 0/1) are sent untyped, so PostgreSQL
  types them from their column as SQLite's loose typing did;
* ``psycopg.IntegrityError`` is raised as :class:`IntegrityError`, a ``sqlite3.IntegrityError``,
  the exception the stores catch.

Each workspace is one PostgreSQL schema (named from the workspace's identity, or the
URL's ``schema`` query parameter), so one server holds many workspaces.
"""
from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
from typing import Any, Iterator, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from azureml_local.exceptions import ProjectSystemException

URL_ENV = "AZUREML_LOCAL_STORE_URL"
SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")


class IntegrityError(sqlite3.IntegrityError):
    """A PostgreSQL constraint violation, raised as the ``sqlite3.IntegrityError`` stores catch."""


def integrity_error(exc: Exception) -> IntegrityError:
    """The violation worded as SQLite words it (``UNIQUE constraint failed: table.column``), which
    stores match on, followed by PostgreSQL's own message."""
    diag, sqlstate = getattr(exc, "diag", None), getattr(exc, "sqlstate", None)
    table = getattr(diag, "table_name", None) or "?"
    if sqlstate == "23505":
        key = re.search(r"Key \(([^)]*)\)", getattr(diag, "message_detail", None) or "")
        columns = [c.strip() for c in key.group(1).split(",")] if key else ["?"]
        head = "UNIQUE constraint failed: " + ", ".join(f"{table}.{c}" for c in columns)
    elif sqlstate == "23502":
        head = f"NOT NULL constraint failed: {table}.{getattr(diag, 'column_name', None) or '?'}"
    elif sqlstate == "23503":
        head = "FOREIGN KEY constraint failed"
    else:
        head = "constraint failed"
    return IntegrityError(f"{head} ({str(exc).strip()})")


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in SCHEMES


def split_url(url: str) -> tuple[str, str | None]:
    """``(libpq URL, schema or None)``: drops SQLAlchemy's ``+driver`` and our ``schema`` parameter."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    schema = next((v for k, v in query if k == "schema"), None)
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit(("postgresql", parts.netloc, parts.path, rest, parts.fragment)), schema


def schema_for(subscription_id: str, resource_group: str, workspace_name: str) -> str:
    """One schema per workspace identity (the same on every machine of the team)."""
    digest = hashlib.sha1(f"{subscription_id}/{resource_group}/{workspace_name}".lower().encode()).hexdigest()[:10]
    return f"aml_{re.sub(r'[^a-z0-9_]', '_', workspace_name.lower())[:40]}_{digest}"


def redacted(url: str) -> str:
    parts = urlsplit(url)
    netloc = re.sub(r":[^@/]*@", ":***@", parts.netloc)
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


# -- SQL adaptation ------------------------------------------------------------------------
@functools.lru_cache(maxsize=2048)
def adapt(sql: str) -> str:
    """``?`` -> ``%s`` and ``%`` -> ``%%`` outside quoted strings and identifiers."""
    out, quote = [], None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            ch = "%s"
        if ch == "%":
            ch = "%%"
        out.append(ch)
    return "".join(out)


_CREATE_TABLE = re.compile(r"^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(", re.I)
_ALTER_ADD = re.compile(r"^\s*ALTER\s+TABLE\s+\w+\s+ADD\s+COLUMN\b", re.I)
_REFERENCES = re.compile(r"\s+REFERENCES\s+(\w+)\s*\((\w+)\)((?:\s+ON\s+(?:DELETE|UPDATE)\s+(?:CASCADE|SET\s+NULL|"
                         r"RESTRICT|NO\s+ACTION))*)", re.I)
_TYPES = [(re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.I), "BIGSERIAL PRIMARY KEY"),
          (re.compile(r"\bINTEGER\b", re.I), "BIGINT"), (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
          (re.compile(r"\bBLOB\b", re.I), "BYTEA")]


def adapt_ddl(statement: str) -> tuple[str, list[str]]:
    """A migration statement in PostgreSQL's dialect, plus the foreign keys to add at commit."""
    created, altered = _CREATE_TABLE.match(statement), _ALTER_ADD.match(statement)
    if not (created or altered):
        return statement, []
    sql = re.sub(r"--[^\n]*", "", statement)
    for pattern, replacement in _TYPES:
        sql = pattern.sub(replacement, sql)
    if altered:
        return sql, []
    table, foreign_keys, lines = created.group(1), [], []
    for line in sql.splitlines():
        ref = _REFERENCES.search(line)
        if ref:
            column = line.split()[0]
            foreign_keys.append(f"ALTER TABLE {table} ADD FOREIGN KEY ({column}) REFERENCES "
                                f"{ref.group(1)}({ref.group(2)}){ref.group(3)}")
            line = line[:ref.start()] + line[ref.end():]
        lines.append(line)
    sql = "\n".join(lines)
    end = sql.rindex(")")
    return f"{sql[:end].rstrip()},\n    rowid BIGSERIAL\n{sql[end:]}", foreign_keys


# -- rows and cursors ------------------------------------------------------------------------
class Row:
    """What ``sqlite3.Row`` offers: index and (case-insensitive) name access, ``keys()``, ``dict(row)``."""

    __slots__ = ("_values", "_names", "_index")

    def __init__(self, values: Sequence[Any], names: list[str], index: dict[str, int]):
        self._values, self._names, self._index = tuple(values), names, index

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key.lower()]]
            except KeyError:
                raise IndexError("No item with that key") from None
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and (self._names, self._values) == (other._names, other._values)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values))!r})"


def _row_factory(cursor: Any) -> Any:
    description = cursor.description or []
    keep = [i for i, d in enumerate(description) if d.name != "rowid"]  # hidden, as SQLite's rowid
    names = [description[i].name for i in keep]
    index: dict[str, int] = {}
    for j, name in enumerate(names):
        index.setdefault(name.lower(), j)

    def make(values: Sequence[Any]) -> Row:
        return Row([values[i] for i in keep], names, index)
    return make


class Cursor:
    """The part of ``sqlite3.Cursor`` the stores use."""

    def __init__(self, cursor: Any):
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


def _untyped_dumper() -> type:
    from psycopg.adapt import Dumper

    class UntypedInt(Dumper):
        """Integers and booleans go untyped (oid 0): PostgreSQL takes the column's type, like SQLite."""

        def dump(self, obj: Any) -> bytes:
            return str(int(obj)).encode()
    return UntypedInt


class PgConnection:
    """One psycopg connection looking like the ``sqlite3.Connection`` the stores use."""

    def __init__(self, url: str, schema: str):
        import psycopg  # the `postgres` extra; imported only for a PostgreSQL store

        self._psycopg = psycopg
        self.schema = schema
        self._lock_key = int.from_bytes(hashlib.sha1(schema.encode()).digest()[:8], "big", signed=True)
        self._pending_fks: list[str] = []
        try:
            self._conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise ProjectSystemException(
                f"The workspace store at {redacted(url)} cannot be reached ({str(exc).strip()}). Check "
                f"{URL_ENV} (user, password, host, port, database) and that the server is running.") from exc
        dumper = _untyped_dumper()
        self._conn.adapters.register_dumper(int, dumper)
        self._conn.adapters.register_dumper(bool, dumper)
        self._prepare_schema()

    def _prepare_schema(self) -> None:
        """The workspace's schema and its ``nocase`` collation, created once under the workspace lock."""
        quoted = '"' + self.schema.replace('"', '""') + '"'
        with self._conn.transaction():
            self._conn.execute(f"SELECT pg_advisory_xact_lock({self._lock_key})")
            self._conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
            self._conn.execute(f"CREATE COLLATION IF NOT EXISTS {quoted}.nocase "
                               "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)")
        self._conn.execute(f"SET search_path TO {quoted}")

    @property
    def closed(self) -> bool:
        """True once the server closed the connection (restarted, or the backend was terminated)."""
        return self._conn.closed

    @property
    def in_transaction(self) -> bool:
        return self._conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> Cursor:
        verb = sql.strip().upper()
        if verb == "BEGIN IMMEDIATE":
            self._raw("BEGIN")
            return self._raw(f"SELECT pg_advisory_xact_lock({self._lock_key})")
        if verb == "COMMIT" and self._pending_fks:
            pending, self._pending_fks = self._pending_fks, []
            for statement in pending:
                self._raw(statement)
        if verb == "ROLLBACK":
            self._pending_fks = []
        statement, foreign_keys = adapt_ddl(sql)
        self._pending_fks.extend(foreign_keys)
        return self._raw(adapt(statement), params if params is not None else ())

    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> Cursor:
        cursor = self._conn.cursor()
        try:
            cursor.executemany(adapt(sql), list(seq))
        except self._psycopg.IntegrityError as exc:
            raise integrity_error(exc) from exc
        return Cursor(cursor)

    def _raw(self, sql: str, params: Any = None) -> Cursor:
        try:
            return Cursor(self._conn.execute(sql, params))
        except self._psycopg.IntegrityError as exc:
            raise integrity_error(exc) from exc
        except self._psycopg.OperationalError as exc:
            if not self._conn.closed:
                raise
            raise ProjectSystemException(
                f"The connection to the workspace store (schema {self.schema}) was lost ({str(exc).strip()}); "
                "nothing of this statement was committed. Retry: the next call reconnects.") from exc

    def close(self) -> None:
        self._conn.close()
