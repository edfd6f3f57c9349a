"""The etag cache: one download per blob version; an edited hard-linked copy is not reused."""
from __future__ import annotations

from pathlib import Path

from azureml_local.data import cache
from azureml_local.data.resolve import resolve_datastore_path


def test_cache_reuse_and_invalidation(ws, store, tmp_path):
    files = resolve_datastore_path(ws, "workspaceblobstore", "data/readme.txt")
    first = cache.materialize(ws, files, tmp_path / "a")
    Path(first[0]).write_text("edited by a script")  # hard link to the cache entry (Azurite) or a copy
    second = cache.materialize(ws, files, tmp_path / "b")
    assert Path(second[0]).read_text() == "not a csv"
    assert cache.local_files(ws, files)[0] != first[0]
