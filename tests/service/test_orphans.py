"""Runs whose service died are failed (not left Running), and their leftover processes killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from azureml.core import Experiment, ScriptRunConfig
from azureml_local.runs import records
from azureml_local.service.orphans import recover_orphans
from service_helpers import sleeper, wait_gone, wait_running_with_pid


def test_service_killed_mid_run_ends_the_run_failed(ws, tmp_path: Path) -> None:
    run = Experiment(ws, "orphan").submit(ScriptRunConfig(str(sleeper(tmp_path)), "train.py"))
    script_pid = wait_running_with_pid(ws, run.id)
    os.kill(records.get_run_row(ws, run.id)["runner_pid"], signal.SIGKILL)
    details = run.wait_for_completion(raise_on_error=False)  # must not hang
    assert details["status"] == "Failed"
    assert "stopped unexpectedly" in details["error"]["error"]["message"]
    assert wait_gone(script_pid, timeout=5)  # leftover script process was killed


def test_orphan_recovery_fails_active_descendants(ws) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    parent = records.create_run(ws, "pl", run_type="azureml.PipelineRun", status="Running", start=True)
    records.update_run(ws, parent, runner_pid=dead.pid)
    step = records.create_run(ws, "pl", run_type="azureml.StepRun", status="Running", parent_run_id=parent)
    done = records.create_run(ws, "pl", run_type="azureml.StepRun", status="Completed", parent_run_id=parent)
    assert set(recover_orphans(ws)) == {parent, step}
    assert records.get_status(ws, step) == "Failed" and records.get_status(ws, done) == "Completed"
