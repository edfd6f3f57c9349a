"""Fixtures shared by ``tests/`` and ``compat_tests/``: isolation and one Azurite per session.

Every test gets its own ``AZUREML_LOCAL_HOME`` and current folder; runner processes a test
started are stopped after it; all workspaces' blobs go to one in-memory Azurite (docs/storage.md).
"""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def azurite_session():
    """One in-memory Azurite for the session, exported as the storage connection string."""
    from azureml_local.store.azurite_testing import session_azurite

    yield from session_azurite()


@pytest.fixture(autouse=True)
def local_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Isolate each test: a fresh workspace root and a fresh current directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("AZUREML_LOCAL_HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


@pytest.fixture(autouse=True)
def _stop_workspace_services(local_home: Path):
    """Stop workspace runner processes a test started (they are detached and would idle for minutes)."""
    yield
    if (local_home / "workspaces").exists():
        from azureml_local.service.control import stop_services_under

        stop_services_under(local_home)
