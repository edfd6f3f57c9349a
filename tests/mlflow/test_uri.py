"""azureml-local:// URIs, and MLflow staying out of `import azureml.core`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from azureml_local.mlflow import uri


def test_uris_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "a folder" / "ws"
    base = uri.tracking_uri(folder)
    assert base.startswith("azureml-local:///") and " " not in base
    assert uri.parse(base) == (folder.resolve(), "")
    run = uri.run_artifact_uri(folder, "run-1") + "/model/MLmodel"
    assert uri.parse(run) == (folder.resolve(), "ExperimentRun/dcid.run-1/model/MLmodel")
    assert uri.run_of_prefix("ExperimentRun/dcid.run-1/model/MLmodel") == ("run-1", "model/MLmodel")
    assert uri.run_of_prefix("ExperimentRun/dcid.run-1") == ("run-1", "")
    model = uri.model_version_uri(folder, "churn", 3)
    assert uri.parse(model) == (folder.resolve(), "LocalUpload/models/churn/3")
    assert uri.run_of_prefix("LocalUpload/models/churn/3") is None
    with pytest.raises(ValueError, match="get_mlflow_tracking_uri"):
        uri.parse("file:///tmp/mlruns")


def test_import_azureml_core_does_not_import_mlflow() -> None:
    code = ("import sys, azureml.core; from azureml.core import Workspace, Run, Experiment; "
            "print(sorted(m for m in sys.modules if m == 'mlflow' or m.startswith(('mlflow.', "
            "'azureml_local.mlflow.tracking', 'azureml_local.mlflow.registry', 'azureml_local.mlflow.artifact'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
