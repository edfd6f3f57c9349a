"""Run artifacts: files stored in blob storage, indexed in ``run_artifacts``.

Blobs live in ``artifacts_container(ws)`` under ``run_artifact_prefix(run_id)``;
the index table makes ``get_file_names`` one query and records sizes.
"""
from __future__ import annotations

import errno
import os
import weakref
from typing import TYPE_CHECKING, Iterable

from azureml_local.exceptions import UserErrorException
from azureml_local.store.containers import artifacts_container, run_artifact_prefix
from azureml_local.store.local_files import folder_items  # noqa: F401 - re-exported: artifacts.folder_items

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore
    from azureml_local.workspace import Workspace

# Containers already created, per live blob store (weak keys: a store that is gone takes its
# entries with it, so a new store that reuses its address is never mistaken for it).
_READY: "weakref.WeakKeyDictionary[BlobStore, set[str]]" = weakref.WeakKeyDictionary()


def _container(ws: "Workspace") -> str:
    """The artifacts container, created once per blob store."""
    name = artifacts_container(ws)
    ready = _READY.setdefault(ws._blobs, set())
    if name not in ready:
        ws._blobs.create_container(name)
        ready.add(name)
    return name


def artifact_uri(run_id: str, path: str) -> str:
    """``aml://artifactId/ExperimentRun/dcid.<run>/<path>``: the SDK's data location of artifact metrics."""
    return f"aml://artifactId/{run_artifact_prefix(run_id)}{path}"


def normalize(name: str) -> str:
    name = str(name).replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def _checked(name: str) -> str:
    """``normalize(name)``, refused (UserErrorException, before any upload) when storage could not hold it."""
    if not isinstance(name, (str, os.PathLike)):
        raise UserErrorException(f"Invalid run artifact name {name!r}: the name must be a string such as "
                                 f"'outputs/model.pkl', not {type(name).__name__}.")
    clean = normalize(name)
    if not clean or any(part in ("", "..") for part in clean.split("/")):
        raise UserErrorException(f"Invalid run artifact name {name!r}: use a relative path such as "
                                 "'outputs/model.pkl' (no empty or '..' parts).")
    return clean


def upload_bytes(ws: "Workspace", run_id: str, name: str, data: bytes) -> None:
    name = _checked(name)
    blob = run_artifact_prefix(run_id) + name
    info = ws._blobs.upload_bytes(_container(ws), blob, data, overwrite=True)
    ws._context.runs.index_artifacts(run_id, [(name, blob, info.size)])


def upload_paths(ws: "Workspace", run_id: str, items: Iterable[tuple[str, str | os.PathLike[str]]]) -> list[str]:
    """Upload ``(artifact name, local file)`` pairs; returns the artifact names."""
    pairs = [(_checked(n), p) for n, p in items]
    if not pairs:
        return []
    for name, path in pairs:
        if not os.path.isfile(path):  # the SDK opens the file: FileNotFoundError, before anything is uploaded
            raise FileNotFoundError(errno.ENOENT, f"Cannot upload run file '{name}': no such file", str(path))
    prefix = run_artifact_prefix(run_id)
    infos = ws._blobs.upload_files(_container(ws), [(prefix + n, p) for n, p in pairs], overwrite=True)
    ws._context.runs.index_artifacts(run_id, [(n, prefix + n, i.size) for (n, _), i in zip(pairs, infos)])
    return [n for n, _ in pairs]


def alias(ws: "Workspace", run_id: str, name: str, existing: str) -> None:
    """Index ``name`` as another path of the already uploaded artifact ``existing`` (no second upload)."""
    row = ws._context.runs.artifact(run_id, normalize(existing))
    if row is not None:
        ws._context.runs.index_artifacts(run_id, [(normalize(name), row["blob_name"], row["size"])])


def list_names(ws: "Workspace", run_id: str) -> list[str]:
    return list(ws._context.runs.artifact_blobs(run_id))


def blob_name(ws: "Workspace", run_id: str, name: str) -> str | None:
    row = ws._context.runs.artifact(run_id, normalize(name))
    return row["blob_name"] if row else None


def read_bytes(ws: "Workspace", run_id: str, name: str) -> bytes:
    blob = blob_name(ws, run_id, name)
    if blob is None:
        raise _missing(ws, run_id, name)
    return ws._blobs.download_bytes(_container(ws), blob)


def download(ws: "Workspace", run_id: str, name: str, path: str | os.PathLike[str]) -> None:
    blob = blob_name(ws, run_id, name)
    if blob is None:
        raise _missing(ws, run_id, name)
    ws._blobs.download_file(_container(ws), blob, path)


def download_many(ws: "Workspace", run_id: str, pairs: list[tuple[str, str]]) -> None:
    rows = ws._context.runs.artifact_blobs(run_id)
    items = []
    for name, path in pairs:
        if name not in rows:
            raise _missing(ws, run_id, name)
        items.append((rows[name], path))
    ws._blobs.download_files(_container(ws), items)


def _missing(ws: "Workspace", run_id: str, name: str) -> Exception:
    """The SDK's 404 message, listing the run's files."""
    return UserErrorException("File with path {0} was not found,\navailable files include: {1}.".format(
        name, ",".join(list_names(ws, run_id))))
