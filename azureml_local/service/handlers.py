"""Which function executes a queued run: ``run_type -> handler(ws, run_id)``.

The runner is a separate process, so a registration made in the submitting
process alone would not reach it. Handlers are therefore named as
``"module:function"`` strings (imported lazily in the runner), and the queue row
may carry its own handler string (``enqueue(..., handler=...)``), which wins.

Built-in: ``azureml.scriptrun``. Pipelines add theirs with
``register_run_handler("azureml.PipelineRun", "azureml_local.pipeline.x:run")``
at import time of their module, *and* pass the same string when queueing.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable, Union

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

Handler = Callable[["Workspace", str], None]

_HANDLERS: dict[str, Union[str, Handler]] = {
    "azureml.scriptrun": "azureml_local.jobs.runner:handle_script_run",
}


def register_run_handler(run_type: str, handler: Union[str, Handler]) -> None:
    """Register how runs of ``run_type`` execute (``"module:function"`` or a callable)."""
    _HANDLERS[run_type] = handler


def resolve(spec: Union[str, Handler]) -> Handler:
    if callable(spec):
        return spec
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def get_run_handler(run_type: str, queued_spec: str | None = None) -> Handler:
    """The handler for a run: the queue row's own spec, else the registry's."""
    spec = queued_spec or _HANDLERS.get(run_type)
    if spec is None:
        raise LookupError(f"No handler is registered for run type '{run_type}'. Register one with "
                          "azureml_local.service.handlers.register_run_handler(run_type, 'module:function').")
    return resolve(spec)


def handler_spec(run_type: str) -> str | None:
    """The registered ``"module:function"`` string for a run type (None for callables/unknown)."""
    spec = _HANDLERS.get(run_type)
    return spec if isinstance(spec, str) else None
