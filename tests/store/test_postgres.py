"""The PostgreSQL dialect layer: what it rewrites, how it opens a workspace, how errors read.

The store suites themselves run on a real server (``tests/store/conftest.py``); these pin the
pieces whose mistakes would show only as odd failures there.
"""
from __future__ import annotations

import pytest

from azureml_local.exceptions import ProjectSystemException
from azureml_local.store.db import Database, IntegrityError, open_database
from azureml_local.store.postgres import URL_ENV, adapt, adapt_ddl, schema_for, split_url


def test_placeholders_and_percent_signs_outside_quotes_only():
    assert adapt("SELECT * FROM t WHERE a=? AND b LIKE 'x%?' AND \"c?\" = ?") == \
        "SELECT * FROM t WHERE a=%s AND b LIKE 'x%%?' AND \"c?\" = %s"


def test_ddl_types_rowid_and_deferred_foreign_keys():
    sql, fks = adapt_ddl("CREATE TABLE m (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                         "  run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE, -- the run (x)\n"
                         "  v REAL, b BLOB, n INTEGER NOT NULL DEFAULT 0\n)")
    assert "BIGSERIAL PRIMARY KEY" in sql and "DOUBLE PRECISION" in sql and "BYTEA" in sql
    assert "n BIGINT NOT NULL" in sql and "REFERENCES" not in sql and "--" not in sql
    assert sql.rstrip().endswith("rowid BIGSERIAL\n)")
    assert fks == ["ALTER TABLE m ADD FOREIGN KEY (run_id) REFERENCES runs(run_id) ON DELETE CASCADE"]
    assert adapt_ddl("CREATE INDEX i ON m(run_id)") == ("CREATE INDEX i ON m(run_id)", [])


def test_urls_and_schemas():
    assert split_url("postgresql+psycopg://u:p@h:5/db?sslmode=require&schema=team") == \
        ("postgresql://u:p@h:5/db?sslmode=require", "team")
    assert schema_for("sub", "rg", "My-WS") == schema_for("sub", "rg", "My-WS") != schema_for("sub", "rg2", "My-WS")
    assert schema_for("sub", "rg", "My-WS").startswith("aml_my_ws_")


def test_the_workspace_store_follows_the_url(tmp_path, monkeypatch):
    monkeypatch.delenv(URL_ENV, raising=False)
    assert open_database(tmp_path, "s", "r", "w").dialect == "sqlite"
    monkeypatch.setenv(URL_ENV, "postgresql://u:secret@127.0.0.1:1/db")
    db = open_database(tmp_path, "s", "r", "w")
    assert (db.dialect, db.schema) == ("postgresql", schema_for("s", "r", "w"))
    with pytest.raises(ProjectSystemException, match=r"cannot be reached.*AZUREML_LOCAL_STORE_URL") as err:
        db.query("SELECT 1")
    assert "secret" not in str(err.value)
    monkeypatch.setenv(URL_ENV, "mysql://u@h/db")
    with pytest.raises(ProjectSystemException, match="postgresql://user:password@host"):
        open_database(tmp_path, "s", "r", "w")


def test_constraint_violations_read_as_on_sqlite(make_db):
    db: Database = make_db()
    db.execute("INSERT INTO settings(key, value) VALUES (?, ?)", ("k", "v"))
    with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: settings\.key"):
        db.execute("INSERT INTO settings(key, value) VALUES (?, ?)", ("k", "w"))


def test_a_lost_connection_says_so_and_the_next_call_reconnects(make_db, store_kind):
    if store_kind != "postgresql":
        pytest.skip("a server connection exists only on PostgreSQL")
    db: Database = make_db()
    pid = db.query_one("SELECT pg_backend_pid()")[0]
    make_db("other.db").query("SELECT pg_terminate_backend(?)", (pid,))  # as a server restart would
    with pytest.raises(ProjectSystemException, match="connection to the workspace store .* was lost"):
        db.query("SELECT 1")
    assert db.query_one("SELECT 1")[0] == 1
