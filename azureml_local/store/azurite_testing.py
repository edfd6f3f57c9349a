"""One in-memory Azurite for a whole test session (used by ``tests/conftest.py``).

Every workspace opened during the session then stores its blobs there, through
``AZUREML_LOCAL_STORAGE_CONNECTION_STRING`` (container names carry the workspace
id, so tests never collide). When the variable is already set (CI with a docker
Azurite, or a real account) that storage is used and nothing is started.

When no azurite-blob is installed the session still runs (workspaces fall back to
the folder backend); tests that need Azurite call :func:`require_azurite`, which
*fails* with the reason - CI installs Azurite, so a silent skip would hide a gap.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from azureml_local.store.azurite import AzuriteInstance, AzuriteNotAvailableError, start_azurite, terminate
from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV

_state: dict[str, str] = {}


def session_azurite() -> Iterator[AzuriteInstance | None]:
    """Generator for a session fixture: start, export the connection string, stop at the end."""
    if os.environ.get(CONNECTION_STRING_ENV):
        _state["connection_string"] = os.environ[CONNECTION_STRING_ENV]
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="azureml-local-test-azurite-"))  # its log; removed at the end
    try:
        try:
            inst = start_azurite(None, folder / "azurite.log", in_memory=True, detached=False)  # dies with a Ctrl-C'd session
        except AzuriteNotAvailableError as exc:
            _state["error"] = exc.message
            yield None
            return
        _state["connection_string"] = inst.connection_string
        os.environ[CONNECTION_STRING_ENV] = inst.connection_string
        try:
            yield inst
        finally:
            os.environ.pop(CONNECTION_STRING_ENV, None)
            _state.pop("connection_string", None)
            terminate(inst.pid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def require_azurite() -> str:
    """The session's connection string; fails the calling test (never skips) when there is none."""
    conn = _state.get("connection_string")
    if conn:
        return conn
    import pytest

    pytest.fail("This test needs Azurite, which is not available: "
                f"{_state.get('error', 'the azurite_session fixture did not run')}", pytrace=False)
    raise AssertionError  # unreachable
