"""Submitting sweeps: estimators (script_params the sweep sets are dropped), bad input writes nothing."""
from __future__ import annotations

import json

import pytest

from azureml.core import Experiment, ScriptRunConfig
from azureml.train.dnn import PyTorch
from azureml.train.estimator import Estimator
from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, PrimaryMetricGoal, choice
from azureml.train.sklearn import SKLearn
from azureml_local.exceptions import ExperimentExecutionException
from azureml_local.hyperdrive.submit import _without_swept


def test_script_params_the_sweep_sets_are_dropped_with_the_sdks_warning():
    with pytest.warns(UserWarning, match=r"\['--lr'\] is the list of overridden parameter\(s\)"):
        assert _without_swept(["--lr", "0.1", "--data", "x", "--flag"], {"lr": choice(1)}) == [
            "--data", "x", "--flag"]
    assert _without_swept(None, {"lr": choice(1)}) == []


def test_framework_estimators_are_estimators_with_the_sdks_deprecation_warning(tmp_path, caplog):
    (tmp_path / "train.py").write_text("print(1)")
    torch = PyTorch(str(tmp_path), entry_script="train.py", script_params={"--epochs": 2}, framework_version="1.13",
                    use_gpu=True, compute_target="local")
    assert isinstance(torch, Estimator) and torch.run_config.script == "train.py"
    assert torch.run_config.arguments == ["--epochs", "2"]
    SKLearn(str(tmp_path), entry_script="train.py")
    assert "'PyTorch' estimator is deprecated. Please use 'ScriptRunConfig'" in caplog.text
    assert "'SKLearn' estimator is deprecated." in caplog.text


def test_an_estimator_sweep_runs_its_children_with_the_sampled_values(ws, tmp_path):
    (tmp_path / "train.py").write_text(
        "import sys\nfrom azureml.core import Run\nargs = sys.argv[1:]\n"
        "Run.get_context().log('lr', float(args[args.index('--lr') + 1]))\n"
        "assert args.count('--lr') == 1, args\n")
    estimator = Estimator(str(tmp_path), entry_script="train.py", script_params={"--lr": 9, "--other": 1},
                          compute_target="local")
    with pytest.warns(UserWarning, match="overridden parameter"):
        run = Experiment(ws, "hd-estimator").submit(HyperDriveConfig(
            estimator=estimator, hyperparameter_sampling=GridParameterSampling({"lr": choice(0.5, 0.25)}),
            primary_metric_name="lr", primary_metric_goal=PrimaryMetricGoal.MINIMIZE, max_total_runs=2))
    run.wait_for_completion()
    assert run.get_status() == "Completed"
    best = run.get_best_run_by_primary_metric()
    assert json.loads(run.get_hyperparameters()[best.id]) == {"lr": 0.25}
    assert best.get_details()["runDefinition"]["arguments"] == ["--other", "1", "--lr", "0.25"]


def test_a_sweep_whose_script_is_missing_writes_nothing(ws, tmp_path):
    config = HyperDriveConfig(run_config=ScriptRunConfig(str(tmp_path), script="missing.py"),
                              hyperparameter_sampling=GridParameterSampling({"a": choice(1)}),
                              primary_metric_name="m", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=1)
    with pytest.raises(ExperimentExecutionException, match="script path doesn't exist"):
        Experiment(ws, "hd-bad").submit(config)
    assert ws._context.runs.list_runs() == []


def test_a_bayesian_sweep_without_optuna_is_refused_before_anything_is_written(ws, tmp_path, monkeypatch):
    import importlib.util

    from azureml.train.hyperdrive import BayesianParameterSampling
    from azureml.train.hyperdrive.exceptions import HyperDriveConfigException

    (tmp_path / "train.py").write_text("print(1)")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "optuna" else real(name, *a))
    config = HyperDriveConfig(run_config=ScriptRunConfig(str(tmp_path), script="train.py"),
                              hyperparameter_sampling=BayesianParameterSampling({"a": choice(1, 2)}),
                              primary_metric_name="m", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=40, max_concurrent_runs=2)
    with pytest.raises(HyperDriveConfigException) as caught:
        Experiment(ws, "hd-no-optuna").submit(config)
    assert "pip install 'azureml-local[hyperdrive]'" in caught.value.message
    assert ws._context.runs.list_runs() == []
