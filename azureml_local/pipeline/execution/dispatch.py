"""Hand a recorded pipeline run to something that executes it.

Preferred: the workspace runner (the run engineer's long-lived service), which
has a handler registered for ``azureml.PipelineRun`` (see :mod:`.handler`).
Fallback while no runner is available: a detached orchestrator process per
pipeline run (``python -m azureml_local.pipeline.execution``), so the run goes
on when the submitting process exits.
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

RUN_TYPE = "azureml.PipelineRun"


def _runner() -> object | None:
    try:
        module = importlib.import_module("azureml_local.service_control")
    except ImportError:
        return None
    return module if hasattr(module, "enqueue_run") else None


def queue_pipeline_run(ws: "Workspace", run_id: str) -> None:
    """Queue the run for the workspace runner, or start a detached orchestrator for it."""
    if os.environ.get("AZUREML_LOCAL_PIPELINE_INPROCESS") != "1":
        runner = _runner()
        if runner is not None:
            runner.enqueue_run(ws, run_id, RUN_TYPE)  # type: ignore[attr-defined]
            return
    spawn_orchestrator(ws, run_id)


def spawn_orchestrator(ws: "Workspace", run_id: str) -> subprocess.Popen:
    """A detached ``python -m azureml_local.pipeline.execution`` for one run."""
    log_dir = ws._local_folder / "runs" / run_id
    log_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    from azureml_local.home import local_home

    env["AZUREML_LOCAL_HOME"] = str(local_home())
    with open(log_dir / "orchestrator.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "azureml_local.pipeline.execution", ws.subscription_id, ws.resource_group,
             ws.name, run_id], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, close_fds=True)
