"""A service killed mid-run leaves no run Running: a waiting client fails it and kills its process.

(``engine/recovery.py`` itself is tested in ``tests/engine/test_recovery.py``.)
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

from azureml.core import Experiment, ScriptRunConfig
from service_helpers import sleeper, wait_gone, wait_running_with_pid


def test_service_killed_mid_run_ends_the_run_failed(ws, tmp_path: Path) -> None:
    run = Experiment(ws, "orphan").submit(ScriptRunConfig(str(sleeper(tmp_path)), "train.py"))
    script_pid = wait_running_with_pid(ws, run.id)
    os.kill(ws._context.runs.run(run.id)["runner_pid"], signal.SIGKILL)
    details = run.wait_for_completion(raise_on_error=False)  # must not hang
    assert details["status"] == "Failed"
    assert "stopped unexpectedly" in details["error"]["error"]["message"]
    assert wait_gone(script_pid, timeout=5)  # leftover script process was killed
