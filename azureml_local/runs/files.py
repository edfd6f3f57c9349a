"""Run files (upload/list/download): a mixin of :class:`azureml_local.run.Run`.

Same names and parameters as the SDK; artifacts live in blob storage
(``runs/artifacts.py``). ``datastore_name`` is accepted and ignored (all run
files go to the workspace artifact store, as with the default in the cloud).
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from azureml_local.exceptions import UserErrorException
from azureml_local.runs import artifacts


class RunFilesMixin:
    """File methods; the host class provides ``_ws`` and ``_run_id``."""

    def upload_file(self, name: str, path_or_stream: Any, datastore_name: str | None = None) -> Any:
        """Upload one file (a path or a readable stream) as the run artifact ``name``."""
        if hasattr(path_or_stream, "read"):
            data = path_or_stream.read()
            artifacts.upload_bytes(self._ws, self._run_id, name, data.encode() if isinstance(data, str) else data)
        elif isinstance(path_or_stream, (str, os.PathLike)):
            artifacts.upload_paths(self._ws, self._run_id, [(name, path_or_stream)])
        else:
            raise UserErrorException("UnsupportedType: type {} is invalid, supported input types: file path or "
                                     "file".format(type(path_or_stream)))
        return _ArtifactRef(self._run_id, name)

    def upload_files(self, names: list, paths: list, return_artifacts: bool = False,
                     timeout_seconds: int | None = None, datastore_name: str | None = None) -> Any:
        if not isinstance(names, (list, tuple)) or not isinstance(paths, (list, tuple)) or len(names) != len(paths):
            raise TypeError("names and paths must be lists of equal lengths. Got names: {} and paths: {}"
                            .format(names, paths))
        uploaded = artifacts.upload_paths(self._ws, self._run_id, list(zip(names, paths)))
        if return_artifacts:
            return {n: _ArtifactRef(self._run_id, n) for n in uploaded}
        return None

    def upload_folder(self, name: str, path: str, datastore_name: str | None = None) -> Any:
        """Upload every file under ``path`` as ``<name>/<relative path>``."""
        if not os.path.isdir(path):
            raise UserErrorException(f"Cannot upload folder {path}: it does not exist or is not a directory.")
        artifacts.upload_paths(self._ws, self._run_id, artifacts.folder_items(path, name))
        return None

    def get_file_names(self) -> list[str]:
        return artifacts.list_names(self._ws, self._run_id)

    def download_file(self, name: str, output_file_path: str | None = None, _validate_checksum: bool = False) -> None:
        """Download artifact ``name`` (default: its base name in the current folder)."""
        target = output_file_path or os.path.basename(name)
        if os.path.isdir(target):
            target = os.path.join(target, os.path.basename(name))
        artifacts.download(self._ws, self._run_id, name, target)

    def download_files(self, prefix: str | None = None, output_directory: str | None = None,
                       output_paths: list | None = None, batch_size: int = 100, append_prefix: bool = True,
                       timeout_seconds: int | None = None) -> None:
        """Download every artifact under ``prefix`` into ``output_directory`` (default: current folder)."""
        names = [n for n in self.get_file_names() if not prefix or n.startswith(artifacts.normalize(prefix))]
        if output_paths is not None and len(output_paths) != len(names):
            raise UserErrorException("output_paths must have one path per file to download "
                                     f"({len(names)} files match prefix {prefix!r}).")
        out_dir = Path(output_directory or ".")
        pairs = []
        for i, n in enumerate(names):
            if output_paths is not None:
                pairs.append((n, str(output_paths[i])))
                continue
            rel = n
            if prefix and not append_prefix:
                rel = n[len(artifacts.normalize(prefix)):].lstrip("/")
            pairs.append((n, str(out_dir / rel)))
        artifacts.download_many(self._ws, self._run_id, pairs)

    def _download_artifact_contents_to_string(self, name: str, encoding: str = "utf-8") -> str:
        return artifacts.read_bytes(self._ws, self._run_id, name).decode(encoding)


class _ArtifactRef:
    """What upload_file returns (the SDK returns an ArtifactDto-like object)."""

    def __init__(self, run_id: str, path: str):
        self.origin = "ExperimentRun"
        self.container = f"dcid.{run_id}"
        self.path = artifacts.normalize(path)
        self.artifact_id = f"{self.origin}/{self.container}/{self.path}"

    def __repr__(self) -> str:
        return f"Artifact({self.artifact_id})"


__all__ = ["RunFilesMixin", "io"]
