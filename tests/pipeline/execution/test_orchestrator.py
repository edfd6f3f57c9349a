"""The orchestrator with real step processes: order, parallelism, failure, cancel, data between steps."""
from __future__ import annotations

import json
import time

import pytest

from azureml_local.exceptions import ActivityFailedException
from azureml_local.pipeline.submission import start_pipeline_run

from pipeline_defs import consume, definition, out, step

WRITE = "import sys, os, time\nopen(os.path.join(sys.argv[1], 'v.txt'), 'w').write(sys.argv[2])\n"
READ_APPEND = ("import sys, os\nv = open(os.path.join(sys.argv[1], 'v.txt')).read()\n"
               "open(os.path.join(sys.argv[2], 'v.txt'), 'w').write(v + sys.argv[3])\nprint('got', v)\n")


def _times(ws, run):
    rows = ws._store.query("SELECT s.name, r.start_time_utc, r.end_time_utc FROM pipeline_step_runs s "
                           "JOIN runs r ON r.run_id = s.step_run_id WHERE s.pipeline_run_id = ?", (run.id,))
    return {r["name"]: (r["start_time_utc"], r["end_time_utc"]) for r in rows}


def test_chain_passes_data_through_local_folders_and_datastore(runner_ws, src, capsys):
    (src / "w.py").write_text(WRITE)
    (src / "r.py").write_text(READ_APPEND)
    d = definition(
        step("n1", "first", "w.py", src, [{"output": "o"}, {"parameter": "p"}], outputs=[out("o")]),
        step("n2", "second", "r.py", src, [{"input": "i"}, {"output": "o2"}, {"literal": "b"}],
             inputs=[consume("i", "n1", "o")], outputs=[out("o2", "pipeline_data")]),
        parameters={"p": {"type": "scalar", "default": "a"}})
    run = start_pipeline_run(runner_ws, "exp", d, {"p": "A"}, False, False)
    assert run.wait_for_completion(show_output=True) == "Finished"
    printed = capsys.readouterr().out
    assert "StepRun( first ) Status: Finished" in printed and "got A" in printed
    assert "PipelineRun Execution Summary" in printed
    second = run.find_step_run("second")[0]
    ref = second.get_output_data("o2")
    assert ref.datastore_name == "workspaceblobstore"
    assert ref.path_on_datastore == f"azureml/{second.id}/o2"
    target = runner_ws._local_folder.parent / "dl"
    assert ref.download(str(target)) == 1
    assert (target / ref.path_on_datastore / "v.txt").read_text() == "Ab"
    assert [c.name for c in run.get_children()] == ["first", "second"]
    assert run.get_status() == "Finished"


def test_independent_steps_run_in_parallel_and_run_after_orders(runner_ws, src):
    (src / "s.py").write_text("import time; time.sleep(0.6)\n")
    d = definition(step("n1", "a", "s.py", src), step("n2", "b", "s.py", src),
                   step("n3", "c", "s.py", src, run_after=["n1", "n2"]))
    run = start_pipeline_run(runner_ws, "exp", d, None, False, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    times = _times(runner_ws, run)
    assert times["a"][0] < times["b"][1] and times["b"][0] < times["a"][1]  # overlapped
    assert times["c"][0] >= max(times["a"][1], times["b"][1])


def test_failing_step_fails_pipeline_with_traceback_and_skips_downstream(runner_ws, src):
    (src / "bad.py").write_text("def f():\n    raise RuntimeError('boom in step')\nf()\n")
    (src / "ok.py").write_text("print('ok')\n")
    d = definition(step("n1", "bad", "bad.py", src, outputs=[out("o")]),
                   step("n2", "after", "ok.py", src, inputs=[consume("i", "n1", "o")]))
    run = start_pipeline_run(runner_ws, "exp", d, None, False, False)
    with pytest.raises(ActivityFailedException) as info:
        run.wait_for_completion(show_output=False)
    assert "RuntimeError: boom in step" in str(info.value)
    assert "Traceback (most recent call last)" in str(info.value)
    assert run.get_status() == "Failed"
    assert [c.name for c in run.get_children()] == ["bad"]
    bad = run.find_step_run("bad")[0]
    assert bad.get_status() == "Failed"
    assert "boom in step" in bad.get_job_log()


def test_continue_on_step_failure_runs_independent_branch(runner_ws, src):
    (src / "bad.py").write_text("import sys; sys.exit(3)\n")
    (src / "slow.py").write_text("import time; time.sleep(0.5); print('slow done')\n")
    d = definition(step("n1", "bad", "bad.py", src), step("n2", "slow", "slow.py", src),
                   step("n3", "child", "slow.py", src, run_after=["n1"]))
    run = start_pipeline_run(runner_ws, "exp", d, None, False, True)
    assert run.wait_for_completion(show_output=False, raise_on_error=False) == "Failed"
    statuses = {c.name: c.get_status() for c in run.get_children()}
    assert statuses == {"bad": "Failed", "slow": "Finished"}


def test_failure_without_continue_cancels_running_sibling(runner_ws, src):
    (src / "bad.py").write_text("import time; time.sleep(0.3); raise SystemExit('nope')\n")
    (src / "long.py").write_text("import time; time.sleep(30)\n")
    d = definition(step("n1", "bad", "bad.py", src), step("n2", "long", "long.py", src))
    start = time.time()
    run = start_pipeline_run(runner_ws, "exp", d, None, False, False)
    assert run.wait_for_completion(show_output=False, raise_on_error=False) == "Failed"
    assert time.time() - start < 10
    assert {c.name: c.get_status() for c in run.get_children()}["long"] == "Canceled"


def _running_child(run, deadline: float):
    """The pipeline's first step run, once its process runs."""
    while time.time() < deadline and not list(run.get_children()):
        time.sleep(0.05)
    child = next(run.get_children())
    while time.time() < deadline and child.get_status() != "Running":
        time.sleep(0.05)
    return child


@pytest.mark.parametrize("canceled, pipeline_ends", [("pipeline", "Canceled"), ("step", "Failed")])
def test_cancel_stops_running_step_processes(runner_ws, src, canceled, pipeline_ends):
    """Cancel of the pipeline or of one step: CancelRequested on that run; the step process is stopped."""
    (src / "long.py").write_text("import os, time\nopen('pid', 'w').write(str(os.getpid()))\ntime.sleep(60)\n")
    run = start_pipeline_run(runner_ws, "exp", definition(step("n1", "long", "long.py", src)), None, False, False)
    deadline = time.time() + 20
    child = _running_child(run, deadline)
    (run if canceled == "pipeline" else child).cancel()
    assert run.wait_for_completion(show_output=False, raise_on_error=False) == pipeline_ends
    assert child.get_status() == "Canceled"
    assert time.time() < deadline


def test_step_timeout_fails_the_step(runner_ws, src):
    (src / "hang.py").write_text("import time; time.sleep(60)\n")
    run = start_pipeline_run(runner_ws, "exp", definition(step("n1", "hang", "hang.py", src, timeout_seconds=0.5)),
                             None, False, False)
    with pytest.raises(ActivityFailedException, match="maximum duration"):
        run.wait_for_completion(show_output=False)


def test_params_and_parameter_env_vars(runner_ws, src):
    (src / "env.py").write_text(
        "import os, json, sys\nprint(json.dumps({k: v for k, v in os.environ.items() if k.startswith('AML_PARAMETER')"
        " or k in ('AZUREML_DATASET_FILE_OUTPUTS', 'o')}), sys.argv[1:])\n")
    d = definition(step("n1", "env", "env.py", src, ["$AML_PARAMETER_rate", {"output": "o"}], outputs=[out("o")],
                        params={"k": "v"}), parameters={"rate": {"type": "scalar", "default": 0.5}})
    run = start_pipeline_run(runner_ws, "exp", d, {"rate": 0.25}, False, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    log = next(run.get_children()).get_job_log()
    line = [l for l in log.splitlines() if l.startswith("{")][0]
    env = json.loads(line[:line.rindex("}") + 1])
    assert env["AML_PARAMETER_rate"] == "0.25" and env["AML_PARAMETER_k"] == "v"
    assert env["AZUREML_DATASET_FILE_OUTPUTS"] == "o"
    assert "'0.25'" in log


def test_pipeline_run_rehydrates(runner_ws, src):
    from azureml.pipeline.core import PipelineRun

    (src / "s.py").write_text("print('x')\n")
    run = start_pipeline_run(runner_ws, "exp", definition(step("n1", "s", "s.py", src)), None, False, False)
    run.wait_for_completion(show_output=False)
    again = PipelineRun.get(runner_ws, run.id)
    assert again.get_status() == "Finished"
    assert again.get_details()["status"] == "Completed"
    assert [c.name for c in again.get_steps()] == ["s"]
    with pytest.raises(NotImplementedError, match="Complete is unsupported for Pipeline run."):
        again.complete()


def test_compute_max_nodes_bounds_parallel_steps(runner_ws, src):
    from azureml.core.compute import AmlCompute, ComputeTarget

    ComputeTarget.create(runner_ws, "one-node", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_D2_V2", max_nodes=1)).wait_for_completion()
    (src / "s.py").write_text("import time; time.sleep(0.4)\n")
    d = definition(step("n1", "a", "s.py", src, compute_target="one-node"),
                   step("n2", "b", "s.py", src, compute_target="one-node"))
    run = start_pipeline_run(runner_ws, "exp", d, None, False, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    times = sorted(_times(runner_ws, run).values())
    assert times[1][0] >= times[0][1]  # the second started after the first ended


def test_wait_for_completion_prints_the_sdk_format(runner_ws, src, capsys):
    (src / "hello.py").write_text("print('hello from the step')\n")
    run = start_pipeline_run(runner_ws, "exp", definition(step("n1", "hello", "hello.py", src)), None, False, False)
    assert run.wait_for_completion() == "Finished"
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"PipelineRunId: {run.id}"
    assert lines[1].startswith("Link to Azure Machine Learning Portal: ")
    step_id = next(run.get_children()).id
    i = lines.index(f"StepRunId: {step_id}")
    assert lines[i - 2:i] == ["", ""]  # print('\n') before each step
    j = lines.index("Streaming azureml-logs/70_driver_log.txt")
    assert lines[j + 1] == "=" * len("azureml-logs/70_driver_log.txt" + " " * 10)
    assert "hello from the step" in lines[j + 2:]
    k = lines.index("StepRun(hello) Execution Summary")
    assert lines[k + 1] == "=" * len("\nStepRun(hello) Execution Summary")
    assert lines[k + 2] == "StepRun( hello ) Status: Finished"
    m = lines.index("PipelineRun Execution Summary")
    assert lines[m + 1] == "=" * 30 and lines[m + 2] == "PipelineRun Status: Finished"
    assert lines[m + 3].startswith("{'runId': ")


def test_run_history_rehydrates_pipeline_and_step_runs(runner_ws, src):
    from azureml.core import Experiment, Run
    from azureml.pipeline.core import PipelineRun, StepRun

    (src / "s.py").write_text("from azureml.core import Run\nRun.get_context().log('m', 3)\n")
    d = definition(step("n1", "s", "s.py", src))
    first = start_pipeline_run(runner_ws, "exp", d, None, False, False)
    first.wait_for_completion(show_output=False)
    second = start_pipeline_run(runner_ws, "exp", d, None, False, False)
    second.wait_for_completion(show_output=False)
    assert isinstance(Run.get(runner_ws, first.id), PipelineRun)
    runs = list(Experiment(runner_ws, "exp").get_runs())
    assert [r.id for r in runs] == [second.id, first.id] and all(isinstance(r, PipelineRun) for r in runs)
    child = next(first.get_children())
    again = Run.get(runner_ws, child.id)
    assert isinstance(again, StepRun) and again.pipeline_run_id == first.id
    assert again.get_metrics() == {"m": 3}
    reused_child = next(Run.get(runner_ws, second.id).get_children())
    assert isinstance(reused_child, StepRun) and reused_child._is_reused and reused_child.id == child.id


def test_cancel_before_start_never_runs_a_step(ws, src, monkeypatch):
    """Cancel is one path: the run history's status. A run canceled before it started ends Canceled."""
    from azureml_local.pipeline import submission
    from azureml_local.pipeline.execution.orchestrator import run_pipeline

    monkeypatch.setattr(submission, "wake_service", lambda ws: None)
    (src / "s.py").write_text("print('must not run')\n")
    d = definition(step("n1", "s", "s.py", src))
    run = start_pipeline_run(ws, "exp", d, None, False, False)
    run.cancel()
    assert run.get_status() == "Canceled" and not ws._context.runs.is_queued(run.id)
    assert run_pipeline(ws, run.id) == "Canceled"
    claimed = start_pipeline_run(ws, "exp", d, None, False, False)  # claimed, cancel seen before the start
    ws._context.runs.set_status(claimed.id, "CancelRequested")
    assert run_pipeline(ws, claimed.id) == "Canceled"
    assert list(run.get_children()) == [] and list(claimed.get_children()) == []
