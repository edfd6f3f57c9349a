"""MLflow fixtures: the tracking URI of the test's workspace set, and MLflow's process state reset."""
from __future__ import annotations

import pytest

mlflow = pytest.importorskip("mlflow", reason="MLflow is the optional extra azureml-local[mlflow]")


@pytest.fixture
def tracked(ws, monkeypatch: pytest.MonkeyPatch):
    """``ws`` with MLflow pointed at it (no run left active, no MLFLOW_* from the environment)."""
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME",
                 "MLFLOW_REGISTRY_URI"):
        monkeypatch.delenv(name, raising=False)
    # MLflow keeps the experiment of the last set_experiment in a process global: each test has its own workspace.
    monkeypatch.setattr(mlflow.tracking.fluent, "_active_experiment_id", None)
    mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())
    yield ws
    while mlflow.active_run() is not None:
        mlflow.end_run()
    mlflow.autolog(disable=True)
    mlflow.set_tracking_uri(None)
    mlflow.set_registry_uri(None)
