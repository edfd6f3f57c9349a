"""Orphan recovery, moved unchanged from the old ``service/runner.py``.

Transition: h1 consolidates the three copies of orphan recovery into
``azureml_local/engine/recovery.py: recover_orphans(ctx, current_pid=None)``; once that is on
main, this module goes and its callers (``service/dispatcher.py``, ``runs/waiting.py``,
``pipeline/execution/state.py``) import that one instead.
"""
from __future__ import annotations

import signal
from typing import TYPE_CHECKING

from azureml_local.processes import kill_process_group, pid_alive
from azureml_local.runs import records

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

ACTIVE_STATES = records.RUNNING_STATES + records.POST_PROCESSING_STATES


def recover_orphans(ws: "WorkspaceContext", current_pid: int | None = None) -> list[str]:
    """Fail runs whose executing runner is gone; returns their ids."""
    rows = ws._store.query(
        "SELECT run_id, runner_pid, pid FROM runs WHERE runner_pid IS NOT NULL AND status IN (%s) "
        "AND run_id NOT IN (SELECT run_id FROM run_queue)" % ",".join("?" * len(ACTIVE_STATES)), ACTIVE_STATES)
    failed = []
    for row in rows:
        if row["runner_pid"] == current_pid or pid_alive(row["runner_pid"]):
            continue
        if row["pid"] and pid_alive(row["pid"]):
            kill_process_group(row["pid"], signal.SIGKILL)
        message = (f"The run was interrupted: the azureml-local runner process (pid {row['runner_pid']}) that "
                   "executed it stopped unexpectedly. Submit the run again.")
        if records.set_status(ws, row["run_id"], "Failed", error=records.error_dict(message, code="SystemError"),
                              only_from=ACTIVE_STATES):
            failed.append(row["run_id"])
            failed += _fail_descendants(ws, row["run_id"], message, current_pid)
    return failed


def _fail_descendants(ws: "WorkspaceContext", run_id: str, message: str, current_pid: int | None) -> list[str]:
    """Active runs below an orphan (e.g. a pipeline's steps) whose executor is gone end Failed too."""
    failed, frontier = [], [run_id]
    while frontier:
        parent = frontier.pop()
        for child in ws._store.query("SELECT run_id, runner_pid, pid, status FROM runs WHERE parent_run_id=?",
                                     (parent,)):
            frontier.append(child["run_id"])
            if child["status"] not in ACTIVE_STATES:
                continue
            if child["runner_pid"] and (child["runner_pid"] == current_pid or pid_alive(child["runner_pid"])):
                continue
            if child["pid"] and pid_alive(child["pid"]):
                kill_process_group(child["pid"], signal.SIGKILL)
            if records.set_status(ws, child["run_id"], "Failed", only_from=ACTIVE_STATES,
                                  error=records.error_dict(message, code="SystemError")):
                failed.append(child["run_id"])
    return failed
