"""``FileDataset``: files on datastores or URLs, downloaded or "mounted" as a local folder.

Mount is download-backed (no FUSE): ``mount()`` materialises the files from the etag cache
into the mount point when started and removes them when stopped (``docs/data.md``).
"""
from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

from azureml_local.data import cache, datasets
from azureml_local.data import definition as defs
from azureml_local.data.abstract_dataset import AbstractDataset
from azureml_local.exceptions import UserErrorException


class FileDataset(AbstractDataset):
    """A set of files; ``download``/``mount`` give them a local folder, ``to_path`` lists them."""

    def __init__(self) -> None:
        super().__init__()

    def _files(self) -> list:
        return datasets.files(self._workspace, self._definition)

    def to_path(self) -> list[str]:
        """The files' paths relative to the dataset root, each starting with '/'."""
        return ["/" + f.rel for f in self._files()]

    def download(self, target_path: str | None = None, overwrite: bool = False,
                 ignore_not_found: bool = False) -> list[str]:
        """Download the files under ``target_path`` (a temp folder if None); returns their absolute paths."""
        target = Path(target_path) if target_path and not str(target_path).isspace() else Path(tempfile.mkdtemp())
        target.mkdir(parents=True, exist_ok=True)
        files = self._files()
        if not overwrite:
            for f in files:
                p = os.path.abspath(target / f.rel)
                if os.path.exists(p):
                    raise UserErrorException(f'File "{p}" already exists. Set overwrite=True to overwrite it, or '
                                             "choose an empty target path.")
        return [os.path.abspath(p) for p in cache.materialize(self._workspace, files, target, overwrite=True)]

    def mount(self, mount_point: str | None = None, **kwargs: Any) -> "MountContext":
        """A context manager giving the files in a local folder (download-backed)."""
        if mount_point and os.path.isdir(mount_point) and os.listdir(mount_point):
            raise UserErrorException("Dataset mount point must be empty, mounting dataset to non-empty folder is not "
                                     "supported.")
        if mount_point:
            return MountContext(self, mount_point)
        return MountContext(self, tempfile.mkdtemp(prefix="dataset-mount-"), owned=True)

    # -- consumption configs ---------------------------------------------------------------
    def as_mount(self, path_on_compute: str | None = None) -> Any:
        return self.as_named_input(name=None).as_mount(path_on_compute=path_on_compute)  # type: ignore[arg-type]

    def as_download(self, path_on_compute: str | None = None) -> Any:
        return self.as_named_input(name=None).as_download(path_on_compute=path_on_compute)  # type: ignore[arg-type]

    def as_hdfs(self) -> Any:
        raise UserErrorException(datasets.HDFS_UNSUPPORTED)

    def as_cache(self, datacache_store: Any) -> Any:
        raise UserErrorException("Datacache is not supported by azureml-local; use as_download() or as_mount().")

    # -- transforms ---------------------------------------------------------------------------
    def skip(self, count: int) -> "FileDataset":
        return self._derive(defs.with_transform(self._definition, "skip", count=int(count)))

    def take(self, count: int) -> "FileDataset":
        return self._derive(defs.with_transform(self._definition, "take", count=int(count)))

    def take_sample(self, probability: float, seed: int | None = None) -> "FileDataset":
        seed = random.randrange(2 ** 31) if seed is None else seed
        return self._derive(defs.with_transform(self._definition, "take_sample", probability=probability, seed=seed))

    def random_split(self, percentage: float, seed: int | None = None) -> tuple["FileDataset", "FileDataset"]:
        seed = random.randrange(2 ** 31) if seed is None else seed
        return tuple(self._derive(defs.with_transform(self._definition, "random_split", percentage=percentage,  # type: ignore[return-value]
                                                      seed=seed, part=part)) for part in (0, 1))

    def filter(self, expression: Any) -> "FileDataset":
        raise UserErrorException("FileDataset.filter on file metadata is not supported by azureml-local; use take, "
                                 "skip or a narrower glob pattern in from_files.")

    def file_metadata(self, col: str) -> Any:
        raise UserErrorException("FileDataset.file_metadata is not supported by azureml-local.")


class MountContext:
    """What ``FileDataset.mount`` returns: ``start()``/``stop()`` or use it as a context manager."""

    def __init__(self, dataset: FileDataset, mount_point: str, owned: bool = False):
        self._dataset = dataset
        self.mount_point = os.path.abspath(mount_point)
        self._created = owned or not os.path.exists(self.mount_point)
        self._started = False

    def start(self) -> None:
        os.makedirs(self.mount_point, exist_ok=True)
        cache.materialize(self._dataset._workspace, self._dataset._files(), Path(self.mount_point))
        self._started = True

    def stop(self) -> None:
        if not self._started:
            return
        for entry in os.listdir(self.mount_point):
            p = os.path.join(self.mount_point, entry)
            shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.unlink(p)
        if self._created:
            os.rmdir(self.mount_point)
        self._started = False

    def __enter__(self) -> "MountContext":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
