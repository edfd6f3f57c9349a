"""MlflowStore: params are immutable, logged models and registered-model headers round-trip."""
from __future__ import annotations

import pytest

from azureml.exceptions import UserErrorException
from azureml_local.store.db import Database
from azureml_local.store.mlflow import MlflowStore
from azureml_local.store.runs import RunStore


@pytest.fixture
def stores(make_db):
    db = make_db()
    yield RunStore(db), MlflowStore(db)
    db.close()


def test_params_are_immutable_and_a_refused_batch_writes_nothing(stores) -> None:
    runs, mlflow = stores
    run_id = runs.create_run("exp", "r1")
    mlflow.log_params(run_id, [("a", "1"), ("b", "x")])
    mlflow.log_params(run_id, [("a", "1")])  # the same value again is fine
    with pytest.raises(UserErrorException, match="Changing param values is not allowed"):
        mlflow.log_params(run_id, [("c", "new"), ("a", "2")])
    assert mlflow.params(run_id) == {"a": "1", "b": "x"}


def test_params_go_with_their_run(stores) -> None:
    runs, mlflow = stores
    experiment = runs.get_or_create_experiment("gone")
    run_id = runs.create_run("gone", "r2", status="Completed")
    mlflow.log_params(run_id, [("a", "1")])
    runs.delete_experiment(experiment["id"])
    assert mlflow.params(run_id) == {}


def test_logged_models(stores) -> None:
    runs, mlflow = stores
    run_id = runs.create_run("exp", "r1")
    experiment_id = runs.run(run_id)["experiment_id"]
    row = mlflow.create_logged_model("m-1", experiment_id, run_id, "model", "uri/model", None, {"t": "1"}, {"p": "2"})
    assert row["status"] == "PENDING" and row["tags"] == {"t": "1"} and row["params"] == {"p": "2"}
    mlflow.update_logged_model("m-1", status="READY", set_tags={"u": "3"}, remove_tags=["t"])
    assert mlflow.logged_model("m-1")["status"] == "READY" and mlflow.logged_model("m-1")["tags"] == {"u": "3"}
    assert [m["model_id"] for m in mlflow.logged_models([experiment_id])] == ["m-1"]
    assert [m["model_id"] for m in mlflow.logged_models(run_id=run_id)] == ["m-1"]
    assert mlflow.logged_models(["other"]) == [] and mlflow.logged_models([]) == []
    mlflow.update_logged_model("m-1", deleted=True)
    assert mlflow.logged_model("m-1") is None and mlflow.logged_model("m-1", allow_deleted=True)["deleted"] == 1


def test_registered_model_headers(stores) -> None:
    _, mlflow = stores
    assert mlflow.create_registered_model("churn", "first", {"a": "1"})["description"] == "first"
    assert mlflow.create_registered_model("churn", None, {}) is None  # already there
    mlflow.update_registered_model("churn", description="second", set_tags={"b": "2"}, remove_tags=["a"])
    header = mlflow.registered_model("churn")
    assert header["description"] == "second" and header["tags"] == {"b": "2"}
    assert mlflow.ensure_registered_model("other")["name"] == "other"
    assert [h["name"] for h in mlflow.registered_models()] == ["churn", "other"]
    mlflow.delete_registered_model("churn")
    assert mlflow.registered_model("churn") is None
