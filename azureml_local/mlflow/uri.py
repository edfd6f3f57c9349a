"""The ``azureml-local://`` URIs: a workspace folder, then (for artifacts) a blob prefix.

``azureml-local:///<workspace folder>`` is the tracking and registry URI;
``.../ExperimentRun/dcid.<run id>/<path>`` a run's artifacts (the same prefix as the
blobs, as in Azure ML) and ``.../LocalUpload/models/<name>/<version>/`` a registered
model version's files. The folder is absolute, so a job process (any working directory)
opens the same workspace. Light: no mlflow import.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

SCHEME = "azureml-local"
_MARKERS = ("/ExperimentRun/", "/LocalUpload/")


def tracking_uri(folder: str | os.PathLike[str]) -> str:
    """The MLflow tracking URI of the workspace stored in ``folder``."""
    return f"{SCHEME}://{quote(Path(folder).resolve().as_posix())}"


def run_artifact_uri(folder: str | os.PathLike[str], run_id: str) -> str:
    return f"{tracking_uri(folder)}/ExperimentRun/dcid.{run_id}"


def model_version_uri(folder: str | os.PathLike[str], name: str, version: int) -> str:
    return f"{tracking_uri(folder)}/LocalUpload/models/{quote(name)}/{version}"


def parse(uri: str) -> tuple[Path, str]:
    """``(workspace folder, blob prefix without a trailing slash)``; ValueError for another scheme."""
    parsed = urlparse(uri)
    if parsed.scheme != SCHEME:
        raise ValueError(f"Not an {SCHEME}:// URI: {uri}. Use Workspace.get_mlflow_tracking_uri().")
    path = unquote(parsed.path)
    cut = min((i for i in (path.find(m) for m in _MARKERS) if i >= 0), default=len(path))
    return Path(path[:cut] or "/"), path[cut:].strip("/")


def run_of_prefix(prefix: str) -> tuple[str, str] | None:
    """``(run id, path inside the run)`` when ``prefix`` is under a run's artifacts, else None."""
    head = "ExperimentRun/dcid."
    if not prefix.startswith(head):
        return None
    run_id, _, rest = prefix[len(head):].partition("/")
    return run_id, rest
