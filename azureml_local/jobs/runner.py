"""The ``azureml.scriptrun`` handler: a queued script run's job spec -> one ScriptJob, run by the engine.

``ScriptRunConfig.submit`` stored a one-step job spec (``spec.JOB_KEY``) in the run's definition; here
the binder (``binding.bind_job``) gives it its data at launch, exactly as for a pipeline step, and the
outputs are uploaded, registered and recorded as the run's ``outputDatasets`` before it completes.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from azureml_local.engine.execute import execute_script_job, run_folder
from azureml_local.engine.job import ScriptJob
from azureml_local.jobs import spec as job_spec
from azureml_local.jobs.binding import BindContext, bind_job, finalize_outputs

LEGACY_BINDINGS_FILE = "data_bindings.pkl"  # written by versions before the JSON job spec; never read


def script_job(ws: Any, run_id: str, bind_context: BindContext | None = None, snapshot_dir: Path | None = None,
               bound_outputs: dict[str, dict] | None = None) -> ScriptJob:
    """The ScriptJob of a queued script run, with the binder's hooks attached.

    A run inside a pipeline (a HyperDriveStep's child) passes the pipeline's ``bind_context`` and the
    step's ``snapshot_dir`` and collects its ``bound_outputs``: the step uploads the outputs it keeps.
    """
    row = ws._context.runs.run(run_id)
    definition: dict[str, Any] = json.loads(row["definition"] or "{}")
    try:
        spec = job_spec.from_definition(run_id, definition,
                                        (run_folder(ws, run_id) / LEGACY_BINDINGS_FILE).exists())
    except job_spec.JobSpecError as exc:
        return _failing_job(row, str(exc))
    if snapshot_dir is None and row["snapshot_id"]:
        snapshot_dir = ws._local_folder / "snapshots" / row["snapshot_id"]
    job = ScriptJob(run_id=run_id, experiment_name=row["experiment_name"], snapshot_dir=snapshot_dir,
                    script=spec.get("script_name"), command=spec.get("command") or None,
                    timeout_seconds=spec.get("timeout_seconds") or None, target=row["target"] or "local")
    python = spec.get("python")
    if python and Path(python).exists():
        job.python = python
    bctx = bind_context or BindContext(ws, run_id)
    outputs: dict[str, dict] = {} if bound_outputs is None else bound_outputs

    def bind(job: ScriptJob, work_dir: Path) -> None:
        outputs.update(bind_job(bctx, spec, job, work_dir))

    def finalize(job: ScriptJob, work_dir: Path, exit_code: int) -> None:
        lineage = finalize_outputs(ws, outputs, run_id, lineage=True)
        if lineage:
            runs = ws._context.runs
            stored = json.loads(runs.run(run_id)["definition"] or "{}")
            stored["_outputDatasets"] = lineage
            runs.update_run(run_id, definition=stored)

    job.before_launch.append(bind)
    if spec.get("outputs") and bound_outputs is None:
        job.after_process.append(finalize)
    return job


def _failing_job(row: Any, message: str) -> ScriptJob:
    """A job whose preparation fails with ``message`` (the engine records it as the run's error)."""
    def fail(job: ScriptJob, work_dir: Path) -> None:
        raise job_spec.JobSpecError(message)

    return ScriptJob(run_id=row["run_id"], experiment_name=row["experiment_name"], command="true",
                     before_launch=[fail], target=row["target"] or "local")  # never launched: ``fail`` raises


def handle_script_run(ws: Any, run_id: str) -> None:
    """Handler registered for ``azureml.scriptrun``."""
    execute_script_job(ws, script_job(ws, run_id))
