"""Upload/download between local files and a datastore's container, with the SDK's progress lines.

Uploads go through :meth:`BlobStore.upload_files` (the backend parallelises); each blob is
written atomically by the backend, so an interrupted upload never leaves a partial blob under
a target name. Existing blobs are listed once per upload (not probed one by one).
"""
from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Iterable

from azureml_local.data.names import check_blob_name, join_blob_path
from azureml_local.exceptions import AzureMLException, UserErrorException

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore


class _Progress:
    """Thread-safe progress printer: every file for small batches, about 10 lines a second for big ones."""

    def __init__(self, action: str, total: int, total_bytes: int, show: bool):
        self.action, self.total, self.total_bytes, self.show = action, total, total_bytes, show
        self.count = 0
        self._lock = threading.Lock()
        self._last = 0.0

    def __call__(self, done_bytes: int, _total: int) -> None:
        with self._lock:
            self.count += 1
            if not self.show:
                return
            now = time.monotonic()
            if self.total > 100 and now - self._last < 0.1 and self.count < self.total:
                return
            self._last = now
            size = f" ({_size(done_bytes)} of {_size(self.total_bytes)})" if done_bytes else ""
            sys.stdout.write(f"{self.action}ed {self.count} files out of an estimated total of {self.total}{size}\n")
            sys.stdout.flush()


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} KB"


def files_in_dir(src_dir: str) -> list[str]:
    """Every file under ``src_dir`` (recursive, sorted)."""
    src = str(src_dir).rstrip("/\\")
    if not os.path.isdir(src):
        raise UserErrorException("src_path must be a directory.")
    found = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames))
    return found


def common_dir(files: list[str]) -> str:
    """The directory common to all files (the SDK's ``common_path``)."""
    if not files:
        return ""
    if len(files) == 1:
        return os.path.split(files[0])[0]
    return os.path.commonpath([os.path.abspath(f) for f in files]) if all(
        os.path.isabs(f) for f in files) else os.path.commonpath(files)


def plan_upload(files: Iterable[str], relative_root: str, target_path: str | None,
                skip_root_check: bool) -> list[tuple[str, str]]:
    """``[(local file, blob name)]`` with the SDK's relative-root rules and Azure blob-name checks."""
    pairs = []
    for file_path in files:
        if not skip_root_check and relative_root not in file_path and relative_root != "/":
            raise UserErrorException(f"relative_root: '{relative_root}' is not part of the file_path: '{file_path}'.")
        if not os.path.isfile(file_path):
            raise UserErrorException(f"'{file_path}' does not point to a file. Please upload the file to cloud first "
                                     "if running in a cloud notebook.")
        rel = os.path.relpath(file_path, relative_root) if relative_root not in ("/", "") else file_path.lstrip("/")
        name = join_blob_path(target_path, rel)
        pairs.append((file_path, check_blob_name(name)))
    return pairs


def upload(store: "BlobStore", container: str, pairs: list[tuple[str, str]], overwrite: bool,
           show_progress: bool) -> int:
    """Upload ``pairs``; without ``overwrite`` existing blobs are skipped (as the SDK does). Returns the count."""
    out = sys.stdout
    if show_progress:
        out.write(f"Uploading an estimated of {len(pairs)} files\n")
    if not overwrite and pairs:
        prefix = os.path.commonprefix([name for _, name in pairs])
        existing = {b.name for b in store.list_blobs(container, prefix)}
        kept = []
        for src, name in pairs:
            if name in existing:
                if show_progress:
                    out.write(f"Target already exists. Skipping upload for {name}\n")
            else:
                kept.append((src, name))
        pairs = kept
    total_bytes = sum(os.path.getsize(src) for src, _ in pairs)
    try:
        if show_progress and len(pairs) <= PER_FILE_LINES_MAX:
            _with_file_lines("Upload", lambda name, src: store.upload_file(container, name, src, overwrite),
                             [(name, src, src) for src, name in pairs])
        else:
            progress = _Progress("Upload", len(pairs), total_bytes, show_progress)
            store.upload_files(container, [(name, src) for src, name in pairs], overwrite=overwrite,
                               progress=progress)
    except UserErrorException:
        raise
    except Exception as exc:  # noqa: BLE001 - surface the backend's error with context
        raise AzureMLException(f"Upload failed, please make sure target_path does not start with invalid "
                               f"characters. {type(exc).__name__}: {exc}", inner_exception=exc) from exc
    if show_progress:
        out.write(f"Uploaded {len(pairs)} files\n")
        out.flush()
    return len(pairs)


PER_FILE_LINES_MAX = 100


def _with_file_lines(action: str, fn: Any, jobs: list[tuple[str, str, str]]) -> None:
    """Small batches: the SDK's two lines per file ("Uploading f" / "Uploaded f, k files out of ...")."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    out, count = sys.stdout, 0
    with ThreadPoolExecutor(max_workers=min(8, len(jobs)) or 1) as pool:
        futures = {pool.submit(fn, a, b): label for a, b, label in jobs}
        for fut in as_completed(futures):
            fut.result()
            count += 1
            out.write(f"{action}ing {futures[fut]}\n{action}ed {futures[fut]}, {count} files out of an estimated "
                      f"total of {len(jobs)}\n")


def download(store: "BlobStore", container: str, target_path: str, prefix: str | None, overwrite: bool,
             show_progress: bool) -> int:
    """Download every blob under ``prefix`` to ``target_path/<blob name>``. Returns the count."""
    os.makedirs(target_path, exist_ok=True)
    blobs = filter_conflicting(list(store.list_blobs(container, prefix or "")))
    items = []
    for blob in blobs:
        dest = os.path.join(target_path, os.path.normpath(blob.name))
        if not overwrite and os.path.exists(dest):
            continue
        items.append((blob.name, dest))
    if not items:
        return 0
    if show_progress and len(items) <= PER_FILE_LINES_MAX:
        _with_file_lines("Download", lambda name, dest: store.download_file(container, name, dest),
                         [(name, dest, name) for name, dest in items])
    else:
        progress = _Progress("Download", len(items), sum(b.size for b in blobs), show_progress)
        store.download_files(container, items, progress=lambda done, total: progress(0, 0))
    return len(items)


def filter_conflicting(blobs: list) -> list:
    """Drop empty "folder marker" blobs; a non-empty blob named like a folder is an error (SDK rule)."""
    folders = set()
    for b in blobs:
        parts = b.name.split("/")
        for i in range(1, len(parts)):
            folders.add("/".join(parts[:i]))
    out = []
    for b in blobs:
        if b.name in folders:
            if b.size != 0:
                raise RuntimeError(f"Found non empty file {b.name} that has the same name as a folder.")
            continue
        out.append(b)
    return out
