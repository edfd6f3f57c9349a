"""The workspace service SIGKILLed while a pipeline runs: nothing stays active, finished steps stay reusable.

Real processes: the service executing the pipeline is killed with SIGKILL (no clean-up of its own)
while the second step runs. A client waiting on the run then sees it end Failed with the reason,
the step's script process is gone, the database passes ``PRAGMA integrity_check``, and the next
submit starts a new service without any manual step, reuses the step that had finished (its
outputs published before the kill) and completes. A step still uploading its outputs when the
service dies is re-run instead: its outputs were never published, so it is not reusable.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from azureml_local import status
from azureml_local.processes import pid_alive
from azureml_local.service.control import service_processes


def build(ws, src: Path, flag: Path):
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import PythonScriptStep

    src.mkdir(exist_ok=True)
    (src / "prep.py").write_text("import os, sys\nos.makedirs(sys.argv[1], exist_ok=True)\n"
                                 "open(os.path.join(sys.argv[1], 'x.txt'), 'w').write('42')\n")
    (src / "wait.py").write_text(f"import os, time\nwhile not os.path.exists({str(flag)!r}):\n    time.sleep(0.1)\n"
                                 "print('released')\n")
    data = PipelineData("data", datastore=ws.get_default_datastore())
    prep = PythonScriptStep("prep.py", name="prep", source_directory=str(src), compute_target="local",
                            arguments=[data], outputs=[data], allow_reuse=True)
    wait = PythonScriptStep("wait.py", name="wait", source_directory=str(src), compute_target="local",
                            arguments=[data], inputs=[data], allow_reuse=False)
    return Pipeline(ws, steps=[prep, wait])


def running_step(ws, root_id: str, name: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for row in ws._context.runs.list_runs(root_run_id=root_id):
            if row["name"] == name and row["status"] == "Running" and row["pid"]:
                return row
        time.sleep(0.05)
    raise AssertionError(f"step {name} of {root_id} did not start running")


def published(ws, step_run_id: str, timeout: float = 60) -> None:
    """Wait until the step's outputs were published (its reuse entry is written last, after the upload)."""
    deadline = time.monotonic() + timeout
    query = "SELECT 1 FROM reuse_entries WHERE step_run_id = ?"
    while ws._context.db.query_one(query, (step_run_id,)) is None:
        assert time.monotonic() < deadline, f"step run {step_run_id} never finished publishing its outputs"
        time.sleep(0.05)


def test_service_sigkilled_mid_pipeline(ws, tmp_path: Path) -> None:
    from azureml.core import Experiment

    flag = tmp_path / "release"
    experiment = Experiment(ws, "killed")
    first = experiment.submit(build(ws, tmp_path / "src", flag))
    step = running_step(ws, first.id, "wait")
    prep_id = next(r["run_id"] for r in ws._context.runs.list_runs(root_run_id=first.id) if r["name"] == "prep")
    published(ws, prep_id)  # prep's outputs are in the datastore and its reuse entry recorded: prep is done
    executor = ws._context.runs.run(first.id)["runner_pid"]  # the workspace service that claimed the pipeline
    assert executor and [p.pid for p in service_processes(ws._local_folder)] == [executor]
    os.kill(executor, signal.SIGKILL)

    assert first.wait_for_completion(show_output=False, raise_on_error=False) == "Failed"
    prep = first.find_step_run("prep")[0]
    assert prep.get_status() == "Finished"
    rows = ws._context.runs.list_runs(root_run_id=first.id)
    assert not [r for r in rows if status.is_active(r["status"])]
    error = ws._context.runs.error(first.id) or ws._context.runs.error(step["run_id"])
    assert "stopped unexpectedly" in str(error)
    deadline = time.monotonic() + 10
    while pid_alive(step["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(step["pid"])
    assert ws._context.db.query_one("PRAGMA integrity_check")[0] == "ok"

    flag.write_text("go")  # the next run's wait step ends at once
    second = experiment.submit(build(ws, tmp_path / "src", flag))  # a new service starts by itself
    assert second.wait_for_completion(show_output=False) == "Finished"
    assert second.find_step_run("prep")[0].id == prep.id  # reused: the SDK hands back the step run that ran
