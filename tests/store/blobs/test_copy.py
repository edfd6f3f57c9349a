"""``BlobStore.copy_blob``: server-side within an account, streamed across stores, atomic, missing source."""
import os
import uuid

import pytest

from azureml_local.store.azurite_testing import require_azurite
from azureml_local.store.blobs.azure import AzureBlobStore
from azureml_local.store.blobs.base import BlobExistsError, BlobNotFoundError
from azureml_local.store.blobs.folder import FolderBlobStore


@pytest.fixture
def store():
    s = AzureBlobStore(require_azurite(), single_put_size=64 * 1024, block_size=64 * 1024)
    yield s
    s.close()


@pytest.fixture
def containers(store):
    names = [f"copy-{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for c in names:
        store.create_container(c)
    yield names
    for c in names:
        store.delete_container(c)


@pytest.mark.parametrize("server_side", [True, False])
def test_copy_between_containers(store, containers, server_side):
    data = os.urandom(300 * 1024)  # several 64 KiB blocks on the streamed path
    store.upload_bytes(containers[0], "a/data.bin", data)
    info = store.copy_blob(containers[1], "b/data.bin", store, containers[0], "a/data.bin", server_side=server_side)
    assert info.size == len(data)
    assert store.download_bytes(containers[1], "b/data.bin") == data


def test_missing_source_writes_nothing(store, containers):
    with pytest.raises(BlobNotFoundError, match="does not exist"):
        store.copy_blob(containers[1], "x.bin", store, containers[0], "nope.bin")
    assert store.get_info(containers[1], "x.bin") is None


def test_no_overwrite_keeps_the_target(store, containers):
    store.upload_bytes(containers[0], "s", b"new")
    store.upload_bytes(containers[1], "t", b"old")
    with pytest.raises(BlobExistsError):
        store.copy_blob(containers[1], "t", store, containers[0], "s", overwrite=False)
    assert store.download_bytes(containers[1], "t") == b"old"


def test_folder_store_to_azurite_streams_through_a_file(store, containers, tmp_path):
    folder = FolderBlobStore(tmp_path / "blobs")
    folder.create_container("src")
    folder.upload_bytes("src", "f.txt", b"hello")
    store.copy_blob(containers[0], "f.txt", folder, "src", "f.txt")
    assert store.download_bytes(containers[0], "f.txt") == b"hello"
    folder.copy_blob("src", "g.txt", store, containers[0], "f.txt")
    assert folder.download_bytes("src", "g.txt") == b"hello"


def test_streamed_copy_of_an_empty_blob(store, containers):
    store.upload_bytes(containers[0], "empty", b"")
    info = store.copy_blob(containers[1], "empty", store, containers[0], "empty", server_side=False)
    assert info.size == 0 and store.download_bytes(containers[1], "empty") == b""
