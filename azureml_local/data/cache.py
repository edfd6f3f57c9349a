"""Local copies of blobs, keyed by etag, so unchanged data is downloaded once per workspace.

Layout: ``<workspace>/cache/blobs/<store key>/<container>/<blob name>`` plus a sidecar
``<file>.azureml-meta`` holding ``{"etag", "size", "mtime_ns"}``. A copy is reused only when
the blob's etag matches *and* the file is unchanged on disk (so a script that edits a
hard-linked input invalidates the entry instead of poisoning it). Plain-folder storage needs
no copy at all: its blob files are read in place (they are only ever replaced atomically).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable

from azureml_local.data.resolve import SourceFile
from azureml_local.home import local_home

_META = ".azureml-meta"


def _store_key(store: Any) -> str:
    ident = getattr(store, "account_url", None) or str(getattr(store, "root", id(store)))
    return hashlib.sha256(ident.encode()).hexdigest()[:16]


def cache_root(ws: Any) -> Path:
    if ws is not None:
        return Path(ws._local_folder) / "cache"
    return local_home() / "cache"


def _in_place(f: SourceFile) -> str | None:
    if f.local:
        return f.local
    root = getattr(f.store, "root", None)
    if getattr(f.store, "kind", "") == "folder" and root is not None:
        return str(Path(root) / f.container / f.blob)  # type: ignore[operator]
    return None


def _valid(path: Path, etag: str) -> bool:
    try:
        meta = json.loads(Path(str(path) + _META).read_text())
        st = path.stat()
    except (OSError, ValueError):
        return False
    return meta.get("etag") == etag and meta.get("size") == st.st_size and meta.get("mtime_ns") == st.st_mtime_ns


def local_files(ws: Any, files: Iterable[SourceFile]) -> list[str]:
    """A local path for every file (downloading, concurrently, only what is missing or stale)."""
    files = list(files)
    out: list[str | None] = [None] * len(files)
    missing: dict[tuple[int, str], list[tuple[int, Path, SourceFile]]] = {}
    root = cache_root(ws) / "blobs"
    for i, f in enumerate(files):
        direct = _in_place(f)
        if direct:
            out[i] = direct
            continue
        path = root / _store_key(f.store) / str(f.container) / str(f.blob)
        out[i] = str(path)
        if not _valid(path, f.etag):
            missing.setdefault((id(f.store), str(f.container)), []).append((i, path, f))
    for group in missing.values():
        store, container = group[0][2].store, group[0][2].container
        store.download_files(container, [(f.blob, path) for _, path, f in group])  # type: ignore[union-attr]
        for _, path, f in group:
            st = path.stat()
            Path(str(path) + _META).write_text(json.dumps({"etag": f.etag, "size": st.st_size,
                                                           "mtime_ns": st.st_mtime_ns}))
    return [p for p in out if p is not None]


def materialize(ws: Any, files: list[SourceFile], target: Path, overwrite: bool = True) -> list[str]:
    """Place ``files`` under ``target/<rel>``: hard links to cache entries, copies of in-place files."""
    import shutil

    sources = local_files(ws, files)
    placed = []
    for f, src in zip(files, sources):
        dest = target / f.rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() or dest.is_symlink():
            if not overwrite:
                placed.append(str(dest))
                continue
            dest.unlink()
        if _in_place(f):  # never link to the blob itself: a script editing its input would change the blob
            shutil.copyfile(src, dest)
        else:
            try:
                os.link(src, dest)
            except OSError:
                shutil.copyfile(src, dest)
        placed.append(str(dest))
    return placed
