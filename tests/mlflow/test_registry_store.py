"""MLflow models: log_model files are run files, registered versions are the workspace's models."""
from __future__ import annotations

import mlflow
import numpy as np
import pytest
import sklearn
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LogisticRegression

from azureml.core import Experiment, Model, Run


_REQS = ["scikit-learn"]  # given: MLflow would otherwise infer them in a subprocess (slow on a shared machine)


def _fitted() -> tuple[LogisticRegression, np.ndarray]:
    x = np.array([[0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.1, 0.8]])
    return LogisticRegression().fit(x, [0, 1, 1, 0]), x


def test_log_model_files_are_run_files_and_load_back(tracked) -> None:
    mlflow.set_experiment("models")
    model, x = _fitted()
    with mlflow.start_run() as active:
        info = mlflow.sklearn.log_model(model, name="model", pip_requirements=_REQS)
    run = Run(Experiment(tracked, "models"), active.info.run_id)
    names = run.get_file_names()
    assert "model/MLmodel" in names and "model/model.skops" in names
    loaded = mlflow.sklearn.load_model(info.model_uri)
    assert list(loaded.predict(x)) == list(model.predict(x))
    assert list(mlflow.sklearn.load_model(f"runs:/{active.info.run_id}/model").predict(x)) == list(model.predict(x))


def test_register_model_is_a_workspace_model(tracked) -> None:
    mlflow.set_experiment("models")
    model, x = _fitted()
    with mlflow.start_run() as active:
        mlflow.sklearn.log_model(model, name="model", pip_requirements=_REQS)
    version = mlflow.register_model(f"runs:/{active.info.run_id}/model", "churn")
    assert version.name == "churn" and version.version == "1" and version.run_id == active.info.run_id
    registered = Model(tracked, "churn")
    assert registered.version == 1 and registered.run_id == active.info.run_id
    assert registered.experiment_name == "models" and registered.model_framework == "ScikitLearn"
    assert registered.model_framework_version == sklearn.__version__
    assert [m.name for m in Model.list(tracked)] == ["churn"]
    loaded = mlflow.sklearn.load_model("models:/churn/1")
    assert list(loaded.predict(x)) == list(model.predict(x))
    assert mlflow.register_model(f"runs:/{active.info.run_id}/model", "churn").version == "2"
    assert Model(tracked, "churn").version == 2


def test_log_model_with_registered_model_name(tracked, tmp_path) -> None:
    mlflow.set_experiment("models")
    model, x = _fitted()
    with mlflow.start_run():
        mlflow.sklearn.log_model(model, name="clf", registered_model_name="clf-model",
                                 pip_requirements=_REQS)
    registered = Model(tracked, "clf-model")
    path = registered.download(target_dir=str(tmp_path / "dl"))
    assert (tmp_path / "dl" / "clf" / "MLmodel").is_file(), path
    client = mlflow.MlflowClient()
    assert client.get_registered_model("clf-model").latest_versions[0].version == "1"
    assert [v.version for v in client.search_model_versions("name='clf-model'")] == ["1"]


def test_registry_calls_on_versions_and_names(tracked) -> None:
    mlflow.set_experiment("models")
    model, _ = _fitted()
    with mlflow.start_run() as active:
        mlflow.sklearn.log_model(model, name="model", pip_requirements=_REQS)
    client = mlflow.MlflowClient()
    client.create_registered_model("reg", description="first")
    with pytest.raises(MlflowException) as info:
        client.create_registered_model("reg")
    assert info.value.error_code == "RESOURCE_ALREADY_EXISTS"
    version = client.create_model_version("reg", f"runs:/{active.info.run_id}/model", run_id=active.info.run_id,
                                          tags={"quality": "gold"})
    client.set_model_version_tag("reg", version.version, "reviewed", "yes")
    client.update_model_version("reg", version.version, description="the best")
    got = client.get_model_version("reg", version.version)
    assert got.tags == {"quality": "gold", "reviewed": "yes"} and got.description == "the best"
    assert Model(tracked, "reg").tags == {"quality": "gold", "reviewed": "yes"}
    assert [m.name for m in client.search_registered_models()] == ["reg"]
    with pytest.raises(MlflowException) as missing:
        client.get_model_version("reg", "7")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    client.delete_registered_model("reg")
    assert Model.list(tracked) == []


def test_sdk_registered_model_is_seen_by_mlflow(tracked, tmp_path) -> None:
    (tmp_path / "m.pkl").write_bytes(b"x")
    Model.register(tracked, str(tmp_path / "m.pkl"), "sdk-model", tags={"k": "v"})
    client = mlflow.MlflowClient()
    assert client.get_registered_model("sdk-model").latest_versions[0].tags == {"k": "v"}
    assert client.get_model_version("sdk-model", "1").version == "1"


def test_sklearn_autolog_logs_params_metrics_and_model(tracked) -> None:
    mlflow.set_experiment("autolog")
    x = np.array([[0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.1, 0.8]])
    mlflow.sklearn.autolog(log_input_examples=False, log_model_signatures=False, log_datasets=False)
    with mlflow.start_run() as active:
        LogisticRegression(C=0.5).fit(x, [0, 1, 1, 0])
    run = Run(Experiment(tracked, "autolog"), active.info.run_id)
    metrics = run.get_metrics()
    assert 0 <= metrics["training_accuracy_score"] <= 1  # a scalar: logged once
    assert mlflow.get_run(active.info.run_id).data.params["C"] == "0.5"
    assert "model/MLmodel" in run.get_file_names()
