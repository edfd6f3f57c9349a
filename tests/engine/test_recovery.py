"""Orphan recovery: runs whose executor is gone end Failed (with their active descendants), once."""
from __future__ import annotations

import subprocess
import sys

import pytest

from azureml_local.engine.recovery import recover_if_orphaned, recover_orphans
from azureml_local.store.runs import new_run_id


@pytest.fixture
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _pipeline_with_steps(ctx, runner_pid: int) -> tuple[str, str, str]:
    runs = ctx.runs
    parent = runs.create_run("pl", new_run_id(), run_type="azureml.PipelineRun", status="Running", start=True)
    runs.update_run(parent, runner_pid=runner_pid)
    step = runs.create_run("pl", new_run_id(), run_type="azureml.StepRun", status="Running", parent_run_id=parent)
    done = runs.create_run("pl", new_run_id(), run_type="azureml.StepRun", status="Completed", parent_run_id=parent)
    return parent, step, done


def test_recover_orphans_fails_active_descendants(ws, dead_pid) -> None:
    ctx = ws._context
    parent, step, done = _pipeline_with_steps(ctx, dead_pid)
    assert set(recover_orphans(ctx)) == {parent, step}
    assert ctx.runs.status(step) == "Failed" and ctx.runs.status(done) == "Completed"
    error = ctx.runs.error(parent)["error"]
    assert error["code"] == "SystemError" and f"pid {dead_pid}" in error["message"]
    assert recover_orphans(ctx) == []  # once


def test_recover_orphans_spares_the_current_process(ws) -> None:
    import os

    ctx = ws._context
    parent, step, _ = _pipeline_with_steps(ctx, os.getpid())
    assert recover_orphans(ctx, current_pid=os.getpid()) == []
    assert ctx.runs.status(parent) == "Running" and ctx.runs.status(step) == "Running"


def test_recover_if_orphaned_for_one_waiting_client(ws, dead_pid) -> None:
    ctx = ws._context
    parent, step, _ = _pipeline_with_steps(ctx, dead_pid)
    other, other_step, _ = _pipeline_with_steps(ctx, dead_pid)
    assert recover_if_orphaned(ctx, parent)
    assert ctx.runs.status(parent) == "Failed" and ctx.runs.status(step) == "Failed"
    assert ctx.runs.status(other) == "Running"  # only the run the client waits on
    assert not recover_if_orphaned(ctx, parent)  # already terminal


def test_recover_if_orphaned_leaves_live_and_queued_runs(ws, dead_pid) -> None:
    import os

    ctx = ws._context
    alive, _, _ = _pipeline_with_steps(ctx, os.getpid())
    assert not recover_if_orphaned(ctx, alive)
    queued = ctx.runs.create_run("q", new_run_id(), status="Queued", enqueue_handler="")
    ctx.runs.update_run(queued, runner_pid=dead_pid)  # handed back to the queue: the service picks it up
    assert not recover_if_orphaned(ctx, queued)
    unclaimed = ctx.runs.create_run("q", new_run_id(), status="Queued")
    assert not recover_if_orphaned(ctx, unclaimed)
    assert ctx.runs.status(alive) == "Running" and ctx.runs.status(queued) == "Queued"
