"""Wait until every run of a workspace has ended: what the ``azureml_runs_finished`` fixture checks.

A test that submits a run and returns before it ends leaves the run executing while the next
test starts (or while its folder is removed); a run left ``Running`` by a script that forgot
``run.complete()`` is a bug the test should show. Both are caught here: poll the run history
until no run is active, and say which runs are still active when the time is up.
"""
from __future__ import annotations

import time
from typing import Any

from azureml_local import status
from azureml_local.context import as_context


class RunsStillActive(AssertionError):
    """Runs of the workspace were still active when the wait ended."""


def active_runs(ws: Any) -> list[dict]:
    """``{run_id, status, experiment_name, run_type}`` of the workspace's runs that have not ended."""
    ctx = as_context(ws)
    if ctx.db.dialect == "sqlite" and not (ctx.folder / "store.db").exists():  # no history yet: none to open
        return []
    return [{key: row[key] for key in ("run_id", "status", "experiment_name", "run_type")}
            for row in ctx.runs.list_runs() if status.is_active(row["status"])]


def wait_for_runs(ws: Any, timeout: float = 300.0, poll: float = 0.2) -> None:
    """Return once no run of ``ws`` is active; raise :class:`RunsStillActive` naming them after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    active = active_runs(ws)
    while active and time.monotonic() < deadline:
        time.sleep(poll)
        active = active_runs(ws)
    if active:
        listing = "\n".join(f"  {r['run_id']} [{r['status']}] experiment '{r['experiment_name']}' ({r['run_type']})"
                            for r in active)
        raise RunsStillActive(
            f"{len(active)} run(s) of workspace '{as_context(ws).workspace_name}' were still active after "
            f"{timeout:.0f} s:\n{listing}\nWait for them in the test (run.wait_for_completion()), end interactive "
            "runs with run.complete(), or raise the limit with --azureml-run-timeout.")
