"""The watchdog of a workspace-owned Azurite: stops it when its folder disappears or it sits idle,
and exits with it (real Azurite, real watchdog process)."""
from __future__ import annotations

import json
import time

import pytest

from azureml_local.exceptions import UserErrorException
from azureml_local.processes import pid_alive
from azureml_local.store import azurite
from azureml_local.store.azurite_testing import require_azurite
from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV, open_blob_store


@pytest.fixture
def folder(tmp_path, monkeypatch):
    require_azurite()
    monkeypatch.delenv(CONNECTION_STRING_ENV, raising=False)
    f = tmp_path / "wsw"
    f.mkdir()
    (f / "workspace.json").write_text(json.dumps({"workspace_id": "w"}))
    yield f
    if f.exists():
        azurite.stop_azurite(f)


def _gone(*pids: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while any(pid_alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_each_instance_has_a_watchdog_that_exits_with_it(folder):
    inst = azurite.ensure_azurite(folder)
    assert inst.watchdog_pid and pid_alive(inst.watchdog_pid)
    assert json.loads((folder / "azurite" / "instance.json").read_text())["watchdog_pid"] == inst.watchdog_pid
    azurite.stop_azurite(folder)
    assert _gone(inst.watchdog_pid, within=5)


def test_removed_folder_stops_azurite_and_watchdog(folder, delete_in_use):
    inst = azurite.ensure_azurite(folder)
    delete_in_use(folder)
    assert _gone(inst.pid, inst.watchdog_pid, within=8)


def test_idle_azurite_is_stopped_then_restarted_on_next_use_with_its_data(folder, monkeypatch):
    monkeypatch.setenv(azurite.IDLE_ENV, "2")
    store = open_blob_store(folder)
    store.create_container("idle")
    store.upload_bytes("idle", "a.txt", b"kept")
    first = azurite.azurite_status(folder)
    assert _gone(first.pid, first.watchdog_pid, within=15)
    assert not (folder / "azurite" / "instance.json").exists()
    assert store.download_bytes("idle", "a.txt") == b"kept"  # transparently restarted
    second = azurite.azurite_status(folder)
    assert second.pid != first.pid and second.port == first.port


def test_traffic_keeps_it_running(folder, monkeypatch):
    monkeypatch.setenv(azurite.IDLE_ENV, "3")
    store = open_blob_store(folder)
    store.create_container("busy")
    inst = azurite.azurite_status(folder)
    for _ in range(10):  # 5 s of use, longer than the idle limit
        store.upload_bytes("busy", "a.txt", b"x")
        time.sleep(0.5)
    assert pid_alive(inst.pid) and azurite.azurite_status(folder) == inst


def test_idle_setting_is_validated(folder, monkeypatch):
    monkeypatch.setenv(azurite.IDLE_ENV, "soon")
    with pytest.raises(UserErrorException, match=azurite.IDLE_ENV):
        azurite.ensure_azurite(folder)
    monkeypatch.setenv(azurite.IDLE_ENV, "0")
    assert azurite.idle_seconds() == 0
    monkeypatch.delenv(azurite.IDLE_ENV)
    assert azurite.idle_seconds() == azurite.DEFAULT_IDLE_SECONDS
