"""Shared fixtures: every test gets its own AZUREML_LOCAL_HOME and working folder."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def azurite_session():
    """One in-memory Azurite for the session; every workspace's blobs go there (docs/storage.md)."""
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
        from azureml_local.service_control import stop_services_under

        stop_services_under(local_home)


@pytest.fixture
def config_json(local_home: Path) -> Path:
    """A cloud-style config.json in the current folder."""
    path = Path("config.json")
    path.write_text(json.dumps({"subscription_id": "sub-1", "resource_group": "rg-1",
                                "workspace_name": "ws1"}))
    return path.resolve()


@pytest.fixture
def ws(config_json: Path):
    from azureml.core import Workspace

    return Workspace.from_config()
