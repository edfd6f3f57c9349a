"""Run.get_context(): the offline run's exact prints, and the live run found from env vars."""
from __future__ import annotations

import os

import pytest

from azureml.core import Experiment, Run
from azureml.core.run import _OfflineRun, _SubmittedRun
from azureml.exceptions import RunEnvironmentException

from azureml_local.store.runs import new_run_id


def test_offline_run_prints_like_the_sdk(capsys: pytest.CaptureFixture) -> None:
    run = Run.get_context()
    assert isinstance(run, _OfflineRun) and run.id.startswith("OfflineRun_")
    run.log("acc", 0.5)
    run.log_row("r", a=1)
    run.tag("k", "v")
    run.set_tags({"a": 1})
    run.add_properties({"p": 1})
    run.upload_file("n", "p")
    run.fail(error_details="bad", error_code="E1")
    with run.child_run(name="kid") as child:
        pass
    run.flush()
    out = capsys.readouterr().out
    assert out == (
        "Attempted to log scalar metric acc:\n0.5\n"
        "Attempted to log row metric r:\n{'a': 1}\n"
        "Attempted to add tag k with value v\n"
        "Attempted to set tags {'a': 1}\n"
        "Attempted to add properties {'p': 1}\n"
        "Attempted to track file n at p\n"
        "Run failed with error code E1:\nbad\n"
        f"[START] Run {run.id}.kid context\n[STOP] Run {run.id}.kid context\n"
        f"Attempted to flush run with id {run.id}\n")
    assert child.id == f"{run.id}.kid"
    with pytest.raises(TypeError):
        run.log("x", 1, step=1)  # the offline signature has no step
    with pytest.raises(RunEnvironmentException):
        Run.get_context(allow_offline=False)


def test_offline_experiment_extension(ws) -> None:
    run = Run.get_context()
    assert run.experiment.workspace == ws


def test_offline_experiment_without_config_is_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no workspace config.json"):
        Run.get_context().experiment


def test_live_context_from_env_vars(ws, monkeypatch: pytest.MonkeyPatch) -> None:
    from azureml_local.engine.env import run_environment
    from azureml_local.store.runs import new_run_id

    run_id = ws._context.runs.create_run("ctx", new_run_id(), run_type="azureml.scriptrun", status="Running", start=True)
    for key, value in run_environment(ws, run_id, "ctx").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AZUREML_DATASET_FILE_OUTPUTS", "out1")
    monkeypatch.setenv("out1", "/tmp/out1")
    monkeypatch.setenv("AZUREML_DATASET_ENVIRONMENT_VARS", "in1:mount")
    monkeypatch.setenv("in1", "/mnt/in1")
    live = Run.get_context()
    assert isinstance(live, _SubmittedRun) and live is Run.get_context()
    assert live.id == run_id and live.experiment.name == "ctx"
    assert live.output_datasets == {"out1": "/tmp/out1"}
    assert live.input_datasets == {"in1": "/mnt/in1"}
    live.complete()
    live.fail()
    live.cancel()
    assert live.get_status() == "Running"  # status belongs to the engine
    live.log("m", 2)
    assert Run.get(ws, run_id).get_metrics() == {"m": 2}
    assert Run.get_context(used_for_context_manager=True) is not live
    os.environ.pop("AZUREML_RUN_ID")
    assert isinstance(Run.get_context(), _OfflineRun)


def test_live_context_keeps_one_instance_per_process(ws, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run.get_context() returns the same object for the current run; another run replaces it (no growing map)."""
    from azureml_local.engine.env import run_environment

    first_id = ws._context.runs.create_run("ctx", new_run_id(), run_type="azureml.scriptrun", status="Running",
                                           start=True)
    second_id = ws._context.runs.create_run("ctx", new_run_id(), run_type="azureml.scriptrun", status="Running",
                                            start=True)
    for key, value in run_environment(ws, first_id, "ctx").items():
        monkeypatch.setenv(key, value)
    first = Run.get_context()
    assert first is Run.get_context()
    monkeypatch.setenv("AZUREML_RUN_ID", second_id)
    second = Run.get_context()
    assert second.id == second_id and second is Run.get_context() and second is not first
    assert _SubmittedRun._instance[1] is second
