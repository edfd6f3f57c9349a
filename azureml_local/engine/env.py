"""The environment variables the cloud job runtime gives a script (sdk-v1-behaviour.md section a).

Set for real, so ``Run.get_context()`` and code reading ``os.environ`` directly
both work. ``AZUREML_LOCAL_HOME`` lets the child find the same workspace folder.
"""
from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import TYPE_CHECKING

from azureml_local.home import local_home
from azureml_local.mlflow import uri as mlflow_uri
from azureml_local.tokens import DEFAULT_TTL_SECONDS, issue_token

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace


def run_environment(ws: "Workspace", run_id: str, experiment_name: str, experiment_id: str | None = None,
                    target: str = "local") -> dict[str, str]:
    """Env vars identifying ``run_id`` of ``experiment_name`` in ``ws`` (token included)."""
    token = issue_token(ws, run_id, run_id=run_id, experiment=experiment_name)
    endpoint = ws._service_endpoint()
    return {
        "AZUREML_RUN_ID": run_id,
        "AZUREML_ARM_SUBSCRIPTION": ws.subscription_id,
        "AZUREML_ARM_RESOURCEGROUP": ws.resource_group,
        "AZUREML_ARM_WORKSPACE_NAME": ws.name,
        "AZUREML_ARM_PROJECT_NAME": experiment_name,
        "AZUREML_EXPERIMENT_ID": experiment_id or "",
        "AZUREML_WORKSPACE_ID": ws._workspace_id,
        "AZUREML_RUN_TOKEN": token,
        "AZUREML_RUN_TOKEN_EXPIRY": str(int(time.time()) + DEFAULT_TTL_SECONDS),
        "AZUREML_SERVICE_ENDPOINT": endpoint,
        "AZUREML_DISCOVERY_SERVICE_ENDPOINT": endpoint + "/discovery",
        "AZUREML_OUTPUT_DIRECTORY": "outputs",
        "AZUREML_TARGET_TYPE": target,
        "AZUREML_LOCAL_HOME": _resolved(local_home()),
        "PYTHONUNBUFFERED": "1",
        # MLflow calls with no configuration land in this run, as in an Azure ML job (docs/mlflow.md).
        "MLFLOW_TRACKING_URI": _tracking_uri(ws._local_folder),
        "MLFLOW_REGISTRY_URI": _tracking_uri(ws._local_folder),  # also spares MLflow a Spark probe per call
        "MLFLOW_RUN_ID": run_id,
        "MLFLOW_EXPERIMENT_NAME": experiment_name,
        **({"MLFLOW_EXPERIMENT_ID": experiment_id} if experiment_id else {}),
    }


def _resolved(home: Path) -> str:
    """The home folder's real path; an absolute one is resolved once (a realpath walk costs ~1 ms per step)."""
    return _resolved_absolute(home) if home.is_absolute() else str(home.resolve())


@functools.lru_cache(maxsize=16)
def _resolved_absolute(home: Path) -> str:
    return str(home.resolve())


@functools.lru_cache(maxsize=16)
def _tracking_uri(folder: Path) -> str:
    """The workspace's MLflow URI (resolved once per folder, like the home)."""
    return mlflow_uri.tracking_uri(folder)
