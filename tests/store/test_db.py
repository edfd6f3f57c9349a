import multiprocessing

import pytest

from azureml_local.exceptions import ProjectSystemException
from azureml_local.store.db import Database, migration_areas


def test_migrations_applied_once(make_db, store_kind):
    db = make_db("s.db")
    versions = {r["area"]: r["version"] for r in db.query("SELECT * FROM schema_versions")}
    assert versions == {area: len(steps) for area, steps in migration_areas()}
    make_db("s.db").query("SELECT 1")  # reopening does not re-run steps
    if store_kind == "sqlite":
        assert db.query_one("PRAGMA journal_mode")[0] == "wal"


def test_transaction_rolls_back(make_db):
    db = make_db("s.db")
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            conn.execute("INSERT INTO settings(key, value) VALUES ('a', '1')")
            raise RuntimeError("boom")
    assert db.query("SELECT * FROM settings") == []


def _writer(path, url, schema, n, tag):
    db = Database(path, url=url, schema=schema)
    for i in range(n):
        with db.transaction() as conn:
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (f"{tag}-{i}", "x"))


def test_concurrent_writers_lose_nothing(make_db):
    db = make_db("s.db")
    db.query("SELECT 1")
    procs = [multiprocessing.get_context("spawn").Process(target=_writer, args=(db.path, db.url, db.schema, 200, t))
             for t in "abcd"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert db.query_one("SELECT count(*) FROM settings")[0] == 800


def test_corrupted_database_gives_clear_error(tmp_path):
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ProjectSystemException, match="corrupted"):
        Database(path).query("SELECT 1")


def test_a_deleted_folder_is_not_brought_back_by_another_thread(tmp_path):
    """A long-lived process (the service) opens connections per thread: once its workspace folder
    is deleted, a new thread's query fails clearly instead of recreating the folder and an empty
    database in it (which also made a user's ``rm -rf`` of the folder fail with "not empty")."""
    import shutil
    import threading

    folder = tmp_path / "ws"
    db = Database(folder / "store.db")
    db.query("SELECT 1")
    shutil.rmtree(folder)
    raised: list[BaseException] = []
    thread = threading.Thread(target=lambda: _record(raised, lambda: db.query("SELECT 1")))
    thread.start()
    thread.join()
    assert len(raised) == 1 and isinstance(raised[0], ProjectSystemException)
    assert "is gone: its folder was deleted or moved" in raised[0].message
    assert not folder.exists()


def _record(raised: list[BaseException], call) -> None:
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - the test inspects it
        raised.append(exc)
