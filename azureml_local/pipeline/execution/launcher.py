"""Run one step's script as a local process: logs to the SDK's log names, cancel, timeout.

Why not a plain ``subprocess.run``: a pipeline must be able to stop a step
(``PipelineRun.cancel()``, a sibling failing, a timeout) including whatever the
script started, so each step gets its own process group and is waited on in
short slices that watch a cancel event.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

DRIVER_LOG = "azureml-logs/70_driver_log.txt"
STD_LOG = "user_logs/std_log.txt"


@dataclass
class ProcessOutcome:
    """How a step process ended: ``status`` is Completed, Failed or Canceled."""

    status: str
    returncode: int | None
    reason: str = ""


def run_process(argv: list[str], cwd: Path, env: dict[str, str], run_dir: Path, cancel: threading.Event,
                timeout_seconds: float | None = None, on_start=None) -> ProcessOutcome:
    """Start ``argv`` in ``cwd`` with output in ``run_dir/azureml-logs/70_driver_log.txt``; wait for it."""
    log_path = run_dir / DRIVER_LOG
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab", buffering=0) as log:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        if on_start is not None:
            on_start(proc.pid)
        deadline = time.monotonic() + timeout_seconds if timeout_seconds else None
        outcome: ProcessOutcome | None = None
        while True:
            try:
                code = proc.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                pass
            if cancel.is_set():
                kill_group(proc)
                outcome = ProcessOutcome("Canceled", proc.returncode, "The step was canceled.")
                break
            if deadline is not None and time.monotonic() > deadline:
                kill_group(proc)
                outcome = ProcessOutcome("Failed", proc.returncode,
                                         f"The step exceeded its timeout of {timeout_seconds} seconds and was stopped.")
                log.write(f"\n[azureml-local] {outcome.reason}\n".encode())
                break
    _link_std_log(run_dir)
    if outcome is not None:
        return outcome
    if code == 0:
        return ProcessOutcome("Completed", 0)
    if code < 0:
        return ProcessOutcome("Failed", code, f"The step process was killed by signal {-code}.")
    return ProcessOutcome("Failed", code, f"The step script exited with code {code}.")


def kill_group(proc: subprocess.Popen) -> None:
    """SIGTERM the step's process group, then SIGKILL what is left after a short grace."""
    for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _link_std_log(run_dir: Path) -> None:
    """``user_logs/std_log.txt`` carries the same text as the driver log (both names are streamed by the SDK)."""
    std = run_dir / STD_LOG
    std.parent.mkdir(parents=True, exist_ok=True)
    try:
        if not std.exists():
            os.link(run_dir / DRIVER_LOG, std)
    except OSError:
        pass


def traceback_from_log(log_path: Path, max_chars: int = 8000) -> str:
    """The script's own traceback (last ``Traceback`` block of the log), else the log's tail."""
    try:
        text = log_path.read_text(errors="replace")
    except OSError:
        return ""
    idx = text.rfind("Traceback (most recent call last)")
    tail = text[idx:] if idx >= 0 else text[-2000:]
    return tail[-max_chars:].strip()
