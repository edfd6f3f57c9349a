"""Which files make up a model, and getting them back onto disk.

Blob names under a version's prefix are relative to the *parent* of the
registered path, as in the SDK: registering ``outputs/model.pkl`` stores
``model.pkl``; registering folder ``models/`` stores ``models/...``. Downloads
therefore recreate the registered file or folder name inside the target folder.
"""
from __future__ import annotations

import logging
import os
import posixpath
from typing import Any

from azureml_local import model_store
from azureml_local.exceptions import (
    ModelNotFoundException,
    ModelPathNotFoundException,
    RunEnvironmentException,
    WebserviceException,
)
from azureml_local.store.blobs.base import BlobStoreError
from azureml_local.store.containers import artifacts_container, run_artifact_prefix

log = logging.getLogger("azureml.core.model")
# Where Model.get_model_path caches downloaded models (``azureml.core.model.MODELS_DIR``).
MODELS_DIR = os.path.join(os.environ.get("AML_APP_ROOT", ""), "azureml-models")


def collect_local_files(model_path: str, child_paths: list | None = None) -> list[tuple[str, str]]:
    """``(relative blob name, local path)`` pairs for a local file/folder (optionally only ``child_paths``)."""
    full = os.path.normpath(os.path.join(os.getcwd(), model_path))
    if not os.path.exists(full):
        raise WebserviceException('Error, provided model path "{}" cannot be found'.format(full))
    for child in child_paths or []:
        if not os.path.exists(os.path.join(full, child)):
            raise WebserviceException('Error, provided child path "{}" cannot be found'.format(child))
    parent = os.path.dirname(os.path.abspath(full))
    if child_paths:
        paths: set[str] = set()
        for child in child_paths:
            child_full = os.path.abspath(os.path.join(full, os.path.normpath(child)))
            paths.update(_walk(child_full) if os.path.isdir(child_full) else [child_full])
        files = sorted(paths)
    elif os.path.isdir(full):
        files = _walk(full)
    else:
        files = [full]
    if not files:
        raise WebserviceException('Error, provided model path "{}" contains no files'.format(full))
    return [(os.path.relpath(f, parent).replace(os.sep, "/"), f) for f in files]


def _walk(folder: str) -> list[str]:
    return sorted(os.path.join(root, name) for root, _, names in os.walk(folder) for name in names)


def run_blobs_under(workspace: Any, run_id: str, model_path: str) -> list[tuple[str, str]]:
    """``(source blob, relative name)`` of the run's files under ``model_path`` (string prefix, as the SDK)."""
    model_path = os.path.normpath(model_path).replace(os.sep, "/")
    run_prefix = run_artifact_prefix(run_id)
    all_names = _run_files(workspace, run_prefix)
    matched = [n for n in all_names if n.startswith(model_path)]
    if not matched:
        raise ModelPathNotFoundException(
            "Could not locate the provided model_path {} in the set of files uploaded to the run: {}\n"
            "                See https://aka.ms/run-logging for more details.".format(model_path, str(all_names)))
    strip = posixpath.dirname(model_path)
    return [(run_prefix + n, posixpath.relpath(n, strip) if strip else n) for n in matched]


def _run_files(workspace: Any, run_prefix: str) -> list[str]:
    try:
        blobs = workspace._blobs.list_blobs(artifacts_container(workspace), run_prefix)
        return [b.name[len(run_prefix):] for b in blobs]
    except BlobStoreError:
        return []


def download_model(model: Any, target_dir: str, exist_ok: bool, _cache: bool = False) -> str:
    """Download into ``target_dir``; with ``_cache`` files already there at the right size are kept
    (registered versions never change, so the model cache is not re-downloaded on every call)."""
    names = model_store.file_names(model.workspace, model.name, model.version)
    if not names:
        raise WebserviceException("No files to download. Did you upload files?")
    target_dir = os.path.normpath(target_dir)
    targets = [os.path.join(target_dir, n) for n in names]
    if not exist_ok:
        for path in targets:
            if os.path.exists(path):
                raise WebserviceException("File already exists. To overwrite, set exist_ok to True. {}".format(path))
    paths = model_store.download(model.workspace, model.name, model.version, target_dir, skip_same_size=_cache)
    return os.path.commonpath(paths)


def _active_workspace(workspace: Any) -> Any:
    """The workspace of the run this process belongs to, else ``workspace``."""
    try:
        from azureml_local.run import Run  # cycle: run -> model -> model_files

        run = Run.get_context(allow_offline=False)
        return run.experiment.workspace
    except RunEnvironmentException:
        return workspace


def get_model_path(model_name: str, version: int | None, workspace: Any) -> str:
    if version is not None and not isinstance(version, int):
        raise WebserviceException("version should be an int")
    active = _active_workspace(workspace)
    if version is not None:
        try:
            return _local_path(model_name, version)
        except ModelNotFoundException as exc:
            if active is not None:
                return _remote_path(model_name, version, active)
            raise WebserviceException(exc.message) from exc
    if active is not None:
        return _remote_path(model_name, version, active)
    return _local_path(model_name, version)


def _local_path(model_name: str, version: int | None) -> str:
    if model_name is None:
        raise WebserviceException("model_name is None")
    folder = os.path.join(MODELS_DIR, model_name)
    if os.path.isdir(folder):
        versions = [v for v in os.listdir(folder) if v.isdigit()]
        chosen = str(version) if version is not None else (max(versions, key=int) if versions else None)
        candidate = os.path.join(folder, chosen) if chosen else None
        if candidate and os.path.isdir(candidate):
            entries = os.listdir(candidate)
            if len(entries) != 1:
                raise WebserviceException("Dir {} can contain only 1 file or folder. Found {}".format(candidate,
                                                                                                      entries))
            return os.path.join(candidate, entries[0])
    if os.path.exists(model_name):
        return model_name
    raise ModelNotFoundException("Model {} not found in cache at {} or in current working directory {}. "
                                 "For more info, set logging level to DEBUG.".format(model_name, MODELS_DIR,
                                                                                     os.getcwd()))


def _remote_path(model_name: str, version: int | None, workspace: Any) -> str:
    from azureml_local.model import Model  # cycle: model imports model_files

    try:
        model = Model(workspace=workspace, name=model_name, version=version)
    except WebserviceException as exc:
        if "ModelNotFound" in exc.message:
            infos = sorted("{}/{}".format(m.name, m.version) for m in Model.list(workspace, expand=False))
            raise ModelNotFoundException("Model/Version {}/{} not found in workspace. {}".format(
                model_name, version, infos)) from exc
        raise
    target_dir = os.path.join(MODELS_DIR, model_name, str(model.version))
    path = download_model(model, target_dir, exist_ok=True, _cache=True)
    if not os.path.exists(path):
        raise ModelNotFoundException("Expected model path does not exist: {}. Found items in dir: {}".format(
            path, os.listdir(target_dir)))
    return path
