"""The bridge to the generic run history (the run engineer's ``runs`` area).

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
        return importlib.import_module("azureml_local.runs.store")
    except ImportError:
        return None


def create_run(ws: "Workspace", run_id: str, experiment_name: str, run_type: str, parent_run_id: str | None = None,
               name: str | None = None, tags: dict | None = None, properties: dict | None = None,
               definition: dict | None = None, target: str | None = None, status: str = "NotStarted") -> None:
    """Create the run-history record of a pipeline or step run."""
    api = _runs_api()
    if api is None:
        return
    api.create_run(ws, run_id=run_id, experiment_name=experiment_name, run_type=run_type,
                   parent_run_id=parent_run_id, display_name=name, tags=tags or {}, properties=properties or {},
                   definition=definition, target=target, status=status)


def set_status(ws: "Workspace", run_id: str, status: str, error: dict | None = None) -> None:
    """Mirror a status change (run-history vocabulary: Running, Completed, Failed, Canceled...)."""
    api = _runs_api()
    if api is None:
        return
    api.set_status(ws, run_id, status, error=error)
