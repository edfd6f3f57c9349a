"""The executor of ParallelRunStep steps: the script executor, keeping the job's ``logs/`` folder.

The step's command runs the driver (``driver.py``) through the run engine like any script step; the
per-worker logs it writes under ``logs/`` in the working directory become the step run's files
(``logs/user/...``, ``logs/job_progress_overview.*.txt``), as the cloud job uploads them.
"""
from __future__ import annotations

from pathlib import Path

from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.script_step import run_script_step


def run_parallel_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                      key: reuse.ReuseKey | None) -> StepResult:
    return run_script_step(ctx, step, step_run_id, run_dir, key, uploads=[("logs", "logs")])
