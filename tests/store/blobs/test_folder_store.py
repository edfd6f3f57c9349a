"""Contract tests of the folder backend (the Azurite backend runs the same suite)."""
import pytest

from azureml_local.store.blobs.base import BlobExistsError, BlobNotFoundError, ContainerNotFoundError
from azureml_local.store.blobs.folder import FolderBlobStore


@pytest.fixture
def store(tmp_path):
    s = FolderBlobStore(tmp_path / "blobs")
    s.create_container("c")
    return s


def test_round_trip_and_listing(store, tmp_path):
    store.upload_bytes("c", "a/b/one.txt", b"1")
    src = tmp_path / "two.bin"
    src.write_bytes(b"22")
    info = store.upload_file("c", "a/two.bin", src)
    assert info.size == 2
    assert [b.name for b in store.list_blobs("c", "a/")] == ["a/b/one.txt", "a/two.bin"]
    assert [b.name for b in store.list_blobs("c", "a/t")] == ["a/two.bin"]
    assert store.download_bytes("c", "a/b/one.txt") == b"1"
    store.download_file("c", "a/two.bin", tmp_path / "out" / "x")
    assert (tmp_path / "out" / "x").read_bytes() == b"22"


def test_overwrite_false_and_etag_changes(store):
    first = store.upload_bytes("c", "k", b"1")
    with pytest.raises(BlobExistsError):
        store.upload_bytes("c", "k", b"2", overwrite=False)
    assert store.download_bytes("c", "k") == b"1"
    second = store.upload_bytes("c", "k", b"22")
    assert second.etag != first.etag


def test_missing_things(store):
    with pytest.raises(BlobNotFoundError):
        store.download_bytes("c", "nope")
    with pytest.raises(ContainerNotFoundError):
        list(store.list_blobs("missing"))
    assert store.get_info("c", "nope") is None


def test_failed_upload_leaves_nothing(store, tmp_path):
    with pytest.raises(FileNotFoundError):
        store.upload_file("c", "x/y", tmp_path / "does-not-exist")
    assert list(store.list_blobs("c")) == []


def test_delete_prefix(store):
    for n in ("p/1", "p/2", "q/1"):
        store.upload_bytes("c", n, b"x")
    assert store.delete_prefix("c", "p/") == 2
    assert [b.name for b in store.list_blobs("c")] == ["q/1"]
