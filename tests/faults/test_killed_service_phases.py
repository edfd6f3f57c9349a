"""The workspace service SIGKILLed at each phase of a script run: the run always ends, with a reason.

Phases: just submitted (queued or being claimed), running, uploading outputs (the script has written
30 MB to ``outputs/`` and is exiting). Whatever the exact timing, a client waiting on the run gets
``Completed`` or ``Failed`` with a message (never a hang), no run stays active, the database passes
``PRAGMA integrity_check`` and the next run completes without any manual restart.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from azureml_local import status
from azureml_local.service.control import service_processes

SCRIPT = """
import os, sys, time
phase = sys.argv[1]
marker = sys.argv[2]
if phase == "running":
    open(marker, "w").write("up")
    time.sleep(60)
if phase == "uploading":
    os.makedirs("outputs", exist_ok=True)
    for i in range(3):
        with open(f"outputs/blob{i}.bin", "wb") as fh:
            fh.write(os.urandom(10 * 1024 * 1024))
    open(marker, "w").write("written")
print("done", phase)
"""


def submit(ws, src: Path, phase: str, marker: Path):
    from azureml.core import Experiment, ScriptRunConfig

    config = ScriptRunConfig(str(src), "job.py", arguments=[phase, str(marker)], compute_target="local")
    config.run_config.environment.python.user_managed_dependencies = True
    return Experiment(ws, f"kill-{phase}").submit(config)


def kill_services(ws) -> int:
    procs = service_processes(ws._local_folder)
    for proc in procs:
        os.kill(proc.pid, signal.SIGKILL)
    return len(procs)


def wait_for(path: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert path.exists(), f"{path} never appeared"


@pytest.mark.parametrize("phase", ["submitted", "running", "uploading"])
def test_service_sigkilled_at_each_phase_of_a_run(ws, tmp_path: Path, phase: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "job.py").write_text(SCRIPT)
    marker = tmp_path / "marker"
    run = submit(ws, src, phase, marker)
    if phase != "submitted":
        wait_for(marker)
    assert kill_services(ws) >= (0 if phase == "submitted" else 1)

    details = run.wait_for_completion(raise_on_error=False)  # must not hang
    assert details["status"] in ("Completed", "Failed"), details["status"]
    if details["status"] == "Failed":
        assert details["error"]["error"]["message"].strip()
    if phase == "running":
        assert details["status"] == "Failed" and "stopped unexpectedly" in details["error"]["error"]["message"]
    rows = ws._context.runs.list_runs()
    assert not [r["run_id"] for r in rows if status.is_active(r["status"])]
    assert ws._context.db.query_one("PRAGMA integrity_check")[0] == "ok"

    marker.unlink(missing_ok=True)
    again = submit(ws, src, "quick", marker)  # a new service starts by itself
    assert again.wait_for_completion(raise_on_error=False)["status"] == "Completed"
