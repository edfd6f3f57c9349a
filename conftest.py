"""Fixtures shared by ``tests/`` and ``compat_tests/``: isolation and one Azurite per session.

The logic is the project's own pytest plugin's (``azureml_local/testing/pytest_plugin.py``, loaded
once through its ``pytest11`` entry point, never from here): every test gets its own
``AZUREML_LOCAL_HOME`` (``azureml_local_home``: services and Azurite under it stopped after the test,
the folder removed) and, here only, its own current folder; all workspaces' blobs go to the plugin's
one in-memory Azurite (docs/storage.md, docs/testing.md).
"""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def azurite_session(azureml_azurite: str | None) -> str | None:
    """One in-memory Azurite for the session (the plugin's), exported as the storage connection string."""
    return azureml_azurite


@pytest.fixture(autouse=True)
def local_home(azureml_local_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Isolate each test: the plugin's fresh workspace root, and a fresh current directory."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return azureml_local_home
