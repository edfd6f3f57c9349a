"""The sweep controller's endings: every child failed, max_duration_minutes reached, a Bayesian sweep."""
from __future__ import annotations

import json

import pytest

from azureml.core import Experiment, ScriptRunConfig
from azureml.train.hyperdrive import (BayesianParameterSampling, GridParameterSampling, HyperDriveConfig,
                                      PrimaryMetricGoal, RandomParameterSampling, choice, uniform)


def _config(folder, script: str, sampling, total: int, **kwargs) -> HyperDriveConfig:
    (folder / "train.py").write_text(script)
    return HyperDriveConfig(run_config=ScriptRunConfig(str(folder), script="train.py"), hyperparameter_sampling=sampling,
                            primary_metric_name="score", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                            max_total_runs=total, **kwargs)


def test_a_sweep_whose_children_all_fail_fails_naming_the_first_failure(ws, tmp_path):
    config = _config(tmp_path, "raise SystemExit('bad data: no rows')\n", GridParameterSampling({"a": choice(1, 2)}), 2)
    run = Experiment(ws, "hd-fail").submit(config)
    run.wait_for_completion(raise_on_error=False)
    assert run.get_status() == "Failed"
    assert all(c.get_status() == "Failed" for c in run.get_children())
    message = run.get_details()["error"]["error"]["message"]
    assert "All 2 child runs of the HyperDrive run failed" in message and "bad data: no rows" in message
    assert run.get_best_run_by_primary_metric() is None


def test_max_duration_cancels_the_running_children_and_ends_the_sweep(ws, tmp_path):
    script = ("import time\nfrom azureml.core import Run\nrun = Run.get_context()\n"
              "for i in range(600):\n    run.log('score', i)\n    time.sleep(0.1)\n")
    config = _config(tmp_path, script, RandomParameterSampling({"a": uniform(0, 1)}), 4, max_concurrent_runs=2,
                     max_duration_minutes=0.1)
    run = Experiment(ws, "hd-duration").submit(config)
    run.wait_for_completion()
    assert run.get_status() == "Completed"
    children = list(run.get_children())
    assert len(children) == 2 and all(c.get_status() == "Canceled" for c in children)
    assert any("max_duration_minutes" in w["message"] for w in run.get_details().get("warnings", [])), \
        run.get_details().get("warnings")
    best = run.get_metrics()  # the metrics logged before the cancel are kept
    assert all(len(m["score"]) > 1 for m in best.values())


def test_a_bayesian_sweep_runs_optunas_points(ws, tmp_path):
    script = ("import argparse\nfrom azureml.core import Run\np = argparse.ArgumentParser()\n"
              "p.add_argument('--x', type=float)\np.add_argument('--kind')\na = p.parse_args()\n"
              "Run.get_context().log('score', -abs(a.x - 3) + (1 if a.kind == 'good' else 0))\n")
    sampling = BayesianParameterSampling({"x": uniform(0, 10), "kind": choice("good", "bad")},
                                         properties={"rngSeed": 5})
    with pytest.warns(UserWarning, match="Recommendend value:40"):  # the SDK's advice for so few runs
        config = _config(tmp_path, script, sampling, 4, max_concurrent_runs=1)
    run = Experiment(ws, "hd-bayes").submit(config)
    run.wait_for_completion()
    assert run.get_status() == "Completed" and len(list(run.get_children())) == 4
    for value in run.get_hyperparameters().values():
        point = json.loads(value)
        assert 0 <= point["x"] <= 10 and point["kind"] in ("good", "bad")
    assert run.get_best_run_by_primary_metric() is not None

    # a second sweep resumed from the first starts from what the first learned (Optuna's study gets its trials)
    with pytest.warns(UserWarning, match="Recommendend value:40"):
        resumed = _config(tmp_path, script, sampling, 2, max_concurrent_runs=1, resume_from=[run])
    second = Experiment(ws, "hd-bayes").submit(resumed)
    second.wait_for_completion()
    assert second.get_status() == "Completed" and len(list(second.get_children())) == 2
    log = second.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    assert f"Warm start from {run.id}: 4 completed child runs learned from." in log
