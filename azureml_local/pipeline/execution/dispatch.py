"""Hand a recorded pipeline run to something that executes it.

Normal path: the run is queued in the run history with :data:`HANDLER` and the
workspace runner (``azureml_local.service``) is woken; it calls the handler in its
own long-lived process, so runs go on after the submitting process exits and no
Python start-up is paid per run. ``AZUREML_LOCAL_PIPELINE_INPROCESS=1`` (or no
runner available) starts a detached ``python -m azureml_local.pipeline.execution``
for the run instead.
"""
from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

RUN_TYPE = "azureml.PipelineRun"
HANDLER = "azureml_local.pipeline.execution.orchestrator:handle_pipeline_run"


def use_runner() -> bool:
    return os.environ.get("AZUREML_LOCAL_PIPELINE_INPROCESS") != "1"


def queue_pipeline_run(ws: "Workspace", run_id: str) -> None:
    """Wake the workspace runner for the (already queued) run, or start a detached orchestrator."""
    if use_runner():
        from azureml_local.service import control as service_control

        service_control.wake(ws)
        return
    spawn_orchestrator(ws, run_id)


def spawn_orchestrator(ws: "Workspace", run_id: str) -> subprocess.Popen:
    """A detached ``python -m azureml_local.pipeline.execution`` for one run."""
    from azureml_local.home import local_home

    log_dir = ws._local_folder / "runs" / run_id
    log_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["AZUREML_LOCAL_HOME"] = str(local_home().resolve())
    with open(log_dir / "orchestrator.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "azureml_local.pipeline.execution", ws.subscription_id, ws.resource_group,
             ws.name, run_id], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, close_fds=True)
