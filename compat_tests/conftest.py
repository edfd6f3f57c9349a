"""Fixtures for compat tests: same isolation as ``tests/conftest.py`` (own home, own cwd, one Azurite)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def azurite_session():
    from azureml_local.store.azurite_testing import session_azurite

    yield from session_azurite()


@pytest.fixture(autouse=True)
def local_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("AZUREML_LOCAL_HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


@pytest.fixture
def ws(local_home: Path):
    from azureml.core import Workspace

    Path("config.json").write_text(json.dumps({"subscription_id": "sub-compat", "resource_group": "rg-compat",
                                               "workspace_name": "compat"}))
    return Workspace.from_config()


@pytest.fixture(autouse=True)
def _stop_workspace_services(local_home: Path):
    """Stop workspace runner processes a test started (they are detached and would idle for minutes)."""
    yield
    if (local_home / "workspaces").exists():
        from azureml_local.service_control import stop_services_under

        stop_services_under(local_home)
