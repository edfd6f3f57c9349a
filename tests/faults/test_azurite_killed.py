"""The workspace's own Azurite SIGKILLed during an upload, then used again without a manual restart.

Real Azurite (the workspace's own, on disk), real uploads from a thread of this process. What must
hold whatever the timing: the upload either completes or raises an error that says what failed;
every blob that is listed afterwards has its full content (block blobs are committed whole: nothing
half-published); the next upload and download work (the store restarts Azurite by itself).
Observed: the upload fails with "Upload failed, ... ContainerNotFoundError: The specified container does
not exist": the restarted Azurite lost the container, created less than 5 s before the kill (Azurite
persists its metadata every 5 s and on a graceful exit); the next upload re-creates it.
The second test kills Azurite deterministically mid-blob (after 8 MB of a 96 MB block blob reached its
disk, before the commit), its container saved first. Observed: the store restarts Azurite and retries
the upload, which completes whole.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV, STORAGE_ENV

FILES = 40
SIZE = 2 * 1024 * 1024


def test_azurite_killed_mid_upload(ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from azureml.core import Workspace

    monkeypatch.delenv(CONNECTION_STRING_ENV, raising=False)
    monkeypatch.setenv(STORAGE_ENV, "azurite")
    own = Workspace.get("own-azurite", subscription_id="sub-1", resource_group="rg-1")
    store = own.get_default_datastore()
    src = tmp_path / "big"
    src.mkdir()
    payloads = {}
    for i in range(FILES):
        data = os.urandom(SIZE)
        (src / f"part{i:02d}.bin").write_bytes(data)
        payloads[f"up/part{i:02d}.bin"] = data
    store.upload_files([str(src / "part00.bin")], target_path="warm", show_progress=False)  # Azurite is up
    instance = json.loads((own._local_folder / "azurite" / "instance.json").read_text())

    outcome: dict = {}

    def upload() -> None:
        try:
            outcome["result"] = store.upload(str(src), target_path="up", overwrite=True, show_progress=False)
        except Exception as exc:  # noqa: BLE001 - the outcome is asserted below
            outcome["error"] = exc

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(0.3)
    os.kill(int(instance["pid"]), signal.SIGKILL)
    thread.join(timeout=600)
    assert not thread.is_alive()
    if "error" in outcome:  # what happens here: Azurite is restarted, but lost what it had not saved yet
        message = str(outcome["error"])  # (it saves its metadata every 5 s; SIGKILL skips the save on exit)
        assert "Upload failed" in message and ("ContainerNotFound" in message or "reach" in message), message

    blobs = {b.name: b.size for b in own._blobs.list_blobs(store._container(), "up/")}
    assert set(blobs) <= set(payloads)
    assert all(size == SIZE for size in blobs.values()), blobs  # nothing half-published
    if blobs:  # and each listed blob holds its own bytes
        store.download(str(tmp_path / "first"), prefix="up/", overwrite=True, show_progress=False)
        for name in blobs:
            assert (tmp_path / "first" / name).read_bytes() == payloads[name], name
    store.upload(str(src), target_path="up", overwrite=True, show_progress=False)  # no manual restart
    assert store.download(str(tmp_path / "back"), prefix="up/", overwrite=True, show_progress=False) == FILES
    for name, data in payloads.items():
        assert (tmp_path / "back" / name).read_bytes() == data
    own.delete()


LARGE = 96 * 1024 * 1024  # > the single-put size: staged as 8 MB blocks, visible only once committed
STAGED = 8 * 1024 * 1024  # kill Azurite once this much of the blob reached its disk


def stored_bytes(location: Path) -> int:
    return sum(p.stat().st_size for p in (location / "__blobstorage__").glob("*") if p.is_file())


def wait_until_saved(location: Path, container: str, timeout: float = 120) -> None:
    """Azurite writes its metadata every few seconds: wait until the container is on disk (survives a kill)."""
    deadline = time.monotonic() + timeout
    while not any(container in p.read_text(errors="replace") for p in location.glob("__azurite_db_blob__*.json")):
        assert time.monotonic() < deadline, f"Azurite never saved container {container}"
        time.sleep(0.2)


def test_azurite_killed_while_a_large_blob_is_staged(ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed after some blocks of one large blob reached Azurite's disk, before the commit: the blob is
    never listed half-written; the upload is retried on the restarted Azurite or fails with a clear error."""
    from azureml.core import Workspace

    monkeypatch.delenv(CONNECTION_STRING_ENV, raising=False)
    monkeypatch.setenv(STORAGE_ENV, "azurite")
    own = Workspace.get("own-azurite-large", subscription_id="sub-1", resource_group="rg-1")
    store = own.get_default_datastore()
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        for _ in range(LARGE // (8 * 1024 * 1024)):
            fh.write(os.urandom(8 * 1024 * 1024))
    (tmp_path / "warm.txt").write_text("warm")
    store.upload_files([str(tmp_path / "warm.txt")], target_path="warm", show_progress=False)
    location = own._local_folder / "azurite"
    wait_until_saved(location, store._container())
    instance = json.loads((location / "instance.json").read_text())
    before = stored_bytes(location)

    outcome: dict = {}

    def upload() -> None:
        try:
            outcome["result"] = store.upload_files([str(big)], target_path="large", overwrite=True,
                                                   show_progress=False)
        except Exception as exc:  # noqa: BLE001 - the outcome is asserted below
            outcome["error"] = exc

    thread = threading.Thread(target=upload)
    thread.start()
    deadline = time.monotonic() + 300
    while (staged := stored_bytes(location) - before) < STAGED:
        assert time.monotonic() < deadline and thread.is_alive(), outcome
        time.sleep(0.005)
    os.kill(int(instance["pid"]), signal.SIGKILL)
    assert staged < LARGE  # killed mid-blob: before all of its blocks were staged, so before the commit
    thread.join(timeout=600)
    assert not thread.is_alive()
    if "error" in outcome:
        message = str(outcome["error"])
        assert "Upload failed" in message or "reach" in message, message

    listed = {b.name: b.size for b in own._blobs.list_blobs(store._container(), "large/")}
    assert set(listed) <= {"large/big.bin"}
    if listed:  # listed = whole: its size and its bytes
        assert listed["large/big.bin"] == LARGE
        store.download(str(tmp_path / "first"), prefix="large/", overwrite=True, show_progress=False)
        assert (tmp_path / "first" / "large" / "big.bin").read_bytes() == big.read_bytes()
    assert ("error" in outcome) != bool(listed)  # retried to the end, or failed and nothing listed

    store.upload_files([str(big)], target_path="large", overwrite=True, show_progress=False)  # no manual restart
    store.download(str(tmp_path / "back"), prefix="large/", overwrite=True, show_progress=False)
    assert (tmp_path / "back" / "large" / "big.bin").read_bytes() == big.read_bytes()
    own.delete()
