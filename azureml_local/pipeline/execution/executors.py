"""Step kind -> the executor that runs a step of that kind (KFP's per-task-type handlers).

``execute_step`` (``step.py``) decides reuse and records the step run; what running a step *means*
comes from the ``executors`` section of the plugin table (``azureml_local.plugins``). Every
script-like step (PythonScriptStep, CommandStep, EstimatorStep, ParallelRunStep) runs its script or
command through the run engine (``script_step.py``; ParallelRunStep through ``pipeline/parallel/executor.py``,
which wraps it); a new kind (a blob copy for DataTransferStep, a
remote submit for DatabricksStep) registers its own executor instead of adding a branch. An unknown kind fails its step with a message naming the known ones.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from azureml_local import plugins
from azureml_local.pipeline.execution.script_step import run_script_step  # noqa: F401 - the built-in executor

if TYPE_CHECKING:
    from azureml_local.pipeline import reuse
    from azureml_local.pipeline.execution.context import PipelineContext, StepResult

DEFAULT_KIND = "PythonScriptStep"


class StepExecutor(Protocol):
    """Runs one (not reused) step whose run record exists; returns its result, never raises for the
    step's own failures (setup errors may raise: the caller fails the step with their message)."""

    def __call__(self, ctx: "PipelineContext", step: dict, step_run_id: str, run_dir: Path,
                 key: "reuse.ReuseKey | None") -> "StepResult": ...


def register_executor(kind: str, executor: StepExecutor | str) -> None:
    """Run steps of ``kind`` (the step class name, ``step["kind"]``) with ``executor``
    (a callable, or ``"module:function"`` so that the workspace service can import it)."""
    conflict = plugins.register("executors", kind, executor)
    if conflict is not None:
        raise ValueError(f"Steps of type '{kind}' already run with {conflict!r}.")


def known_kinds() -> list[str]:
    return plugins.known("executors")


def executor_for(step: dict) -> StepExecutor:
    """The executor of ``step``'s kind; ``ValueError`` naming the known kinds when there is none."""
    kind = step.get("kind") or DEFAULT_KIND
    executor = plugins.get("executors", kind)
    if executor is None:
        raise ValueError(f"Steps of type '{kind}' cannot run locally: no executor is registered for them. "
                         f"Known step types: {', '.join(known_kinds())}.")
    return executor
