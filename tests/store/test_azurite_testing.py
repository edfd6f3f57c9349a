"""store/azurite_testing.py: the session's Azurite leaves nothing behind (process or log folder)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from azureml_local.processes import pid_alive
from azureml_local.store import azurite_testing
from azureml_local.store.azurite_testing import require_azurite, session_azurite
from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV


def test_a_session_azurite_removes_its_log_folder_and_stops(monkeypatch, tmp_path: Path):
    require_azurite()  # Azurite is installed (the session runs one)
    monkeypatch.delenv(CONNECTION_STRING_ENV)
    monkeypatch.setattr(azurite_testing, "_state", {})  # this second instance must not touch the session's
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # mkdtemp creates its folder here
    session = session_azurite()
    instance = next(session)
    assert instance is not None and pid_alive(instance.pid)
    assert [p.name for p in temp.iterdir() if p.name.startswith("azureml-local-test-azurite-")]
    for _ in session:  # the fixture's end
        pass
    assert not pid_alive(instance.pid)
    assert not list(temp.iterdir())
