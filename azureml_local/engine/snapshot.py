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

import hashlib
import os
import shutil
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from azureml_local.exceptions import SnapshotException, UserErrorException
from azureml_local.home import local_home
from azureml_local.store.snapshots import SnapshotStore

if TYPE_CHECKING:
    import pathspec
    from azureml_local.workspace import Workspace

MAX_BYTES = 300 * 1024 * 1024
MAX_FILES = 2000
ALWAYS_IGNORED = (".git", "__pycache__", ".ipynb_checkpoints", ".amlignore.lock")

_memo: dict[tuple[str, int, int], str] = {}
_memo_lock = threading.Lock()


# -- ignore files ----------------------------------------------------------------------------
IGNORE_FILES = (".amlignore", ".gitignore")  # the first that exists in a folder is that folder's file


def _folder_rules(folder: Path) -> "pathspec.GitIgnoreSpec | None":
    """The rules of one folder: its ``.amlignore`` if present, else its ``.gitignore`` (the SDK's order)."""
    for name in IGNORE_FILES:
        f = folder / name
        if f.is_file():
            import pathspec  # heavy (~25 ms): only when a source folder has ignore files

            return pathspec.GitIgnoreSpec.from_lines(f.read_text(errors="replace").splitlines())
    return None


def _folder_decision(spec: "pathspec.GitIgnoreSpec", folder: str) -> bool | None:
    """Whether ``folder`` (no trailing ``/``) is ignored by ``spec``: the last matching pattern wins, as git.

    ``GitIgnoreSpec.check_file`` is right for files but not for folders: it ranks ``cache/**`` above
    a later ``!cache/**/`` on ``cache/sub/``, and ``cache/**`` (only what is *in* cache) matches
    ``cache/`` itself. So each pattern's regex is read here: it matches the folder itself when it
    ends on the folder's own ``/`` as a folder match (``ps_d``) or on an ancestor's.
    """
    probe = folder + "/"
    for pattern in reversed(spec.patterns):
        if pattern.include is None or pattern.regex is None:
            continue
        m = pattern.regex.match(probe)
        if m is None:
            continue
        if m.end() <= len(folder) or ("ps_d" in m.re.groupindex and m.end("ps_d") == len(probe)):
            return pattern.include
    return None


def ignore_function(root: Path) -> Callable[[str, bool], bool]:
    """``ignored(relative posix path, is_dir)`` with git's semantics (``pathspec.GitIgnoreSpec``).

    Every folder may hold an ignore file whose patterns apply below it, relative to it; the
    deepest file with a matching pattern decides, and within a file the last match wins (as git).
    Callers walk top-down and skip ignored folders, so nothing below an ignored folder comes back.
    """
    root = Path(root)
    rules: dict[str, "pathspec.GitIgnoreSpec | None"] = {}

    def folder_rules(rel_dir: str) -> "pathspec.GitIgnoreSpec | None":
        if rel_dir not in rules:
            rules[rel_dir] = _folder_rules(root / rel_dir if rel_dir else root)
        return rules[rel_dir]

    def ignored(rel: str, is_dir: bool) -> bool:
        parts = rel.split("/")
        if parts[-1] in ALWAYS_IGNORED:
            return True
        for depth in range(len(parts) - 1, -1, -1):  # deepest folder first
            spec = folder_rules("/".join(parts[:depth]))
            if spec is None:
                continue
            below = "/".join(parts[depth:])
            decision = _folder_decision(spec, below) if is_dir else spec.check_file(below).include
            if decision is not None:
                return decision
        return False

    return ignored


def list_files(root: str | os.PathLike[str]) -> list[tuple[str, str, os.stat_result]]:
    """``(relative posix path, absolute path, stat)`` of every file kept in a snapshot, sorted.

    Runs at every submit, so it walks with ``os.scandir`` and plain strings (one ``stat`` per file, no
    ``Path`` objects): 1,000 files took ~23 ms through pathlib, a few ms this way. Like ``os.walk``,
    a symlink to a folder is not followed; a dangling symlink is skipped.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise UserErrorException(f"The source directory {root} does not exist or is not a directory. "
                                 "Pass an existing folder as source_directory.")
    ignored = ignore_function(root)
    home = os.path.realpath(local_home())  # never snapshot the workspace store itself (home inside a project)
    out: list[tuple[str, str, os.stat_result]] = []

    def walk(folder: str, rel_dir: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return  # an unreadable folder is skipped, as os.walk did
        for entry in entries:
            rel = rel_dir + entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if not entry.is_symlink() and not ignored(rel, True) and os.path.realpath(entry.path) != home:
                    walk(entry.path, rel + "/")
                continue
            if ignored(rel, False):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue  # dangling symlink
            out.append((rel, entry.path, st))

    walk(str(root), "")
    out.sort(key=lambda t: t[0])
    return out


# -- hashing ---------------------------------------------------------------------------------
def _file_hash(path: str, st: os.stat_result, ws: "Workspace | None", pending: list) -> str:
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _memo_lock:
        cached = _memo.get(key)
    if cached:
        return cached
    if ws is not None:
        known = SnapshotStore(ws._store).file_hash(*key)
        if known is not None:
            with _memo_lock:
                _memo[key] = known
            return known
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
        SnapshotStore(ws._store).remember(pending)
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
