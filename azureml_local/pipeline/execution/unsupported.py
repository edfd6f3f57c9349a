"""The executor of the step kinds that cannot run here (AutoMLStep, AzureBatchStep, KustoStep...).

Such a pipeline is refused at submit (``pipeline/start.py``); this executor only catches a step
that got past it (a definition written by hand, an old queued run): it fails the step with the
definition's message, before anything runs.
"""
from __future__ import annotations

from pathlib import Path

from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.step import _log
from azureml_local.status import ACTIVE_STATES
from azureml_local.store.runs import error_dict


def run_unsupported_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                         key: reuse.ReuseKey | None) -> StepResult:
    message = step.get("not_emulated") or f"Steps of type '{step.get('kind')}' cannot run locally."
    _log(ctx.ws, step_run_id, message, link=True)
    error = error_dict(message)
    ctx.ws._context.runs.set_status(step_run_id, "Failed", error=error, only_from=ACTIVE_STATES)
    return StepResult(step["node_id"], step_run_id, "Failed", error=error)
