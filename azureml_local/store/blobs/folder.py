"""Plain-folder blob backend: ``<root>/<container>/<blob name>``.

Used when Node/Azurite is unavailable. Atomic writes: data goes to a temp file
in the same folder and is ``os.replace``d into place. The etag is derived from
``(mtime_ns, size, inode)``, which changes whenever content is rewritten.
"""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from azureml_local.store.local_files import TMP_PREFIX, atomic_write
from azureml_local.store.blobs.base import (BlobExistsError, BlobInfo, BlobNotFoundError, BlobStore,
                                            ContainerNotFoundError)



class FolderBlobStore(BlobStore):
    kind = "folder"

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    # -- helpers ---------------------------------------------------------------
    def _container(self, container: str) -> Path:
        path = self.root / container
        if not path.is_dir():
            raise ContainerNotFoundError(f"The specified container does not exist: {container}")
        return path

    def _blob_path(self, container: str, name: str) -> Path:
        name = name.lstrip("/")
        if not name or any(part in ("..", "") for part in name.split("/")):
            raise ValueError(f"Invalid blob name: {name!r}")
        return self._container(container) / name

    @staticmethod
    def _info(name: str, path: Path) -> BlobInfo:
        st = path.stat()
        return BlobInfo(name=name, size=st.st_size, etag=f'"0x{st.st_mtime_ns:x}{st.st_size:x}{st.st_ino:x}"',
                        last_modified=datetime.fromtimestamp(st.st_mtime, tz=timezone.utc))

    def _write_atomic(self, target: Path, writer, overwrite: bool, name: str, container: str) -> BlobInfo:
        if target.is_dir():
            raise BlobExistsError(f"A virtual folder already exists at {name}")
        if not overwrite and target.exists():
            raise BlobExistsError(f"The specified blob already exists: {container}/{name}")
        with atomic_write(target) as fh:
            writer(fh)
        return self._info(name, target)

    # -- containers --------------------------------------------------------------
    def create_container(self, container: str) -> None:
        (self.root / container).mkdir(parents=True, exist_ok=True)

    def container_exists(self, container: str) -> bool:
        return (self.root / container).is_dir()

    def delete_container(self, container: str) -> None:
        shutil.rmtree(self.root / container, ignore_errors=True)

    # -- blobs -------------------------------------------------------------------
    def upload_bytes(self, container: str, name: str, data: bytes, overwrite: bool = True) -> BlobInfo:
        return self._write_atomic(self._blob_path(container, name), lambda fh: fh.write(data), overwrite,
                                  name, container)

    def upload_file(self, container: str, name: str, path, overwrite: bool = True) -> BlobInfo:
        def copy(fh):
            with open(path, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)

        return self._write_atomic(self._blob_path(container, name), copy, overwrite, name, container)

    def download_bytes(self, container: str, name: str) -> bytes:
        path = self._blob_path(container, name)
        if not path.is_file():
            raise BlobNotFoundError(f"The specified blob does not exist: {container}/{name}")
        return path.read_bytes()

    def download_file(self, container: str, name: str, path) -> BlobInfo:
        src = self._blob_path(container, name)
        if not src.is_file():
            raise BlobNotFoundError(f"The specified blob does not exist: {container}/{name}")
        with atomic_write(path) as fh, open(src, "rb") as source:
            shutil.copyfileobj(source, fh, 1 << 20)
        return self._info(name, src)

    def get_info(self, container: str, name: str) -> BlobInfo | None:
        try:
            path = self._blob_path(container, name)
        except ContainerNotFoundError:
            return None
        return self._info(name, path) if path.is_file() else None

    def list_blobs(self, container: str, prefix: str = "") -> Iterator[BlobInfo]:
        base = self._container(container)
        prefix = prefix.lstrip("/")
        if ".." in prefix.split("/"):
            return iter(())  # no blob name has a '..' segment (as in Azure): never walk outside the container
        # Walk only the deepest folder that the prefix fully names.
        start = base / prefix.rsplit("/", 1)[0] if "/" in prefix else base
        if not start.is_dir():
            return iter(())
        found = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames.sort()
            for fname in filenames:
                if fname.startswith(TMP_PREFIX):
                    continue
                full = Path(dirpath) / fname
                name = full.relative_to(base).as_posix()
                if name.startswith(prefix):
                    found.append(self._info(name, full))
        return iter(sorted(found, key=lambda b: b.name))

    def delete_blob(self, container: str, name: str) -> None:
        try:
            path = self._blob_path(container, name)
        except ContainerNotFoundError:
            return
        try:
            path.unlink()
        except (FileNotFoundError, IsADirectoryError):
            return
        # prune empty virtual folders, as blob storage has none
        parent = path.parent
        root = self._container(container)
        while parent != root:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent

    def url(self, container: str, name: str = "") -> str:
        return (self.root / container / name).as_uri()
