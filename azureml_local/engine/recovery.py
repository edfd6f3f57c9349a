"""Orphan recovery: a run whose executing process is gone ends Failed, never Running forever.

One function for everyone who notices: the workspace service when it (re)starts
(:func:`recover_orphans`, all runs) and a client waiting on one run
(:func:`recover_if_orphaned`), so ``wait_for_completion`` never waits on a dead runner.
A run's executor is its ``runner_pid`` (the service, or an orchestrator, that claimed it);
its own process (``pid``) is killed when it outlived that executor. Active runs below an
orphan (a pipeline's steps, a script's child runs) end Failed with it.
"""
from __future__ import annotations

import signal
from typing import TYPE_CHECKING

from azureml_local import status as states
from azureml_local.processes import kill_process_group, pid_alive
from azureml_local.store.runs import error_dict

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


def recover_orphans(ctx: "WorkspaceContext", current_pid: int | None = None) -> list[str]:
    """Fail every claimed, active run whose executor is gone (``current_pid`` counts as alive); their ids."""
    failed: list[str] = []
    for row in ctx.runs.executing_runs():
        if row["runner_pid"] == current_pid or pid_alive(row["runner_pid"]):
            continue
        failed += _fail_orphan(ctx, row, current_pid)
    return failed


def recover_if_orphaned(ctx: "WorkspaceContext", run_id: str) -> bool:
    """Fail ``run_id`` (and its active descendants) when its executor is gone; True when it did."""
    row = ctx.runs.run(run_id)
    if not row["runner_pid"] or not states.is_active(row["status"]) or pid_alive(row["runner_pid"]):
        return False
    if ctx.runs.is_queued(run_id):  # handed back to the queue: the service will pick it up again
        return False
    _fail_orphan(ctx, row, None)
    return True


def _message(runner_pid: int) -> str:
    return (f"The run was interrupted: the azureml-local runner process (pid {runner_pid}) that "
            "executed it stopped unexpectedly. Submit the run again.")


def _fail_orphan(ctx: "WorkspaceContext", row: dict, current_pid: int | None) -> list[str]:
    message = _message(row["runner_pid"])
    if not _fail(ctx, row, message):
        return []
    return [row["run_id"], *_fail_descendants(ctx, row["run_id"], message, current_pid)]


def _fail(ctx: "WorkspaceContext", row: dict, message: str) -> bool:
    """Kill the run's own process if it outlived its executor, then record Failed (only from an active state)."""
    if row["pid"] and pid_alive(row["pid"]):
        kill_process_group(row["pid"], signal.SIGKILL)
    return ctx.runs.set_status(row["run_id"], "Failed", error=error_dict(message, code="SystemError"),
                               only_from=states.ACTIVE_STATES)


def _fail_descendants(ctx: "WorkspaceContext", run_id: str, message: str, current_pid: int | None) -> list[str]:
    """Active runs below an orphan whose own executor is gone too end Failed."""
    failed, frontier = [], [run_id]
    while frontier:
        for child in ctx.runs.children(frontier.pop()):
            frontier.append(child["run_id"])
            if not states.is_active(child["status"]):
                continue
            if child["runner_pid"] and (child["runner_pid"] == current_pid or pid_alive(child["runner_pid"])):
                continue
            if _fail(ctx, child, message):
                failed.append(child["run_id"])
    return failed
