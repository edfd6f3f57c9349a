"""The pytest plugin (entry point ``pytest11``: installing azureml-local is enough). See docs/testing.md.

Fixtures (none is autouse: a project opts in by naming them):

* ``azureml_local_home`` - a fresh ``AZUREML_LOCAL_HOME`` for the test, blob backend selected; at the
  end every workspace service and Azurite under it is stopped, run logs are copied to
  ``--azureml-logs-dir`` when given, and the folder is removed;
* ``azureml_workspace`` / ``azureml_session_workspace`` - a local workspace with a ``config.json`` in a
  temporary folder that ``Workspace.from_config()`` finds from any current folder (function / session
  scope); its ids come from ``azureml_workspace_identity`` (override it in a conftest), else from a
  ``config.json`` found from the current folder, else test defaults;
* ``azureml_runs_finished`` - at the end of the test, waits for every run of ``azureml_workspace`` to end
  and fails the test naming the runs still active (calling it waits mid-test);
* ``azureml_cloud_urls`` (also the marker ``@pytest.mark.azureml_cloud_urls``) - ``requests`` calls to
  ``*.api.azureml.ms`` answered by the local service, other external hosts refused;
* ``azureml_azurite`` - one in-memory Azurite for the session (its connection string).

Options: ``--azureml-blob-backend=azurite|folder`` (ini ``azureml_blob_backend``; marker
``@pytest.mark.azureml_blob_backend("folder")`` per test), ``--azureml-logs-dir=DIR``,
``--azureml-run-timeout=SECONDS``. At the end of a session that used these fixtures, any workspace
service or Azurite still alive under pytest's temporary folder is stopped and the session fails.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from azureml_local.store.azurite_testing import session_azurite
from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV
from azureml_local.testing.isolation import BACKENDS, IsolatedHome
from azureml_local.testing.leftovers import stop_and_report
from azureml_local.testing.mock import open_workspace
from azureml_local.testing.runs import RunsStillActive, wait_for_runs

DEFAULT_RUN_TIMEOUT = 300.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("azureml-local", "azureml-local workspaces (docs/testing.md)")
    group.addoption("--azureml-blob-backend", choices=BACKENDS, default=None,
                    help="blob storage of the test workspaces: azurite (default; one in-memory Azurite per "
                         "session, a plain folder when Node/Azurite is missing) or folder")
    group.addoption("--azureml-logs-dir", default=None, metavar="DIR",
                    help="copy each test workspace's run logs and service log to DIR/<test id>/ before its "
                         "folder is removed (CI artifacts)")
    group.addoption("--azureml-run-timeout", type=float, default=None, metavar="SECONDS",
                    help=f"how long azureml_runs_finished waits for runs to end (default {DEFAULT_RUN_TIMEOUT:.0f})")
    parser.addini("azureml_blob_backend", "blob backend of test workspaces: azurite or folder", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "azureml_blob_backend(name): blob storage of this test's azureml-local "
                                       "workspace: 'azurite' or 'folder'")
    config.addinivalue_line("markers", "azureml_cloud_urls: answer requests to *.api.azureml.ms with the local "
                                       "workspace service and refuse other external hosts during this test")


# -- session -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def azureml_session_guard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """At the end of the session, no workspace service or Azurite started under pytest's temporary folder lives."""
    yield
    message = stop_and_report(tmp_path_factory.getbasetemp(), grace=5.0)
    if message:
        pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def azureml_azurite() -> Iterator[str | None]:
    """The connection string of one in-memory Azurite for the session (an existing
    ``AZUREML_LOCAL_STORAGE_CONNECTION_STRING`` is used instead); None when Azurite is not installed."""
    for instance in session_azurite():
        yield instance.connection_string if instance is not None else os.environ.get(CONNECTION_STRING_ENV)


@pytest.fixture(scope="session")
def azureml_workspace_identity() -> dict:
    """Ids of the test workspaces (``subscription_id``, ``resource_group``, ``workspace_name``); override
    in a conftest. Empty: the ``config.json`` found from the current folder, else test defaults."""
    return {}


def _backend(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("azureml_blob_backend")
    if marker is not None and marker.args:
        return str(marker.args[0])
    config = request.config
    return config.getoption("azureml_blob_backend") or config.getini("azureml_blob_backend") or "azurite"


def _isolated(request: pytest.FixtureRequest, home: Path, monkeypatch: Any, label: str) -> IsolatedHome:
    backend = _backend(request)
    connection = request.getfixturevalue("azureml_azurite") if backend == "azurite" else None
    logs = request.config.getoption("azureml_logs_dir")
    return IsolatedHome(home, monkeypatch, Path(logs).resolve() if logs else None, label).enter(backend, connection)


@pytest.fixture(scope="session")
def azureml_session_workspace(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                              azureml_session_guard: None, azureml_workspace_identity: dict) -> Iterator[Any]:
    """A workspace shared by the session (its own home; stopped and removed at the end)."""
    folder = tmp_path_factory.mktemp("azureml-session")
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolated = _isolated(request, folder / "home", monkeypatch, "session")
        try:
            yield open_workspace(isolated, folder / "config", azureml_workspace_identity)
        finally:
            isolated.close()


# -- function ------------------------------------------------------------------------------------------------
@pytest.fixture
def azureml_local_home(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       azureml_session_guard: None) -> Iterator[Path]:
    """A fresh ``AZUREML_LOCAL_HOME`` (``tmp_path/home``): stopped and removed after the test."""
    isolated = _isolated(request, tmp_path / "home", monkeypatch, request.node.nodeid)
    try:
        yield isolated.home
    finally:
        isolated.close()


@pytest.fixture
def azureml_workspace(azureml_local_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      azureml_workspace_identity: dict) -> Any:
    """The test's workspace; ``Workspace.from_config()`` opens the same one (``tmp_path/azureml-config``)."""
    return open_workspace(IsolatedHome(azureml_local_home, monkeypatch), tmp_path / "azureml-config",
                          azureml_workspace_identity)


@pytest.fixture
def azureml_runs_finished(request: pytest.FixtureRequest, azureml_workspace: Any) -> Iterator[Callable[..., None]]:
    """Fails the test when a run of ``azureml_workspace`` is still active at its end (after waiting)."""
    timeout = request.config.getoption("azureml_run_timeout") or DEFAULT_RUN_TIMEOUT

    def wait(timeout: float = timeout) -> None:
        wait_for_runs(azureml_workspace, timeout)

    yield wait
    try:
        wait()
    except RunsStillActive as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def azureml_cloud_urls() -> Iterator[Any]:
    """Cloud URLs answered locally during the test (``azureml_local.testing.cloud_urls.CloudUrls``)."""
    from azureml_local.testing.cloud_urls import CloudUrls  # heavy: requests, responses, wrapt

    with CloudUrls() as router:
        yield router


@pytest.fixture(autouse=True)
def _azureml_cloud_urls_marker(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.azureml_cloud_urls`` = the ``azureml_cloud_urls`` fixture."""
    if request.node.get_closest_marker("azureml_cloud_urls") is not None:
        request.getfixturevalue("azureml_cloud_urls")
