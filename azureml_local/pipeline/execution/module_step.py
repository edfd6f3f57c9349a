"""The executor of ``ModuleStep``: a module version runs as what it was published as.

``publish_python_script`` versions (execution type ``escloud``) run like a PythonScriptStep,
``publish_adla_script`` versions (``adlcloud``) on the local U-SQL engine.
"""
from __future__ import annotations

from pathlib import Path

from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.script_step import run_script_step
from azureml_local.pipeline.execution.usql_step import run_usql_step


def run_module_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                    key: reuse.ReuseKey | None) -> StepResult:
    if step.get("execution_type") == "adlcloud":
        return run_usql_step(ctx, step, step_run_id, run_dir, key)
    return run_script_step(ctx, step, step_run_id, run_dir, key)
