"""One ``WorkspaceContext`` per workspace folder per process, for the MLflow plugin's stores."""
from __future__ import annotations

import threading
from pathlib import Path

from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

from azureml_local.context import WorkspaceContext
from azureml_local.mlflow import uri as uris

_CONTEXTS: dict[Path, WorkspaceContext] = {}
_LOCK = threading.Lock()


def open_uri(uri: str) -> tuple[WorkspaceContext, str]:
    """``(context, blob prefix)`` of an ``azureml-local://`` URI; MlflowException when no workspace is there."""
    try:
        folder, prefix = uris.parse(uri)
    except ValueError as exc:
        raise MlflowException(str(exc), INVALID_PARAMETER_VALUE) from exc
    with _LOCK:
        ctx = _CONTEXTS.get(folder)
        if ctx is None:
            if not (folder / "workspace.json").is_file():
                raise MlflowException(
                    f"No azureml-local workspace at {folder} (from the MLflow URI {uri}). Set the tracking URI "
                    "from ws.get_mlflow_tracking_uri() of an existing workspace.", INVALID_PARAMETER_VALUE)
            ctx = _CONTEXTS[folder] = WorkspaceContext.for_folder(folder)
    return ctx, prefix
