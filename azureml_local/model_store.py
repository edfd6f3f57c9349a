"""Model versions: rows in the workspace database, files in the artifacts container.

A version number is reserved in a short transaction (row state ``uploading``),
the files are uploaded outside it (so a large upload never holds the database
write lock), and the row becomes ``ready``. A failed upload deletes the row and
whatever blobs were written, so nothing half-registered is ever listed.
"""
from __future__ import annotations

import getpass
import os
import uuid
from typing import TYPE_CHECKING, Any, Iterable

from azureml_local.store.blobs.base import ContainerNotFoundError
from azureml_local.store.containers import artifacts_container, model_prefix

if TYPE_CHECKING:
    from azureml_local.store.registries.models import ModelStore


def _models(workspace: Any) -> "ModelStore":
    return workspace._context.registries.models


def reserve_version(workspace: Any, name: str, definition: dict[str, Any]) -> int:
    """Insert an ``uploading`` row with the next version number of ``name``."""
    version, _stored = _models(workspace).reserve_version(name, definition)
    return version


def mark_ready(workspace: Any, name: str, version: int) -> None:
    _models(workspace).mark_ready(name, version)


def discard(workspace: Any, name: str, version: int) -> None:
    """Undo a failed registration: blobs and row."""
    try:
        _delete_blobs(workspace, name, version)
    finally:
        _models(workspace).delete(name, version)


def _delete_blobs(workspace: Any, name: str, version: int) -> None:
    try:
        workspace._blobs.delete_prefix(artifacts_container(workspace), model_prefix(name, version))
    except ContainerNotFoundError:
        pass


def upload_local(workspace: Any, name: str, version: int, files: list[tuple[str, str]]) -> None:
    """Upload ``(relative name, local path)`` pairs under the version's prefix."""
    blobs = workspace._blobs
    container = artifacts_container(workspace)
    blobs.create_container(container)
    prefix = model_prefix(name, version)
    blobs.upload_files(container, [(prefix + rel, path) for rel, path in files])


def copy_blobs(workspace: Any, name: str, version: int, pairs: Iterable[tuple[str, str]]) -> None:
    """Copy ``(source blob, relative name)`` pairs (same container) under the version's prefix."""
    blobs = workspace._blobs
    container = artifacts_container(workspace)
    prefix = model_prefix(name, version)
    for source, rel in pairs:
        blobs.upload_bytes(container, prefix + rel, blobs.download_bytes(container, source))


def file_names(workspace: Any, name: str, version: int) -> list[str]:
    """Relative names of a version's files."""
    prefix = model_prefix(name, version)
    try:
        return [b.name[len(prefix):] for b in workspace._blobs.list_blobs(artifacts_container(workspace), prefix)]
    except ContainerNotFoundError:
        return []


def download(workspace: Any, name: str, version: int, target_dir: str, skip_same_size: bool = False) -> list[str]:
    """Download a version's files; returns their local paths."""
    prefix = model_prefix(name, version)
    container = artifacts_container(workspace)
    blobs = list(workspace._blobs.list_blobs(container, prefix))
    pairs = [(b.name, os.path.join(target_dir, b.name[len(prefix):])) for b in blobs]
    todo = [(b.name, path) for b, (_, path) in zip(blobs, pairs)
            if not (skip_same_size and os.path.isfile(path) and os.path.getsize(path) == b.size)]
    if todo:
        workspace._blobs.download_files(container, todo)
    return [p for _, p in pairs]


def get(workspace: Any, name: str | None = None, version: int | None = None) -> dict[str, Any] | None:
    return _models(workspace).get(name, version)


def query(workspace: Any, name: str | None = None, run_id: str | None = None,
          latest: bool = False) -> list[dict[str, Any]]:
    """Ready model versions, newest first (optionally one name / one run / latest per name)."""
    return _models(workspace).query(name, run_id, latest)


def update(workspace: Any, name: str, version: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` to the stored definition (read-modify-write in one transaction)."""
    return _models(workspace).update(name, version, changes)


def delete(workspace: Any, name: str, version: int) -> None:
    _models(workspace).delete(name, version)
    _delete_blobs(workspace, name, version)


def base_definition(workspace: Any, name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "description": fields.get("description"), "mimeType": "application/octet-stream",
            "framework": fields.get("framework") or "Custom", "frameworkVersion": fields.get("framework_version"),
            "tags": fields.get("tags") or {}, "properties": fields.get("properties") or {}, "unpack": False,
            "url": "aml://asset/{}".format(uuid.uuid4().hex), "experimentName": fields.get("experiment_name"),
            "runId": fields.get("run_id"), "datasets": fields.get("datasets") or [],
            "createdBy": {"userName": _user(), "userObjectId": None, "userTenantId": None},
            "resourceRequirements": fields.get("resource_requirements"),
            "sampleInputData": fields.get("sample_input"), "sampleOutputData": fields.get("sample_output")}


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database entry in some containers
        return "local-user"
