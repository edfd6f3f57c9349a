"""The executor of script-like steps: the step's script or command as one run of the engine.

``executors`` maps every script-like kind here; ``step.execute_step`` has already decided reuse and
recorded the step run. Completed steps upload their outputs and record reuse in the background
(``ctx.uploads``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

from azureml_local.engine.execute import execute_script_job
from azureml_local.engine.job import ScriptJob
from azureml_local.engine.snapshot import snapshot
from azureml_local.faults import pause_point
from azureml_local.jobs import binding
from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.status import ACTIVE_STATES


def run_script_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                    key: reuse.ReuseKey | None, uploads: Sequence[tuple[str, str]] = ()) -> StepResult:
    """The step's script (or command) as one run of the engine, with its data bound (logs, artifacts,
    status, traceback); ``uploads``: more ``(working-dir folder, artifact prefix)`` pairs to keep as the
    run's files (an executor built on this one, e.g. ParallelRunStep's ``logs``)."""
    ws = ctx.ws
    bctx = binding.BindContext(ws, step_run_id, dict(ctx.parameters), ctx.default_datastore,
                               ctx.run_root / "data" / step_run_id, ctx.results)
    outputs: dict[str, dict] = {}

    def bind(job: "ScriptJob", work_dir: Path) -> None:
        outputs.update(binding.bind_job(bctx, step, job, work_dir))
        # consumers read output folders in place: one inside the working directory needs it unmounted first
        job.unmount_after_upload = not any(Path(os.path.abspath(out["local_path"])).is_relative_to(work_dir.absolute())
                                           for out in outputs.values())

    pause_point("step.snapshot", step.get("name"))
    snapshot_dir = _snapshot_dir(ctx, step)
    timeout = step.get("timeout_seconds") or (step.get("runconfig") or {}).get("max_run_duration_seconds")
    job = ScriptJob(step_run_id, ctx.experiment_name, snapshot_dir=snapshot_dir, script=step.get("script_name"),
                    command=step.get("command") or None, timeout_seconds=timeout, before_launch=[bind],
                    target=step.get("compute_target") or "local", defer_completion=True,
                    experiment_id=ctx.experiment_id, after_launch=[lambda _job: ctx.launches.release(step["node_id"])])
    job.output_uploads += list(uploads)
    if ctx.cancel.is_set():
        ws._context.runs.set_status(step_run_id, "Canceled", only_from=ACTIVE_STATES)
        return StepResult(step["node_id"], step_run_id, "Canceled")
    status = execute_script_job(ws, job)
    ctx.launches.hold(step["node_id"])  # until the orchestrator has started the steps this one unblocks
    result = StepResult(step["node_id"], step_run_id, status, outputs=outputs, key=key)
    if status == "Completed":  # the step row's outputs are written off the critical path, before it completes
        result.upload = ctx.after_launches(_finalize_outputs, ctx, step, result, job.complete)
    else:
        result.error = ws._context.runs.error(step_run_id)
        ws._context.pipeline_runs.update_step(step_run_id, outputs=outputs)
    return result


def known_snapshot_dir(ctx: PipelineContext, step: dict) -> Path | None:
    """The step's snapshot taken at submit, when it is on disk."""
    if step.get("snapshot_dir") and Path(step["snapshot_dir"]).is_dir():
        return Path(step["snapshot_dir"])
    snapshot_id = step.get("snapshot_id")
    if snapshot_id:
        src = ctx.ws._local_folder / "snapshots" / snapshot_id
        if src.is_dir():
            return src
    return None


def _snapshot_dir(ctx: PipelineContext, step: dict) -> Path | None:
    """The step's snapshot (taken at submit); snapshot the source directory now if it is missing."""
    known = known_snapshot_dir(ctx, step)
    if known is not None:
        return known
    source = step.get("source_directory")
    return snapshot(ctx.ws, source)[1] if source else None


def _finalize_outputs(ctx: PipelineContext, step: dict, result: StepResult,
                      complete: Callable[[], str] | None = None) -> None:
    """Upload each output folder to its datastore path and register, complete the step run (its files
    and logs), then record reuse (all or nothing). The step run stays Finalizing until its outputs
    landed, so a service killed meanwhile leaves it active and recovery fails it (never Completed
    with outputs missing)."""
    ctx.ws._context.pipeline_runs.update_step(result.step_run_id, outputs=result.outputs)
    pause_point("step.upload", step.get("name"))  # the step's process ended, its outputs not uploaded yet
    try:
        binding.finalize_outputs(ctx.ws, result.outputs, result.step_run_id)
    finally:  # its files and logs land either way (a failed output upload fails it in the orchestrator)
        completed = complete() if complete is not None else "Completed"
    if completed != "Completed":
        raise RuntimeError(f"Step '{step.get('name') or step['node_id']}' could not upload its files; "
                           f"see the error of step run {result.step_run_id}.")
    pause_point("step.publish", step.get("name"))  # outputs uploaded, step run Completed, reuse not recorded
    if result.key is not None:
        reuse.record(ctx.ws, result.key, step.get("name") or step["node_id"], result.step_run_id,
                     ctx.pipeline_run_id, step["node_id"], result.outputs)
