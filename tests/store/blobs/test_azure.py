"""What only the azure-storage-blob backend has to prove (on the session's real Azurite)."""
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
from azure.core.exceptions import ResourceNotFoundError

from azureml_local.store.azurite_testing import require_azurite
from azureml_local.store.blobs.azure import AZURITE_API_VERSION, AzureBlobStore, is_emulator, parse_connection_string
from azureml_local.store.blobs.base import BlobStoreError


@pytest.fixture
def store():
    s = AzureBlobStore(require_azurite())
    yield s
    s.close()


def test_emulator_detection_and_api_pin(store):
    assert store.kind == "azurite"
    assert store._service.api_version == AZURITE_API_VERSION
    assert is_emulator("UseDevelopmentStorage=true")
    assert not is_emulator("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;"
                           "EndpointSuffix=core.windows.net")
    real = AzureBlobStore("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;"
                          "EndpointSuffix=core.windows.net")
    assert real.kind == "azure" and real.url("c", "x") == "https://acct.blob.core.windows.net/c/x"
    with pytest.raises(ValueError):
        parse_connection_string("garbage")


def test_unreachable_endpoint_fails_fast_with_a_clear_error():
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    conn = require_azurite().split("BlobEndpoint=")[0] + f"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;"
    store = AzureBlobStore(conn)
    t0 = time.monotonic()
    with pytest.raises(BlobStoreError, match="Cannot reach blob storage"):
        store.upload_bytes("ctr-x", "a", b"1")
    assert time.monotonic() - t0 < 10


_UPLOADER = textwrap.dedent("""
    import sys
    from azureml_local.store.blobs.azure import AzureBlobStore
    store = AzureBlobStore(sys.argv[1], single_put_size=64 * 1024, block_size=64 * 1024)
    store.upload_file(sys.argv[2], "big.bin", sys.argv[3], max_concurrency=1)
""")


@pytest.mark.parametrize("existing", [False, True])
def test_killed_upload_leaves_no_partial_blob(store, tmp_path, existing):
    """SIGKILL an uploader after some blocks are staged: the name shows nothing, or still the old blob."""
    c = f"ctr-{uuid.uuid4().hex[:12]}"
    store.create_container(c)
    if existing:
        store.upload_bytes(c, "big.bin", b"old content")
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(64 * 1024 * 400))  # 400 blocks: far more than staged before the kill
    child = subprocess.Popen([sys.executable, "-c", _UPLOADER, require_azurite(), c, str(src)])
    blob = store._service.get_blob_client(c, "big.bin")

    def staged() -> int:
        try:
            return len(blob.get_block_list("all")[1])
        except ResourceNotFoundError:  # nothing staged yet
            return 0

    deadline = time.monotonic() + 30
    try:
        while staged() < 3:
            assert child.poll() is None and time.monotonic() < deadline, "uploader ended before staging blocks"
            time.sleep(0.005)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    if existing:
        assert store.download_bytes(c, "big.bin") == b"old content"
    else:
        assert store.get_info(c, "big.bin") is None
        assert list(store.list_blobs(c)) == []
    store.delete_container(c)


def test_upload_and_download_files_run_concurrently(store, tmp_path, monkeypatch):
    """Many small files go through a pool of at most ``max_concurrency`` real uploads at once."""
    import threading

    c = f"ctr-{uuid.uuid4().hex[:12]}"
    store.create_container(c)
    items = []
    for i in range(100):
        p = tmp_path / f"{i}.bin"
        p.write_bytes(b"x" * 4096)
        items.append((f"f/{i}", p))
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def counting(real):
        def wrapper(*args, **kwargs):
            with lock:
                state["now"] += 1
                state["max"] = max(state["max"], state["now"])
            try:
                time.sleep(0.002)  # make overlap observable even on a loaded machine
                return real(*args, **kwargs)
            finally:
                with lock:
                    state["now"] -= 1
        return wrapper

    monkeypatch.setattr(store, "upload_file", counting(store.upload_file))
    store.upload_files(c, items, max_concurrency=6)
    assert 1 < state["max"] <= 6
    state["max"] = 0
    monkeypatch.setattr(store, "download_file", counting(store.download_file))
    store.download_files(c, [(n, tmp_path / "dl" / n) for n, _ in items], max_concurrency=6)
    assert 1 < state["max"] <= 6
    assert len(list((tmp_path / "dl" / "f").iterdir())) == 100
    store.delete_container(c)
