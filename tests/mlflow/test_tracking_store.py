"""MLflow runs ARE Azure ML runs: what MLflow logs, the SDK reads (and back)."""
from __future__ import annotations

import mlflow
import pytest
from mlflow.exceptions import MlflowException

from azureml.core import Experiment, Run


def _sdk_run(ws, mlflow_run) -> Run:
    experiment = Experiment(ws, mlflow.get_experiment(mlflow_run.info.experiment_id).name)
    return Run(experiment, mlflow_run.info.run_id)


def test_tracking_uri_is_accepted_and_names_the_workspace_folder(tracked) -> None:
    uri = tracked.get_mlflow_tracking_uri()
    assert uri.startswith("azureml-local://") and uri.endswith(str(tracked._local_folder.resolve()))
    assert mlflow.get_tracking_uri() == uri


def test_set_experiment_creates_the_azureml_experiment(tracked) -> None:
    experiment = mlflow.set_experiment("mlflow-exp")
    assert experiment.name == "mlflow-exp"
    assert "mlflow-exp" in tracked.experiments
    assert mlflow.get_experiment_by_name("mlflow-exp").experiment_id == experiment.experiment_id
    assert mlflow.get_experiment_by_name("no-such") is None


def test_run_metrics_params_tags_land_in_the_run_history(tracked) -> None:
    mlflow.set_experiment("logging")
    with mlflow.start_run(run_name="first") as active:
        mlflow.log_metric("loss", 0.5, step=0)
        mlflow.log_metric("loss", 0.25, step=1)
        mlflow.log_metric("accuracy", 0.9)
        mlflow.log_metrics({"f1": 0.8, "auc": 0.7})
        mlflow.log_param("alpha", 0.1)
        mlflow.log_params({"solver": "lbfgs", "epochs": 3})
        mlflow.set_tag("team", "blue")
        mlflow.set_tags({"stage": "dev"})
    runs = list(Experiment(tracked, "logging").get_runs())
    assert [r.id for r in runs] == [active.info.run_id]
    run = runs[0]
    assert run.get_status() == "Completed"
    assert run.display_name == "first"
    metrics = run.get_metrics()
    assert metrics["loss"] == [0.5, 0.25]  # logged with steps: a list metric
    assert metrics["accuracy"] == 0.9 and metrics["f1"] == 0.8 and metrics["auc"] == 0.7
    tags = run.get_tags()
    assert tags["team"] == "blue" and tags["stage"] == "dev"
    got = mlflow.get_run(active.info.run_id)
    assert got.data.params == {"alpha": "0.1", "solver": "lbfgs", "epochs": "3"}
    assert got.data.metrics["loss"] == 0.25  # MLflow's latest value (highest step)
    assert got.info.status == "FINISHED" and got.info.run_name == "first"
    history = mlflow.MlflowClient().get_metric_history(active.info.run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(0, 0.5), (1, 0.25)]


def test_changing_a_param_is_refused_and_nothing_is_written(tracked) -> None:
    with mlflow.start_run():
        mlflow.log_param("alpha", 1)
        with pytest.raises(MlflowException, match="Changing param values is not allowed"):
            mlflow.log_params({"beta": 2, "alpha": 3})
        run_id = mlflow.active_run().info.run_id
    assert mlflow.get_run(run_id).data.params == {"alpha": "1"}


def test_sdk_logged_metrics_and_tags_are_seen_by_mlflow(tracked) -> None:
    experiment = Experiment(tracked, "from-sdk")
    sdk_run = experiment.start_logging()
    sdk_run.log("rmse", 1.5)
    sdk_run.log("note", "text values have no MLflow form")
    sdk_run.tag("origin", "sdk")
    sdk_run.complete()
    got = mlflow.get_run(sdk_run.id)
    assert got.data.metrics == {"rmse": 1.5}
    assert got.data.tags["origin"] == "sdk"
    assert got.info.status == "FINISHED"


def test_nested_runs_are_child_runs(tracked) -> None:
    mlflow.set_experiment("nested")
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child", nested=True) as child:
            mlflow.log_metric("inner", 1)
    sdk_parent = _sdk_run(tracked, parent)
    children = list(sdk_parent.get_children())
    assert [c.id for c in children] == [child.info.run_id]
    assert children[0].get_metrics() == {"inner": 1.0}
    assert children[0].parent.id == parent.info.run_id
    assert mlflow.get_run(child.info.run_id).data.tags["mlflow.parentRunId"] == parent.info.run_id


def test_failed_run_status(tracked) -> None:
    with pytest.raises(RuntimeError):
        with mlflow.start_run() as active:
            raise RuntimeError("boom")
    assert _sdk_run(tracked, active).get_status() == "Failed"


def test_search_runs_filters_and_orders(tracked) -> None:
    experiment = mlflow.set_experiment("search")
    for value in (0.1, 0.7, 0.4):
        with mlflow.start_run():
            mlflow.log_metric("acc", value)
            mlflow.log_param("v", value)
    found = mlflow.search_runs(experiment_ids=[experiment.experiment_id], filter_string="metrics.acc > 0.3",
                               order_by=["metrics.acc DESC"], output_format="list")
    assert [r.data.metrics["acc"] for r in found] == [0.7, 0.4]
    frame = mlflow.search_runs(experiment_names=["search"])
    assert len(frame) == 3 and "params.v" in frame.columns


def test_default_experiment_is_default(tracked) -> None:
    with mlflow.start_run() as active:
        mlflow.log_metric("m", 1)
    assert mlflow.get_experiment(active.info.experiment_id).name == "Default"
    assert "Default" in tracked.experiments


def test_unknown_run_is_mlflow_not_found(tracked) -> None:
    with pytest.raises(MlflowException) as info:
        mlflow.get_run("no-such-run")
    assert info.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_logging_to_an_unknown_run_is_not_found_and_writes_nothing(tracked) -> None:
    client = mlflow.MlflowClient()
    with pytest.raises(MlflowException) as info:
        client.log_metric("no-such-run", "m", 1.0)
    assert info.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException):
        client.log_param("no-such-run", "p", "1")


def test_a_uri_without_a_workspace_says_what_to_do(tracked, tmp_path) -> None:
    mlflow.set_tracking_uri(f"azureml-local://{tmp_path}/nothing-here")
    with pytest.raises(MlflowException, match="ws.get_mlflow_tracking_uri"):
        mlflow.search_experiments()
