"""The blob-store interface every backend implements (Azurite/Azure, plain folder).

Contract shared by all backends (one test suite runs against each):
* Uploads are atomic: a reader sees the old blob or the whole new one, never a
  partial blob, and a failed upload leaves nothing under the target name.
* ``overwrite=False`` on an existing blob raises :class:`BlobExistsError`.
* ``etag`` changes whenever content changes (used by reuse fingerprints and
  data-change schedules).
* Blob names use ``/`` separators; "folders" are just name prefixes.
"""
from __future__ import annotations

import abc
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Iterator


@dataclass(frozen=True)
class BlobInfo:
    """What a listing or a property read returns about one blob."""

    name: str
    size: int
    etag: str
    last_modified: datetime


class BlobStoreError(Exception):
    """Base class of blob-store errors."""


class BlobNotFoundError(BlobStoreError, KeyError):
    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "blob not found"


class ContainerNotFoundError(BlobStoreError, KeyError):
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "container not found"


class BlobExistsError(BlobStoreError):
    pass


class BlobStoreUnreachableError(BlobStoreError):
    """The storage endpoint did not answer (connection refused / timed out): nothing was done."""


def check_copy(target: "BlobStore", container: str, name: str, source: "BlobStore", source_container: str,
               source_name: str, overwrite: bool, source_info: BlobInfo | None = None) -> BlobInfo:
    """The source's properties; raises before a copy writes anything (missing source, existing target)."""
    info = source_info or source.get_info(source_container, source_name)
    if info is None:
        raise BlobNotFoundError(f"The specified blob does not exist: {source_container}/{source_name}")
    if not overwrite and target.exists(container, name):
        raise BlobExistsError(f"The specified blob already exists: {container}/{name}")
    return info


ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done_bytes, total_bytes)`` during multi-file transfers."""


class BlobStore(abc.ABC):
    """One storage account: containers of blobs."""

    #: short human name of the backend, e.g. ``"azurite"``, ``"azure"``, ``"folder"``
    kind: str = "abstract"

    @abc.abstractmethod
    def create_container(self, container: str) -> None:
        """Create the container if it does not exist (idempotent)."""

    @abc.abstractmethod
    def container_exists(self, container: str) -> bool: ...

    @abc.abstractmethod
    def delete_container(self, container: str) -> None: ...

    @abc.abstractmethod
    def upload_bytes(self, container: str, name: str, data: bytes, overwrite: bool = True) -> BlobInfo: ...

    @abc.abstractmethod
    def upload_file(self, container: str, name: str, path: str | os.PathLike[str],
                    overwrite: bool = True) -> BlobInfo: ...

    def upload_files(self, container: str, items: Iterable[tuple[str, str | os.PathLike[str]]],
                     overwrite: bool = True, max_concurrency: int = 8,
                     progress: ProgressCallback | None = None) -> list[BlobInfo]:
        """Upload many ``(blob name, local path)`` pairs; backends may parallelise."""
        items = list(items)
        total = sum(os.path.getsize(p) for _, p in items)
        done, out = 0, []
        for name, path in items:
            out.append(self.upload_file(container, name, path, overwrite=overwrite))
            done += out[-1].size
            if progress:
                progress(done, total)
        return out

    @abc.abstractmethod
    def download_bytes(self, container: str, name: str) -> bytes: ...

    @abc.abstractmethod
    def download_file(self, container: str, name: str, path: str | os.PathLike[str]) -> BlobInfo:
        """Write the blob to ``path`` (parents created; written atomically)."""

    def download_files(self, container: str, items: Iterable[tuple[str, str | os.PathLike[str]]],
                       max_concurrency: int = 8, progress: ProgressCallback | None = None) -> list[BlobInfo]:
        """Download many ``(blob name, local path)`` pairs; backends may parallelise."""
        out = []
        items = list(items)
        for name, path in items:
            out.append(self.download_file(container, name, path))
            if progress:
                progress(len(out), len(items))
        return out

    @abc.abstractmethod
    def get_info(self, container: str, name: str) -> BlobInfo | None:
        """Properties of one blob, or None when it does not exist."""

    @abc.abstractmethod
    def list_blobs(self, container: str, prefix: str = "") -> Iterator[BlobInfo]:
        """Every blob whose name starts with ``prefix`` (recursive), sorted by name."""

    @abc.abstractmethod
    def delete_blob(self, container: str, name: str) -> None:
        """Delete one blob; missing blobs are ignored."""

    def delete_prefix(self, container: str, prefix: str) -> int:
        """Delete every blob under ``prefix``; returns how many."""
        names = [b.name for b in self.list_blobs(container, prefix)]
        for n in names:
            self.delete_blob(container, n)
        return len(names)

    def exists(self, container: str, name: str) -> bool:
        return self.get_info(container, name) is not None

    def copy_blob(self, container: str, name: str, source: "BlobStore", source_container: str, source_name: str,
                  overwrite: bool = True, source_info: BlobInfo | None = None) -> BlobInfo:
        """Copy ``source_container/source_name`` of ``source`` (this store or another) to ``container/name``.

        As atomic as an upload (a failed copy leaves nothing under ``name``); a missing source raises
        :class:`BlobNotFoundError` before anything is written. This default streams through a temporary
        file (never the whole blob in memory); backends override it with a server-side copy.
        ``source_info`` (the source's properties, e.g. from a listing) spares a request.
        """
        check_copy(self, container, name, source, source_container, source_name, overwrite, source_info)
        with tempfile.TemporaryDirectory(prefix="blob-copy-") as tmp:
            local = os.path.join(tmp, "blob")
            source.download_file(source_container, source_name, local)
            return self.upload_file(container, name, local, overwrite=overwrite)

    @abc.abstractmethod
    def url(self, container: str, name: str = "") -> str:
        """A URL (or file URI) naming the blob, for display and for ``wasbs``-style paths."""

    def close(self) -> None:
        """Release clients/sessions."""
