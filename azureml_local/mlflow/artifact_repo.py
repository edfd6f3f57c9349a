"""The MLflow artifact repository of ``azureml-local://`` URIs: run artifacts and model files.

A run's artifacts go through ``runs/artifacts.py`` (blob upload + the ``run_artifacts``
index), so ``run.get_file_names()`` and ``run.download_file`` see what MLflow logged;
other prefixes (registered model versions) are read straight from the blob store.
"""
from __future__ import annotations

import os
import posixpath

from mlflow.entities import FileInfo
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE
from mlflow.store.artifact.artifact_repo import ArtifactRepository

from azureml_local.mlflow import uri as uris
from azureml_local.mlflow.workspaces import open_uri
from azureml_local.runs import artifacts
from azureml_local.store.containers import artifacts_container


class AzureMLLocalArtifactRepository(ArtifactRepository):
    def __init__(self, artifact_uri: str, tracking_uri: str | None = None, registry_uri: str | None = None):
        super().__init__(artifact_uri, tracking_uri, registry_uri)
        self.ctx, self.prefix = open_uri(artifact_uri)
        self.run = uris.run_of_prefix(self.prefix)

    def _run_path(self, *parts: str | None) -> tuple[str, str]:
        if self.run is None:
            raise MlflowException(f"{self.artifact_uri} is read-only (registered model files); log artifacts to a "
                                  "run.", INVALID_PARAMETER_VALUE)
        run_id, base = self.run
        return run_id, posixpath.join(base, *[p for p in parts if p]).strip("/")

    # -- writing -----------------------------------------------------------------------------
    def log_artifact(self, local_file, artifact_path=None):
        run_id, folder = self._run_path(artifact_path)
        artifacts.upload_paths(self.ctx, run_id, [(posixpath.join(folder, os.path.basename(local_file)), local_file)])

    def log_artifacts(self, local_dir, artifact_path=None):
        run_id, folder = self._run_path(artifact_path)
        pairs = []
        for root, _dirs, files in os.walk(local_dir):
            rel = os.path.relpath(root, local_dir)
            for name in files:
                inner = name if rel == "." else posixpath.join(rel.replace(os.sep, "/"), name)
                pairs.append((posixpath.join(folder, inner), os.path.join(root, name)))
        artifacts.upload_paths(self.ctx, run_id, pairs)

    # -- reading -----------------------------------------------------------------------------
    def _files(self) -> dict[str, int]:
        """``{path relative to this URI: size}``."""
        if self.run is not None:
            run_id, base = self.run
            names = self.ctx.runs.artifact_sizes(run_id)
        else:
            base = self.prefix
            container = artifacts_container(self.ctx)
            names = {b.name: b.size for b in self.ctx.blobs.list_blobs(container, self.prefix + "/")}
        head = base.strip("/") + "/" if base.strip("/") else ""
        return {n[len(head):]: s for n, s in names.items() if n.startswith(head)}

    def list_artifacts(self, path=None):
        inner = (path or "").strip("/")
        head = inner + "/" if inner else ""
        seen: dict[str, FileInfo] = {}
        for name, size in self._files().items():
            if not name.startswith(head):
                continue
            child, _, rest = name[len(head):].partition("/")
            full = head + child
            seen[full] = FileInfo(full, True, None) if rest else FileInfo(full, False, size)
        return sorted(seen.values(), key=lambda f: f.path)

    def _download_file(self, remote_file_path, local_path):
        remote = remote_file_path.strip("/")
        if self.run is not None:
            run_id, base = self.run
            artifacts.download(self.ctx, run_id, posixpath.join(base, remote).strip("/"), local_path)
        else:
            self.ctx.blobs.download_file(artifacts_container(self.ctx), f"{self.prefix}/{remote}", local_path)

    def delete_artifacts(self, artifact_path=None):
        raise MlflowException("Run artifacts are immutable in the Azure ML run history.", INVALID_PARAMETER_VALUE)
