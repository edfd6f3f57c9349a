"""Shared helpers of the service tests: waiting on a run's status, a long-running script."""
from __future__ import annotations

import time
from pathlib import Path

from azureml_local.processes import pid_alive


def wait_status(ws, run_id: str, wanted: tuple[str, ...], timeout: float = 20) -> str:
    deadline = time.time() + timeout
    status = ws._context.runs.status(run_id)
    while status not in wanted and time.time() < deadline:
        time.sleep(0.02)
        status = ws._context.runs.status(run_id)
    return status


def wait_gone(pid: int, timeout: float = 10) -> bool:
    """True once ``pid`` no longer runs (within ``timeout``)."""
    deadline = time.time() + timeout
    while pid_alive(pid) and time.time() < deadline:
        time.sleep(0.02)
    return not pid_alive(pid)


def sleeper(tmp_path: Path, seconds: int = 60) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "train.py").write_text(f"import time\nprint('up', flush=True)\ntime.sleep({seconds})\n")
    return src


def wait_running_with_pid(ws, run_id: str, timeout: float = 20) -> int:
    """The pid of the run's script once it runs."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        row = ws._context.runs.run(run_id)
        if row["status"] == "Running" and row["pid"]:
            return row["pid"]
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} did not start: {ws._context.runs.status(run_id)}")
