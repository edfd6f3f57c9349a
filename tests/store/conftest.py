"""The metadata-store backends the store suites run against: SQLite and PostgreSQL.

PostgreSQL is a private server started once for the session from the OS's binaries
(``azureml_local/store/postgres_testing.py``) and stopped at its end; each test gets
fresh schemas on it. Where no server binaries or no driver can be had, the PostgreSQL
half of every parametrized test is skipped with the reason.

* ``make_db(name)``: a ``Database`` of the test's backend (the same name reopens the same one);
* ``backend``: the run, pipeline-run and published stores on one ``make_db()``;
* ``ws``: a workspace whose store is the test's backend (PostgreSQL through
  ``AZUREML_LOCAL_STORE_URL`` with a schema of its own, inherited by subprocesses).
"""
from __future__ import annotations

import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterator

import pytest

from azureml_local.store.db import Database
from azureml_local.store.postgres import URL_ENV
from azureml_local.store.postgres_testing import PostgresNotAvailable, PostgresServer

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | str]:
    """The session's PostgreSQL server, or the reason there is none (tests then skip)."""
    try:
        server = PostgresServer().start()
    except PostgresNotAvailable as exc:
        yield f"PostgreSQL not available here: {exc}"
        return
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def postgres_url(store_kind: str, request: pytest.FixtureRequest) -> str | None:
    """The server's URL when the test runs on PostgreSQL (None on SQLite)."""
    if store_kind != "postgresql":
        return None
    server = request.getfixturevalue("postgres_server")
    if isinstance(server, str):
        pytest.skip(server)
    return server.url


@pytest.fixture
def make_db(postgres_url: str | None, tmp_path: Path) -> Iterator[Callable[..., Database]]:
    opened: list[Database] = []
    schemas: dict[str, str] = {}

    def make(name: str = "store.db") -> Database:
        if postgres_url is None:
            db = Database(tmp_path / name)
        else:
            schema = schemas.setdefault(name, f"t_{uuid.uuid4().hex[:16]}")
            db = Database(tmp_path / name, url=postgres_url, schema=schema)
        opened.append(db)
        return db
    yield make
    for db in opened:
        db.close()


@pytest.fixture
def backend(make_db: Callable[..., Database]) -> SimpleNamespace:
    from azureml_local.store.pipeline_runs import PipelineRunStore
    from azureml_local.store.published import PublishedStore
    from azureml_local.store.runs import RunStore

    db = make_db()
    return SimpleNamespace(runs=RunStore(db), pipeline_runs=PipelineRunStore(db), published=PublishedStore(db),
                           close=db.close)


@pytest.fixture
def ws(postgres_url: str | None, monkeypatch: pytest.MonkeyPatch, config_json: Path):
    """The shared ``ws`` fixture, on the test's backend."""
    if postgres_url is not None:
        monkeypatch.setenv(URL_ENV, f"{postgres_url}?schema=ws_{uuid.uuid4().hex[:16]}")
    from azureml.core import Workspace

    return Workspace.from_config()
