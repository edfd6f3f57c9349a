"""Content-addressed snapshots of source directories.

``hash_directory(path)`` names a directory's content (the files a run would
see, after ``.amlignore`` / ``.gitignore``); pipelines reuse it in step
fingerprints. ``snapshot(ws, path)`` copies that content once into
``<workspace>/snapshots/<hash>/`` (atomic rename), so later submits of the same
code cost one directory walk.

Speed: a file's sha256 is cached by ``(absolute path, size, mtime_ns)`` in
memory and in the workspace table ``snapshot_file_hashes``, so unchanged files
are never re-read. The SDK's limits apply (300 MB, 2000 files unless
``AML_SNAPSHOT_NO_FILE_LIMIT``), with its SnapshotException text.
"""
from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from azureml_local.exceptions import SnapshotException, UserErrorException

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

MAX_BYTES = 300 * 1024 * 1024
MAX_FILES = 2000
ALWAYS_IGNORED = (".git", "__pycache__", ".ipynb_checkpoints", ".amlignore.lock")

_memo: dict[tuple[str, int, int], str] = {}
_memo_lock = threading.Lock()


# -- ignore files ----------------------------------------------------------------------------
def ignore_function(root: Path) -> Callable[[str, bool], bool]:
    """``ignored(relative posix path, is_dir)`` from ``.amlignore`` if present, else ``.gitignore``.

    Supports the common gitignore subset: globs, ``/``-anchored patterns,
    trailing ``/`` for directories, ``**``, and ``!`` negation (last match wins).
    """
    rules: list[tuple[str, bool, bool, bool]] = []  # pattern, negate, dir_only, anchored
    for name in (".amlignore", ".gitignore"):
        f = root / name
        if f.is_file():
            for line in f.read_text(errors="replace").splitlines():
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                negate = line.startswith("!")
                line = line[1:] if negate else line
                dir_only = line.endswith("/")
                line = line.rstrip("/")
                anchored = "/" in line
                rules.append((line.lstrip("/"), negate, dir_only, anchored))
            break

    def ignored(rel: str, is_dir: bool) -> bool:
        base = rel.rsplit("/", 1)[-1]
        if base in ALWAYS_IGNORED:
            return True
        result = False
        for pattern, negate, dir_only, anchored in rules:
            if dir_only and not is_dir:
                continue
            target = rel if anchored else base
            if fnmatch.fnmatchcase(target, pattern) or (
                    "**" in pattern and fnmatch.fnmatchcase(rel, pattern.replace("**/", "*"))):
                result = not negate
        return result

    return ignored


def list_files(root: str | os.PathLike[str]) -> list[tuple[str, Path, os.stat_result]]:
    """``(relative posix path, absolute path, stat)`` of every file kept in a snapshot, sorted."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise UserErrorException(f"The source directory {root} does not exist or is not a directory. "
                                 "Pass an existing folder as source_directory.")
    ignored = ignore_function(root)
    from azureml_local.home import local_home

    home = local_home().resolve()  # never snapshot the workspace store itself (home inside a project)
    out = []
    for dirpath, dirs, files in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = sorted(d for d in dirs if not ignored(rel_dir + d, True) and (Path(dirpath) / d).resolve() != home)
        for f in files:
            rel = rel_dir + f
            if ignored(rel, False):
                continue
            full = Path(dirpath) / f
            try:
                st = full.stat()
            except OSError:
                continue  # dangling symlink
            out.append((rel, full, st))
    out.sort(key=lambda t: t[0])
    return out


# -- hashing ---------------------------------------------------------------------------------
def _file_hash(path: Path, st: os.stat_result, ws: "Workspace | None", pending: list) -> str:
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _memo_lock:
        cached = _memo.get(key)
    if cached:
        return cached
    if ws is not None:
        row = ws._store.query_one("SELECT size, mtime_ns, sha256 FROM snapshot_file_hashes WHERE path=?", (key[0],))
        if row is not None and row["size"] == key[1] and row["mtime_ns"] == key[2]:
            with _memo_lock:
                _memo[key] = row["sha256"]
            return row["sha256"]
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    with _memo_lock:
        _memo[key] = digest
    pending.append((key[0], key[1], key[2], digest))
    return digest


def _check_limits(root: Path, files: list) -> None:
    bar = "====================================================================\n"
    if sum(st.st_size for _, _, st in files) > MAX_BYTES:
        raise SnapshotException(f"{bar}\nWhile attempting to take snapshot of {root}\nYour total snapshot size "
                                f"exceeds the limit of {MAX_BYTES / (1024 * 1024)} MB.\nPlease see "
                                f"http://aka.ms/aml-largefiles on how to work with large files.\n\n{bar}\n")
    if len(files) > MAX_FILES and not os.environ.get("AML_SNAPSHOT_NO_FILE_LIMIT"):
        raise SnapshotException(f"{bar}\nWhile attempting to take snapshot of {root}\nYour project exceeds the "
                                f"file limit of {MAX_FILES}.\n\n{bar}\n")


def _hash_files(files: list, ws: "Workspace | None") -> str:
    pending: list = []
    h = hashlib.sha256()
    for rel, full, st in files:
        h.update(rel.encode() + b"\0" + _file_hash(full, st, ws, pending).encode() + b"\n")
    if pending and ws is not None:
        with ws._store.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO snapshot_file_hashes(path, size, mtime_ns, sha256) "
                             "VALUES (?,?,?,?)", pending)
    return h.hexdigest()


def hash_directory(path: str | os.PathLike[str], ws: "Workspace | None" = None) -> str:
    """Content hash (sha256 hex) of the files a snapshot of ``path`` would hold.

    Pass ``ws`` to share the persistent hash cache across processes.
    """
    return _hash_files(list_files(path), ws)


def snapshot(ws: "Workspace", source_dir: str | os.PathLike[str]) -> tuple[str, Path]:
    """Copy ``source_dir`` (filtered) to ``<workspace>/snapshots/<hash>/`` once; returns ``(hash, dir)``."""
    root = Path(source_dir).resolve()
    files = list_files(root)
    _check_limits(root, files)
    digest = _hash_files(files, ws)
    target = ws._local_folder / "snapshots" / digest
    if target.is_dir():
        return digest, target
    tmp = target.parent / f".tmp-{digest[:12]}-{uuid.uuid4().hex[:8]}"
    try:
        for rel, full, _ in files:
            dest = tmp / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(full, dest)
        tmp.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.is_dir():  # another process won the race: fine; anything else is real
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return digest, target


def materialize(snapshot_dir: str | os.PathLike[str], work_dir: str | os.PathLike[str]) -> Path:
    """A private, writable working copy of a snapshot for one run."""
    work_dir = Path(work_dir)
    shutil.copytree(snapshot_dir, work_dir, dirs_exist_ok=True, copy_function=shutil.copy)
    return work_dir
