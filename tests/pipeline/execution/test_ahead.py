"""pipeline/execution/ahead: the next steps' folders are made while the steps they wait for run."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from azureml_local.exceptions import ActivityFailedException
from azureml_local.pipeline.execution import ahead
from azureml_local.pipeline.execution.context import PipelineContext
from azureml_local.pipeline.submission import start_pipeline_run

from pipeline_defs import definition, step

CHAIN = {"a": {"node_id": "a", "kind": "PythonScriptStep"},
         "b": {"node_id": "b", "kind": "PythonScriptStep"},
         "c": {"node_id": "c", "kind": "PythonScriptStep"}}
DEPS = {"a": set(), "b": {"a"}, "c": {"b"}}


def _ctx(folder: Path, regenerate_outputs: bool = True) -> PipelineContext:
    ws = SimpleNamespace(_local_folder=folder)  # making folders needs only the workspace's folder
    return PipelineContext(ws=ws, pipeline_run_id="p", experiment_name="e", definition={}, parameters={},
                           regenerate_outputs=regenerate_outputs, run_root=folder / "runs" / "p")


def _run_folders(folder: Path) -> set[str]:
    runs = folder / "runs"
    return {p.name for p in runs.iterdir()} if runs.exists() else set()


def test_a_step_whose_dependencies_started_gets_its_folders_and_takes_their_id(tmp_path):
    ctx = _ctx(tmp_path)
    ahead.prepare_next(ctx, CHAIN, DEPS, pending=["b", "c"], started=["a"])
    ctx.uploads.shutdown(wait=True)
    assert set(ctx.prepared) == {"b"}  # c waits for b, which has not started
    run_id = ahead.take_run_id(ctx, "b")
    run = tmp_path / "runs" / run_id
    std_log, driver_log = run / "logs/user_logs/std_log.txt", run / "logs/azureml-logs/70_driver_log.txt"
    assert std_log.read_bytes() == b"" and os.path.samefile(std_log, driver_log)
    assert (run / "wd" / "outputs").is_dir()
    ahead.discard_unused(ctx)
    assert run.is_dir()  # taken: it is the step's run folder now


def test_a_step_that_may_be_reused_gets_its_logs_but_no_working_directory(tmp_path):
    ctx = _ctx(tmp_path, regenerate_outputs=False)
    ahead.prepare_next(ctx, CHAIN, DEPS, pending=["b"], started=["a"])
    ctx.uploads.shutdown(wait=True)
    run = tmp_path / "runs" / ahead.take_run_id(ctx, "b")
    assert (run / "logs/user_logs/std_log.txt").is_file()
    assert not (run / "wd").exists()  # a reused step has none; reuse is only known once its inputs are


def test_a_step_that_starts_before_its_folders_are_made_takes_a_new_id_and_nothing_is_made(tmp_path):
    ctx = _ctx(tmp_path)
    ctx.launches.hold("a")  # a is still being launched: the background work waits for the gate
    ahead.prepare_next(ctx, CHAIN, DEPS, pending=["b"], started=["a"])
    run_id = ahead.take_run_id(ctx, "b")
    ctx.launches.release("a")
    ctx.uploads.shutdown(wait=True)
    assert run_id and _run_folders(tmp_path) == set()  # the step makes its own; no second folder exists


def test_folders_of_steps_that_never_started_are_removed(tmp_path):
    ctx = _ctx(tmp_path)
    ahead.prepare_next(ctx, CHAIN, DEPS, pending=["b"], started=["a"])
    ctx.uploads.shutdown(wait=True)
    assert len(_run_folders(tmp_path)) == 1
    ahead.discard_unused(ctx)
    assert _run_folders(tmp_path) == set() and ctx.prepared == {}


def test_a_failed_chain_leaves_no_run_folder_without_a_run(runner_ws, src):
    (src / "fail.py").write_text("raise SystemExit(3)\n")
    (src / "ok.py").write_text("print('never')\n")
    d = definition(step("n1", "first", "fail.py", src), step("n2", "second", "ok.py", src, run_after=["n1"]),
                   step("n3", "third", "ok.py", src, run_after=["n2"]))
    run = start_pipeline_run(runner_ws, "exp", d, None, True, False)
    with pytest.raises(ActivityFailedException):
        run.wait_for_completion(show_output=False)
    children = {child.id for child in run.get_children()}
    assert len(children) == 1  # only the failed step ran
    # the second step's folders were made while the first ran; the third's never were
    assert _run_folders(runner_ws._local_folder) - {run.id} == children


def test_steps_of_a_chain_run_in_the_folders_made_for_them(runner_ws, src):
    (src / "w.py").write_text("import os\nopen(os.path.join('outputs', 'cwd.txt'), 'w').write(os.getcwd())\n")
    d = definition(*(step(f"n{i}", f"s{i}", "w.py", src, run_after=[f"n{i - 1}"] if i else [])
                     for i in range(3)))
    run = start_pipeline_run(runner_ws, "exp", d, None, True, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    children = list(run.get_children())
    assert len(children) == 3
    for child in children:
        assert child.get_file_names().count("outputs/cwd.txt") == 1
        assert "Re-running step" in child.get_job_log()  # the engine's log and ours in one file
    assert _run_folders(runner_ws._local_folder) - {run.id} == {c.id for c in children}


def test_a_wide_fan_out_gets_at_most_a_few_steps_ahead_at_a_time(tmp_path):
    steps = {f"s{i}": {"node_id": f"s{i}", "kind": "PythonScriptStep"} for i in range(20)}
    deps = {node: {"a"} for node in steps}
    ctx = _ctx(tmp_path)
    ahead.prepare_next(ctx, steps, deps, pending=list(steps), started=["a"])
    assert len(ctx.prepared) == ahead.MAX_WAITING
    ahead.take_run_id(ctx, "s0")
    ahead.prepare_next(ctx, steps, deps, pending=[n for n in steps if n != "s0"], started=["a", "s0"])
    assert len(ctx.prepared) == ahead.MAX_WAITING + 1  # one more once one was taken
    ctx.uploads.shutdown(wait=True)
    ahead.discard_unused(ctx)
