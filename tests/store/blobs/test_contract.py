"""The BlobStore contract, run against every backend: plain folder and Azurite (real, in-memory)."""
import uuid

import pytest

from azureml_local.store.azurite_testing import require_azurite
from azureml_local.store.blobs.base import BlobExistsError, BlobNotFoundError, ContainerNotFoundError
from azureml_local.store.blobs.folder import FolderBlobStore


def _open(kind, tmp_path, **kwargs):
    if kind == "folder":
        return FolderBlobStore(tmp_path / "blobs")
    from azureml_local.store.blobs.azure import AzureBlobStore

    return AzureBlobStore(require_azurite(), **kwargs)


@pytest.fixture(params=["folder", "azurite"])
def store(request, tmp_path):
    s = _open(request.param, tmp_path)
    yield s
    s.close()


@pytest.fixture
def c(store):
    """A fresh container (unique name: the session's Azurite is shared by all tests)."""
    name = f"ctr-{uuid.uuid4().hex[:12]}"
    store.create_container(name)
    yield name
    store.delete_container(name)


def test_kind(store):
    assert store.kind in ("folder", "azurite")


def test_round_trip_and_listing(store, c, tmp_path):
    store.upload_bytes(c, "a/b/one.txt", b"1")
    src = tmp_path / "two.bin"
    src.write_bytes(b"22")
    info = store.upload_file(c, "a/two.bin", src)
    assert info.size == 2 and info.name == "a/two.bin"
    assert [b.name for b in store.list_blobs(c, "a/")] == ["a/b/one.txt", "a/two.bin"]
    assert [b.name for b in store.list_blobs(c, "a/t")] == ["a/two.bin"]
    assert [b.name for b in store.list_blobs(c, "zzz")] == []
    assert store.download_bytes(c, "a/b/one.txt") == b"1"
    got = store.download_file(c, "a/two.bin", tmp_path / "out" / "x")
    assert (tmp_path / "out" / "x").read_bytes() == b"22"
    assert got.etag == info.etag and got.size == 2


def test_etag_is_the_same_everywhere_and_changes_with_content(store, c):
    first = store.upload_bytes(c, "k", b"1")
    listed = next(iter(store.list_blobs(c)))
    assert first.etag == listed.etag == store.get_info(c, "k").etag
    assert first.etag.startswith('"')
    second = store.upload_bytes(c, "k", b"22")
    assert second.etag != first.etag
    assert store.get_info(c, "k").size == 2


def test_overwrite_false(store, c, tmp_path):
    store.upload_bytes(c, "k", b"1")
    with pytest.raises(BlobExistsError):
        store.upload_bytes(c, "k", b"2", overwrite=False)
    src = tmp_path / "f"
    src.write_bytes(b"3")
    with pytest.raises(BlobExistsError):
        store.upload_file(c, "k", src, overwrite=False)
    assert store.download_bytes(c, "k") == b"1"
    store.upload_bytes(c, "new", b"4", overwrite=False)
    assert store.download_bytes(c, "new") == b"4"


def test_missing_things(store, c, tmp_path):
    with pytest.raises(BlobNotFoundError):
        store.download_bytes(c, "nope")
    with pytest.raises(BlobNotFoundError):
        store.download_file(c, "nope", tmp_path / "dl" / "x")
    assert not (tmp_path / "dl" / "x").exists()
    with pytest.raises(ContainerNotFoundError):
        list(store.list_blobs("missing-container"))
    with pytest.raises(ContainerNotFoundError):
        store.upload_bytes("missing-container", "x", b"1")
    assert store.get_info(c, "nope") is None
    assert store.get_info("missing-container", "nope") is None
    assert not store.exists(c, "nope")
    store.delete_blob(c, "nope")  # ignored
    store.delete_blob("missing-container", "nope")  # ignored


def test_containers(store):
    name = f"ctr-{uuid.uuid4().hex[:12]}"
    assert not store.container_exists(name)
    store.create_container(name)
    store.create_container(name)  # idempotent
    assert store.container_exists(name)
    store.upload_bytes(name, "x", b"1")
    store.delete_container(name)
    assert not store.container_exists(name)
    store.delete_container(name)  # idempotent


def test_invalid_blob_names(store, c):
    for bad in ("", "/", "a/../b", "a//b"):
        with pytest.raises(ValueError):
            store.upload_bytes(c, bad, b"x")


def test_failed_upload_leaves_nothing(store, c, tmp_path):
    with pytest.raises(FileNotFoundError):
        store.upload_file(c, "x/y", tmp_path / "does-not-exist")
    with pytest.raises(FileNotFoundError):
        store.upload_files(c, [("x/z", tmp_path / "does-not-exist")])
    assert list(store.list_blobs(c)) == []


def test_delete_prefix(store, c):
    for n in ("p/1", "p/2", "q/1"):
        store.upload_bytes(c, n, b"x")
    assert store.delete_prefix(c, "p/") == 2
    assert [b.name for b in store.list_blobs(c)] == ["q/1"]


def test_many_files_both_ways(store, c, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    items = []
    for i in range(60):
        p = src / f"f{i:03d}.txt"
        p.write_bytes(f"file {i}".encode() * (i + 1))
        items.append((f"many/f{i:03d}.txt", p))
    seen = []
    infos = store.upload_files(c, items, max_concurrency=8, progress=lambda d, t: seen.append((d, t)))
    total = sum(p.stat().st_size for _, p in items)
    assert [i.name for i in infos] == [n for n, _ in items]
    assert [i.size for i in infos] == [p.stat().st_size for _, p in items]
    assert seen[-1] == (total, total) and len(seen) == len(items)
    assert len(list(store.list_blobs(c, "many/"))) == 60
    dest = tmp_path / "dest"
    got = store.download_files(c, [(n, dest / n) for n, _ in items], max_concurrency=8)
    assert [g.etag for g in got] == [i.etag for i in infos]
    for name, p in items:
        assert (dest / name).read_bytes() == p.read_bytes()


def test_large_blob_in_blocks(store, c, tmp_path):
    """A blob bigger than one request goes up in parallel blocks and comes back intact."""
    if store.kind != "folder":  # small limits so 1 MiB takes the staged-blocks path
        store = _open("azurite", tmp_path, single_put_size=256 * 1024, block_size=64 * 1024)
    data = bytes(range(256)) * 4096 + b"tail"  # 1 MiB + 4 bytes
    src = tmp_path / "big.bin"
    src.write_bytes(data)
    info = store.upload_file(c, "big/one.bin", src)
    assert info.size == len(data)
    assert store.download_bytes(c, "big/one.bin") == data
    store.download_file(c, "big/one.bin", tmp_path / "big.out")
    assert (tmp_path / "big.out").read_bytes() == data
    with pytest.raises(BlobExistsError):
        store.upload_file(c, "big/one.bin", src, overwrite=False)
    infos = store.upload_files(c, [("big/two.bin", src), ("big/small.txt", tmp_path / "big.out")])
    assert [i.size for i in infos] == [len(data), len(data)]


def test_url_names_the_blob(store, c):
    url = store.url(c, "a/b c.txt")
    assert c in url and url.endswith(("a/b%20c.txt", "a/b c.txt"))
