"""The bridge to the generic run history (``azureml_local.runs.records``).

Pipeline-specific state lives in ``pipeline_runs`` / ``pipeline_step_runs``; the
generic record (type, status, times, tags, properties, logs, metrics) lives in the
run history so ``Run.get``, ``Experiment.get_runs`` and ``Run.get_context()``
inside a step see pipeline and step runs like any other run. Everything that
touches the run history goes through this module, so there is one place to adapt.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace


def _runs_api() -> Any | None:
    """The run history module, when it exists (imported lazily)."""
    try:
        return importlib.import_module("azureml_local.runs.records")
    except ImportError:
        return None


def available() -> bool:
    return _runs_api() is not None


def create_run(ws: "Workspace", run_id: str, experiment_name: str, run_type: str, parent_run_id: str | None = None,
               name: str | None = None, tags: dict | None = None, properties: dict | None = None,
               definition: dict | None = None, target: str = "local", status: str = "NotStarted",
               enqueue_handler: str | None = None, display_name: str | None = None) -> None:
    """Create the run-history record of a pipeline or step run (queued for the runner with ``enqueue_handler``)."""
    api = _runs_api()
    if api is None:
        return
    api.create_run(ws, experiment_name, run_id, run_type=run_type, status=status, parent_run_id=parent_run_id,
                   name=name, display_name=display_name or name, target=target or "local",
                   definition=definition, properties=properties or {}, tags=tags or {},
                   enqueue_handler=enqueue_handler)


def set_status(ws: "Workspace", run_id: str, status: str, error: dict | None = None, force: bool = False,
               **columns: Any) -> bool:
    """Record a status change (run-history vocabulary: Running, Completed, Failed, Canceled...).

    Terminal statuses are final (a run already Completed/Failed/Canceled is left alone) unless
    ``force``: a step whose outputs could not be saved turns from Completed to Failed.
    """
    api = _runs_api()
    if api is None:
        return True
    return api.set_status(ws, run_id, status, error=error, start=status == "Running",
                          only_from=None if force else ACTIVE, **columns)


def get_status(ws: "Workspace", run_id: str) -> str | None:
    """The run-history status, or None when there is no run history."""
    api = _runs_api()
    if api is None:
        return None
    return api.get_status(ws, run_id)


ACTIVE = ("NotStarted", "Queued", "Preparing", "Provisioning", "Starting", "Running", "Unapproved",
          "NotResponding", "Pausing", "Paused", "CancelRequested", "Finalizing")


def add_properties(ws: "Workspace", run_id: str, properties: dict) -> None:
    api = _runs_api()
    if api is not None:
        api.add_properties(ws, run_id, properties)
