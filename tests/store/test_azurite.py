"""Lifecycle of a workspace's own Azurite: real processes, real ports, real files."""
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from azureml_local.exceptions import ProjectSystemException, UserErrorException
from azureml_local.store import azurite, azurite_process
from azureml_local.store.azurite import (AzuriteNotAvailableError, azurite_status, ensure_azurite, find_azurite,
                                         install_azurite, stop_azurite)
from azureml_local.store.azurite_testing import require_azurite


@pytest.fixture
def ws_folder(tmp_path):
    """A workspace folder whose Azurite is always stopped afterwards."""
    require_azurite()
    folder = tmp_path / "ws"
    folder.mkdir()
    yield folder
    stop_azurite(folder)


def _alive(pid: int) -> bool:
    return azurite._pid_alive(pid)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_start_reuse_and_graceful_stop(ws_folder):
    inst = ensure_azurite(ws_folder)
    recorded = json.loads((ws_folder / "azurite" / "instance.json").read_text())
    assert recorded["pid"] == inst.pid and recorded["port"] == inst.port and recorded["started_at"]
    assert _alive(inst.pid)
    with socket.create_connection(("127.0.0.1", inst.port), timeout=2):
        pass
    assert ensure_azurite(ws_folder) == inst  # same process reuses it
    assert azurite_status(ws_folder) == inst
    assert stop_azurite(ws_folder) is True
    assert not _alive(inst.pid)
    assert not (ws_folder / "azurite" / "instance.json").exists()
    assert azurite_status(ws_folder) is None
    assert stop_azurite(ws_folder) is False


def test_reuse_from_a_second_process_and_survives_its_starter(ws_folder):
    code = ("import json,sys; from azureml_local.store.azurite import ensure_azurite; "
            "i = ensure_azurite(sys.argv[1]); print(json.dumps([i.pid, i.port]))")
    first = json.loads(subprocess.run([sys.executable, "-c", code, str(ws_folder)], check=True,
                                      capture_output=True, text=True).stdout)
    # the starting process has exited; Azurite (detached) keeps running and is reused
    assert _alive(first[0])
    second = json.loads(subprocess.run([sys.executable, "-c", code, str(ws_folder)], check=True,
                                       capture_output=True, text=True).stdout)
    assert second == first
    inst = ensure_azurite(ws_folder)
    assert [inst.pid, inst.port] == first


def test_concurrent_starts_make_one_instance(ws_folder):
    code = ("import json,sys; from azureml_local.store.azurite import ensure_azurite; "
            "i = ensure_azurite(sys.argv[1]); print(json.dumps([i.pid, i.port]))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(ws_folder)], stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    results = {out for out in (p.communicate()[0] for p in procs)}
    assert len(results) == 1


def test_data_survives_a_graceful_restart(ws_folder):
    from azureml_local.store.blobs.azure import AzureBlobStore

    inst = ensure_azurite(ws_folder)
    store = AzureBlobStore(inst.connection_string)
    store.create_container("keep")
    store.upload_bytes("keep", "a.txt", b"kept")
    store.close()
    stop_azurite(ws_folder)
    again = ensure_azurite(ws_folder)
    assert again.pid != inst.pid
    store = AzureBlobStore(again.connection_string)
    assert store.download_bytes("keep", "a.txt") == b"kept"
    store.close()


@pytest.mark.parametrize("access_log", ["", "1"])
def test_requests_are_logged_only_when_asked(ws_folder, monkeypatch, access_log):
    """Azurite runs --silent (a log line per request cost ~1 ms each and grew the log with every run);
    AZUREML_LOCAL_AZURITE_ACCESS_LOG=1 brings the request lines back for debugging."""
    from azureml_local.store.blobs.azure import AzureBlobStore

    monkeypatch.setenv(azurite_process.ACCESS_LOG_ENV, access_log)
    inst = ensure_azurite(ws_folder)
    store = AzureBlobStore(inst.connection_string)
    store.create_container("logged")
    store.upload_bytes("logged", "a.txt", b"x")
    store.close()
    stop_azurite(ws_folder)  # flushes its output
    log = (ws_folder / "azurite" / "azurite.log").read_text()
    assert "successfully listens on" in log
    assert ("PUT" in log and "a.txt" in log) is (access_log == "1")


@pytest.mark.parametrize("fsync", ["", "1"])
def test_blob_writes_skip_fdatasync_unless_asked(ws_folder, monkeypatch, fsync):
    """Azurite is started with azurite_no_fdatasync.js preloaded (its per-blob sync bought nothing: its
    index is saved every 5 s without one); AZUREML_LOCAL_AZURITE_FSYNC=1 keeps its sync. Either way its
    blobs are found again after a restart."""
    import psutil

    from azureml_local.store.blobs.azure import AzureBlobStore

    monkeypatch.setenv(azurite_process.FSYNC_ENV, fsync)
    inst = ensure_azurite(ws_folder)
    preloaded = str(azurite_process.NO_FDATASYNC_JS) in psutil.Process(inst.pid).cmdline()
    assert preloaded is (fsync != "1")
    store = AzureBlobStore(inst.connection_string)
    store.create_container("synced")
    store.upload_bytes("synced", "a.txt", b"kept")
    store.close()
    stop_azurite(ws_folder)
    store = AzureBlobStore(ensure_azurite(ws_folder).connection_string)
    assert store.download_bytes("synced", "a.txt") == b"kept"
    store.close()


def test_blob_lookups_by_name_keep_every_blob_operation_as_it_was(ws_folder, tmp_path):
    """Azurite runs with azurite_indexed_lookups.js preloaded (a blob is found through its name's index,
    not by scanning every blob of the workspace: benchmarks/bench_azurite_lookups.py). Same answers for
    overwrites, conditional creates, block uploads, listings, properties and deletes, among many
    blobs with the same names in other containers and folders."""
    import psutil

    from azureml_local.store.blobs.azure import AzureBlobStore
    from azureml_local.store.blobs.base import BlobExistsError, BlobNotFoundError

    inst = ensure_azurite(ws_folder)
    assert str(azurite_process.INDEXED_LOOKUPS_JS) in psutil.Process(inst.pid).cmdline()
    store = AzureBlobStore(inst.connection_string, single_put_size=1024, block_size=1024)  # larger: blocks
    for container in ("first", "second"):
        store.create_container(container)
        for folder in ("a", "b"):
            for i in range(20):
                store.upload_bytes(container, f"{folder}/{i}.txt", f"{container}/{folder}/{i}".encode())
    assert store.download_bytes("second", "b/7.txt") == b"second/b/7"
    store.upload_bytes("first", "a/7.txt", b"again")  # overwrite
    assert store.download_bytes("first", "a/7.txt") == b"again"
    assert store.download_bytes("second", "a/7.txt") == b"second/a/7"
    with pytest.raises(BlobExistsError):
        store.upload_bytes("first", "b/3.txt", b"not twice", overwrite=False)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5000))  # five staged blocks, then a commit
    store.upload_file("second", "a/3.txt", big)
    assert store.download_bytes("second", "a/3.txt") == big.read_bytes()
    assert store.get_info("second", "a/3.txt").size == 5000
    assert store.download_bytes("first", "a/3.txt") == b"first/a/3"
    assert sorted(b.name for b in store.list_blobs("first", "b/1")) == ["b/1.txt"] + [f"b/1{i}.txt" for i in range(10)]
    store.delete_blob("first", "a/7.txt")
    assert not store.exists("first", "a/7.txt") and store.exists("second", "a/7.txt")
    with pytest.raises(BlobNotFoundError):
        store.download_bytes("first", "a/7.txt")
    store.close()
    assert "LokiJS not patched" not in (ws_folder / "azurite" / "azurite.log").read_text()


def test_stale_instance_file_is_replaced(ws_folder):
    folder = ws_folder / "azurite"
    folder.mkdir()
    for pid in (_dead_pid(), os.getpid()):  # a dead pid, and a live pid that is not Azurite
        (folder / "instance.json").write_text(json.dumps({"pid": pid, "port": 1, "host": "127.0.0.1"}))
        inst = ensure_azurite(ws_folder)
        assert inst.pid != pid and _alive(inst.pid)
        stop_azurite(ws_folder)
    (folder / "instance.json").write_text("{not json")
    assert ensure_azurite(ws_folder).port > 0


def test_orphan_of_a_deleted_folder_is_stopped_on_next_start(ws_folder, delete_in_use):
    old = ensure_azurite(ws_folder)
    assert (old.pid, str(ws_folder / "azurite")) in azurite.azurite_processes()
    delete_in_use(ws_folder / "azurite")  # e.g. someone deleted the workspace folder
    new = ensure_azurite(ws_folder)
    assert new.pid != old.pid and not _alive(old.pid)


def test_prune_orphans_stops_only_unrecorded_instances_under_root(ws_folder, tmp_path):
    kept = ensure_azurite(ws_folder)
    lost_ws = tmp_path / "lost"
    lost = ensure_azurite(lost_ws)
    (lost_ws / "azurite" / "instance.json").unlink()  # nobody can find this one any more
    assert azurite.prune_orphans(tmp_path / "elsewhere") == []
    assert azurite.prune_orphans(tmp_path) == [lost.pid]
    assert not _alive(lost.pid) and _alive(kept.pid)


def test_pinned_port(ws_folder, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AZUREML_LOCAL_AZURITE_PORT", str(port))
    assert ensure_azurite(ws_folder).port == port


def test_pinned_port_taken(ws_folder, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        monkeypatch.setenv("AZUREML_LOCAL_AZURITE_PORT", str(s.getsockname()[1]))
        with pytest.raises(UserErrorException, match="already in use"):
            ensure_azurite(ws_folder)
    assert not (ws_folder / "azurite" / "instance.json").exists()
    monkeypatch.setenv("AZUREML_LOCAL_AZURITE_PORT", "http")
    with pytest.raises(UserErrorException, match="port number"):
        ensure_azurite(ws_folder)


def test_missing_binary(tmp_path, monkeypatch):
    monkeypatch.setenv("AZUREML_LOCAL_AZURITE", str(tmp_path / "nope"))
    with pytest.raises(AzuriteNotAvailableError, match="azureml-local setup"):
        ensure_azurite(tmp_path / "ws")
    monkeypatch.delenv("AZUREML_LOCAL_AZURITE")
    monkeypatch.setattr(azurite_process, "azurite_candidates", lambda: [tmp_path / "none"])
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_azurite() is None
    with pytest.raises(AzuriteNotAvailableError, match="npm install azurite@3.35.0"):
        ensure_azurite(tmp_path / "ws")


def test_missing_node(tmp_path, monkeypatch):
    monkeypatch.setenv("AZUREML_LOCAL_AZURITE", require_azurite() and str(find_azurite()))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AzuriteNotAvailableError, match="Node.js"):
        ensure_azurite(tmp_path / "ws")


def test_azurite_that_exits_at_start_shows_its_output(tmp_path, monkeypatch):
    fake = tmp_path / "azurite-blob"
    fake.write_text("#!/bin/sh\necho 'Error: something Azurite-ish went wrong' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("AZUREML_LOCAL_AZURITE", str(fake))
    with pytest.raises(ProjectSystemException, match="something Azurite-ish went wrong") as err:
        ensure_azurite(tmp_path / "ws")
    assert "exit code 3" in err.value.message
    assert not (tmp_path / "ws" / "azurite" / "instance.json").exists()


def test_stop_waits_for_a_slow_process_then_kills(tmp_path, capsys):
    """SIGTERM first; SIGKILL only after the wait (here a process that ignores SIGTERM), saying so."""
    proc = subprocess.Popen([sys.executable, "-c", "import signal,time; signal.signal(signal.SIGTERM, "
                             "signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"],
                            stdout=subprocess.PIPE)
    proc.stdout.readline()
    t0 = time.monotonic()
    assert azurite.terminate(proc.pid, timeout=0.5) is True
    assert time.monotonic() - t0 >= 0.5
    assert not _alive(proc.pid)  # only SIGKILL ends it
    assert f"Azurite (pid {proc.pid}) ignored SIGTERM for 0.5 s; killing it" in capsys.readouterr().err


def test_install_without_npm(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UserErrorException, match="npm was not found"):
        install_azurite()
    assert not Path(tmp_path / "home" / "node" / "node_modules").exists()
