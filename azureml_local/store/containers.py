"""Where things live in blob storage (one place, so every layer agrees).

Container names carry the workspace id, so several workspaces can share one
external Azurite or storage account without colliding.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace


def default_blob_container(workspace: "Workspace") -> str:
    """Container of the default ``workspaceblobstore`` datastore (same pattern as Azure ML)."""
    return f"azureml-blobstore-{workspace._workspace_id}"


def file_share_container(workspace: "Workspace") -> str:
    """Container emulating the ``workspacefilestore`` file share."""
    return f"azureml-filestore-{workspace._workspace_id}"


def artifacts_container(workspace: "Workspace") -> str:
    """Container of run artifacts (outputs, logs, uploaded files) and model files."""
    return f"azureml-artifacts-{workspace._workspace_id}"


def run_artifact_prefix(run_id: str) -> str:
    """Blob prefix of one run's artifacts: ``ExperimentRun/dcid.<run id>/`` as in Azure ML."""
    return f"ExperimentRun/dcid.{run_id}/"


def model_prefix(model_name: str, version: int) -> str:
    """Blob prefix of a registered model version's files."""
    return f"LocalUpload/models/{model_name}/{version}/"
