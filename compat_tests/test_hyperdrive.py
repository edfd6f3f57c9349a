"""HyperDrive as a notebook uses it: sweeps of real child script runs, early termination, a HyperDriveStep."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

from azureml.core import Experiment, ScriptRunConfig
from azureml.train.hyperdrive import (BanditPolicy, GridParameterSampling, HyperDriveConfig, HyperDriveRun,
                                      PrimaryMetricGoal, RandomParameterSampling, choice, uniform)

TRAIN = textwrap.dedent("""
    import argparse, time
    from azureml.core import Run

    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float)
    parser.add_argument("--depth", type=int)
    parser.add_argument("--steps", type=int, default=1)
    parser.add_argument("--sleep", type=float, default=0.0)
    args = parser.parse_args()
    run = Run.get_context()
    for step in range(args.steps):
        # the score grows with lr and depth: the best run is the largest lr with the largest depth
        run.log("accuracy", args.lr * args.depth * (step + 1) / args.steps)
        time.sleep(args.sleep)
    print("trained", args.lr, args.depth)
""")


def _source(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "train.py").write_text(TRAIN)
    return folder


def test_grid_sweep_runs_every_point_with_two_concurrent_and_finds_the_best(ws, tmp_path, capsys):
    src = ScriptRunConfig(source_directory=str(_source(tmp_path)), script="train.py", arguments=["--steps", 2])
    sampling = GridParameterSampling({"--lr": choice(0.1, 0.2, 0.3), "depth": choice(1, 2)})
    config = HyperDriveConfig(run_config=src, hyperparameter_sampling=sampling, primary_metric_name="accuracy",
                              primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=10,
                              max_concurrent_runs=2)
    run = Experiment(ws, "hd-grid").submit(config)
    assert isinstance(run, HyperDriveRun) and run.id.startswith("HD_")
    run.wait_for_completion(show_output=True)
    assert run.get_status() == "Completed"
    printed = capsys.readouterr().out
    assert f"RunId: {run.id}" in printed and "Streaming user_logs/std_log.txt" in printed
    assert printed.count("[CONTROLLER][INFO]Created child run") == 6 and "The HyperDrive run ends Completed" in printed

    children = list(run.get_children())
    assert len(children) == 6  # the grid has 6 points (fewer than max_total_runs)
    assert {c.id for c in children} == {f"{run.id}_{i}" for i in range(6)}
    assert all(c.type == "azureml.scriptrun" and c.get_status() == "Completed" for c in children)
    hyperparameters = {k: json.loads(v) for k, v in run.get_hyperparameters().items()}
    assert sorted((h["--lr"], h["depth"]) for h in hyperparameters.values()) == [
        (lr, d) for lr in (0.1, 0.2, 0.3) for d in (1, 2)]
    # each child is a script run with its sampled arguments appended as --name value
    first = run.get_details()  # the sweep itself
    assert first["runId"] == run.id
    args = Run_arguments(children[0])
    assert args[:2] == ["--steps", "2"] and "--lr" in args and "--depth" in args

    best = run.get_best_run_by_primary_metric()
    assert json.loads(run.get_hyperparameters()[best.id]) == {"--lr": 0.3, "depth": 2}
    assert best.get_metrics()["accuracy"][-1] == 0.6
    ranked = run.get_children_sorted_by_primary_metric(top=2)
    assert [c["run_id"] for c in ranked][0] == best.id and ranked[0]["best_primary_metric"] == 0.6
    assert set(run.get_metrics()) == {c.id for c in children}
    # the concurrency cap held: never more than 2 children running at once
    spans = sorted((c.get_details()["startTimeUtc"], c.get_details()["endTimeUtc"]) for c in children)
    for start, _ in spans:
        assert sum(1 for s, e in spans if s <= start < e) <= 2
    # fetched again (a new process would do this), the run is a HyperDriveRun with its configuration
    again = Experiment(ws, "hd-grid").get_runs().__next__()
    assert isinstance(again, HyperDriveRun)
    assert again.hyperdrive_config._primary_metric_config == {"name": "accuracy", "goal": "maximize"}


def Run_arguments(run) -> list:
    return [str(a) for a in run.get_details()["runDefinition"]["arguments"]]


def test_random_sweep_with_bandit_policy_cancels_the_runs_left_behind(ws, tmp_path):
    src = ScriptRunConfig(source_directory=str(_source(tmp_path)), script="train.py",
                          arguments=["--steps", 8, "--sleep", 0.5])
    sampling = RandomParameterSampling({"--lr": choice(0.01, 1.0), "--depth": choice(1, 10)},
                                       properties={"rngSeed": 7})
    policy = BanditPolicy(evaluation_interval=1, slack_factor=0.1, delay_evaluation=2)
    config = HyperDriveConfig(run_config=src, hyperparameter_sampling=sampling, policy=policy,
                              primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=6, max_concurrent_runs=3)
    run = Experiment(ws, "hd-bandit").submit(config)
    run.wait_for_completion()
    assert run.get_status() == "Completed"
    children = {c.id: c for c in run.get_children()}
    assert len(children) == 6
    params = {k: json.loads(v) for k, v in run.get_hyperparameters().items()}
    statuses = {cid: c.get_status() for cid, c in children.items()}
    canceled = [cid for cid, s in statuses.items() if s == "Canceled"]
    assert canceled, statuses  # some runs were far behind the best and were stopped early
    for cid in canceled:  # stopped before their 8 steps, and never the best point
        assert len(children[cid].get_metrics()["accuracy"]) < 8
        assert params[cid]["--lr"] * params[cid]["--depth"] < 10
    best = run.get_best_run_by_primary_metric()
    assert best.get_status() == "Completed"


def test_cancel_a_sweep_cancels_its_children(ws, tmp_path):
    src = ScriptRunConfig(source_directory=str(_source(tmp_path)), script="train.py",
                          arguments=["--steps", 200, "--sleep", 0.2])
    config = HyperDriveConfig(run_config=src, hyperparameter_sampling=RandomParameterSampling(
        {"--lr": uniform(0.1, 0.5), "--depth": choice(1, 2)}), primary_metric_name="accuracy",
        primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=4, max_concurrent_runs=2)
    run = Experiment(ws, "hd-cancel").submit(config)
    import time
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(c.get_status() == "Running" for c in run.get_children()):
        time.sleep(0.2)
    assert run.cancel() is True
    run.wait_for_completion()
    assert run.get_status() == "Canceled"
    children = list(run.get_children())
    assert children and all(c.get_status() == "Canceled" for c in children)


MODEL = textwrap.dedent("""
    import argparse, os
    from azureml.core import Run

    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir")
    parser.add_argument("--lr", type=float)
    args = parser.parse_args()
    Run.get_context().log("loss", abs(args.lr - 0.2))
    os.makedirs(args.model_dir, exist_ok=True)
    with open(os.path.join(args.model_dir, "model.txt"), "w") as f:
        f.write(str(args.lr))
""")
REPORT = textwrap.dedent("""
    import argparse, json, os
    parser = argparse.ArgumentParser()
    parser.add_argument("--metrics")
    parser.add_argument("--model")
    args = parser.parse_args()
    metrics = json.load(open(os.path.join(args.metrics, "metrics.json")))
    best = open(os.path.join(args.model, "model.txt")).read()
    print("REPORT", len(metrics), best)
""")


def test_hyperdrive_step_in_a_pipeline_passes_the_best_model_on(ws, tmp_path):
    from azureml.pipeline.core import Pipeline, PipelineData, TrainingOutput
    from azureml.pipeline.steps import HyperDriveStep, HyperDriveStepRun, PythonScriptStep

    folder = tmp_path / "steps"
    folder.mkdir()
    (folder / "model.py").write_text(MODEL)
    (folder / "report.py").write_text(REPORT)
    store = ws.get_default_datastore()
    metrics = PipelineData("metrics_data", datastore=store, training_output=TrainingOutput("Metrics"))
    model = PipelineData("saved_model", datastore=store)
    src = ScriptRunConfig(source_directory=str(folder), script="model.py", arguments=["--model-dir", model])
    config = HyperDriveConfig(run_config=src, hyperparameter_sampling=GridParameterSampling(
        {"--lr": choice(0.1, 0.2, 0.4)}), primary_metric_name="loss",
        primary_metric_goal=PrimaryMetricGoal.MINIMIZE, max_total_runs=3, max_concurrent_runs=2)
    hd_step = HyperDriveStep(name="hd_step01", hyperdrive_config=config, outputs=[model], metrics_output=metrics)
    report = PythonScriptStep(script_name="report.py", source_directory=str(folder), name="report",
                              arguments=["--metrics", metrics, "--model", model], inputs=[metrics, model])
    pipeline_run = Experiment(ws, "hd-pipeline").submit(Pipeline(ws, steps=[hd_step, report]))
    pipeline_run.wait_for_completion(show_output=False)
    assert pipeline_run.get_status() == "Finished"

    step_run = pipeline_run.find_step_run("hd_step01")[0]
    hd_run = HyperDriveStepRun(step_run=step_run)
    assert hd_run.get_status() == "Completed" and len(list(hd_run.get_children())) == 3
    best = hd_run.get_best_run_by_primary_metric()
    assert json.loads(hd_run.get_hyperparameters()[best.id]) == {"--lr": 0.2}
    logs = pipeline_run.find_step_run("report")[0].get_details_with_logs()["logFiles"]
    assert "REPORT 3 0.2" in logs["azureml-logs/70_driver_log.txt"]  # every child's metrics, the best model

    # submitted again unchanged, the sweep step is reused (the cloud never reuses it) and still leads to its sweep
    again = Experiment(ws, "hd-pipeline").submit(Pipeline(ws, steps=[hd_step, report]))
    again.wait_for_completion(show_output=False)
    assert again.get_status() == "Finished"
    reused = again.find_step_run("hd_step01")[0]
    assert HyperDriveStepRun(step_run=reused).id == hd_run.id
    sweeps = ws._context.runs.list_runs(run_type="hyperdrive")
    assert [r["run_id"] for r in sweeps] == [hd_run.id]  # no second sweep ran
