"""data/stores.py ``upload_folder(source_globs=...)``: git wildmatch, ``*`` stays within a folder."""
from __future__ import annotations

from pathlib import Path

from azureml_local.data import stores as data


def test_source_globs_match_like_git_wildmatch(ws, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    for rel in ("a.csv", "deep/b.csv", "sub/c.txt", "sub/deep/d.txt", "e.txt"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(rel)
    name = data.default_name(ws)
    # "*.csv" has no "/": any depth; "./sub/*.txt" is anchored and its "*" does not cross "/"
    assert data.upload_folder(ws, name, "globs/run1", folder, source_globs=["*.csv", "./sub/*.txt"]) == 3
    store, container = data.container_for(ws, name)
    assert sorted(b.name for b in store.list_blobs(container, "globs/run1/")) == [
        "globs/run1/a.csv", "globs/run1/deep/b.csv", "globs/run1/sub/c.txt"]
