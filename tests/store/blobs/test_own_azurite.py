"""The workspace's own Azurite restarted under its clients: the same store, Workspace, Datastore and
the already-running runner keep working, with the data written before the stop (real Azurite)."""
from __future__ import annotations

import json
import os
import signal
import socket
import time
from pathlib import Path

import pytest

from azureml_local.processes import pid_alive
from azureml_local.store import azurite
from azureml_local.store.azurite_testing import require_azurite
from azureml_local.store.blobs.base import BlobStoreUnreachableError
from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV, open_blob_store

AUTOSAVE_WAIT = 6.0  # Azurite saves its metadata every 5 s: what a SIGKILL keeps


@pytest.fixture
def own_azurite(monkeypatch):
    """Workspaces of this test use their own Azurite (not the session's shared one)."""
    require_azurite()
    monkeypatch.delenv(CONNECTION_STRING_ENV, raising=False)


@pytest.fixture
def folder(tmp_path, own_azurite):
    f = tmp_path / "wsf"
    f.mkdir()
    (f / "workspace.json").write_text(json.dumps({"workspace_id": "x"}))
    yield f
    azurite.stop_azurite(f)


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not pid_alive(pid)


def _restart_on_another_port(folder: Path) -> int:
    """Stop the workspace's Azurite and restart it while another program holds its port."""
    port = azurite.azurite_status(folder).port
    azurite.stop_azurite(folder)
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # old connections linger in TIME_WAIT
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        return azurite.ensure_azurite(folder).port  # as another process would


def test_graceful_stop_then_the_same_store_restarts_it_on_the_same_port(folder):
    store = open_blob_store(folder)
    store.create_container("keep")
    store.upload_bytes("keep", "a.txt", b"before")
    first = azurite.azurite_status(folder)
    assert azurite.stop_azurite(folder) is True
    assert store.download_bytes("keep", "a.txt") == b"before"  # transparently restarted
    again = azurite.azurite_status(folder)
    assert again is not None and again.pid != first.pid and again.port == first.port
    store.upload_bytes("keep", "b.txt", b"after")
    assert [b.name for b in store.list_blobs("keep")] == ["a.txt", "b.txt"]


def test_sigkill_then_the_same_store_restarts_it(folder):
    store = open_blob_store(folder)
    store.create_container("keep")
    store.upload_bytes("keep", "a.txt", b"before")
    time.sleep(AUTOSAVE_WAIT)
    first = azurite.azurite_status(folder)
    _kill(first.pid)
    assert store.download_bytes("keep", "a.txt") == b"before"
    assert azurite.azurite_status(folder).pid != first.pid


def test_previous_port_taken_then_a_new_port_and_the_store_follows(folder):
    store = open_blob_store(folder)
    store.create_container("keep")
    store.upload_bytes("keep", "a.txt", b"before")
    old = azurite.azurite_status(folder)
    new_port = _restart_on_another_port(folder)
    assert new_port != old.port
    assert store.download_bytes("keep", "a.txt") == b"before"  # old port refused: the store follows
    assert str(new_port) in store.url("keep")


def test_external_connection_string_fails_clearly_and_starts_nothing(tmp_path, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    monkeypatch.setenv(CONNECTION_STRING_ENV, require_azurite().replace(
        require_azurite().split("BlobEndpoint=")[1].split(";")[0], f"http://127.0.0.1:{port}/devstoreaccount1"))
    ws_folder = tmp_path / "ext"
    ws_folder.mkdir()
    store = open_blob_store(ws_folder)
    with pytest.raises(BlobStoreUnreachableError, match=f"Cannot reach blob storage at http://127.0.0.1:{port}"):
        store.container_exists("nope")
    assert not (ws_folder / "azurite").exists()


def test_deleted_workspace_folder_is_not_resurrected(folder):
    import shutil

    store = open_blob_store(folder)
    store.create_container("keep")
    azurite.stop_azurite(folder)
    shutil.rmtree(folder)
    with pytest.raises(BlobStoreUnreachableError):
        store.container_exists("keep")
    assert not folder.exists()


# -- through the SDK: the same Workspace, a Datastore, a run in the already-running runner -----------
def _write_run_script(src: Path) -> None:
    src.mkdir(exist_ok=True)
    (src / "train.py").write_text(
        "import os\nos.makedirs('outputs', exist_ok=True)\n"
        "open('outputs/out.txt', 'w').write(os.environ['AZUREML_RUN_ID'])\n")


@pytest.mark.parametrize("how", ["graceful", "sigkill"])
def test_workspace_datastore_and_runner_survive_an_azurite_restart(own_azurite, config_json, tmp_path, how):
    from azureml.core import Datastore, Experiment, ScriptRunConfig, Workspace
    from azureml_local.service import control as service_control

    ws = Workspace.from_config()
    try:
        assert ws._blobs.kind == "azurite"
        ds = ws.get_default_datastore()
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "x.csv").write_text("a\n1\n")
        ds.upload(str(tmp_path / "data"), target_path="in", show_progress=False)
        src = tmp_path / "src"
        _write_run_script(src)
        first = Experiment(ws, "restart").submit(ScriptRunConfig(str(src), "train.py"))
        assert first.wait_for_completion()["status"] == "Completed"
        runner = service_control.ensure_service(ws, wait=True)  # serving (its HTTP side may still be loading)
        assert runner is not None
        old = azurite.azurite_status(ws._local_folder)

        if how == "graceful":
            azurite.stop_azurite(ws._local_folder)  # what `azureml-local service stop` does to Azurite
        else:
            time.sleep(AUTOSAVE_WAIT)
            _kill(old.pid)

        # the same Workspace and a Datastore object fetched before the stop
        assert ws._blobs.download_bytes(ds.container_name, "in/x.csv") == b"a\n1\n"
        assert azurite.azurite_status(ws._local_folder).pid != old.pid
        (tmp_path / "data" / "y.csv").write_text("b\n2\n")
        ds.upload_files([str(tmp_path / "data" / "y.csv")], target_path="in", show_progress=False)
        assert Datastore.get(ws, ds.name).download(str(tmp_path / "dl"), prefix="in", show_progress=False) == 2
        # a second run handled by the runner that was already running, after a restart on another port
        assert _restart_on_another_port(ws._local_folder) != old.port
        second = Experiment(ws, "restart").submit(ScriptRunConfig(str(src), "train.py"))
        assert second.wait_for_completion()["status"] == "Completed"
        assert service_control.service_info(ws)["pid"] == runner["pid"]
        for run in (first, second):
            run.download_file("outputs/out.txt", str(tmp_path / f"{run.id}.txt"))
            assert (tmp_path / f"{run.id}.txt").read_text() == run.id
    finally:
        service_control.stop_workspace_processes(ws)
