"""The executor of ``HyperDriveStep``: the sweep controller inside a pipeline run.

The step run gets one child, the ``hyperdrive`` run (tags and definition as a submitted sweep's); its
children are the step's script with the sampled ``--name value`` appended, each bound with the pipeline's
data (parameters, upstream outputs) like a script step, and run by the engine in the controller's threads.
The step's outputs are the best child's (by the primary metric); ``metrics_output`` holds every child's
metrics as JSON (``{child run id: {metric: values}}``). Then the step completes like a script step
(outputs uploaded, reuse recorded).
"""
from __future__ import annotations

import json
from pathlib import Path

from azureml_local.engine.execute import execute_script_job
from azureml_local.hyperdrive.controller import SweepController
from azureml_local.hyperdrive.spec import RUN_TYPE, SWEEP_KEY, new_sweep_id
from azureml_local.jobs import binding
from azureml_local.jobs import spec as job_spec
from azureml_local.jobs.runner import script_job
from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.script_step import _finalize_outputs, _snapshot_dir
from azureml_local.status import ACTIVE_STATES, RUNNING_STATES


def run_hyperdrive_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                        key: reuse.ReuseKey | None) -> StepResult:
    """Run the step's sweep to its end; the step's result is the best child's outputs."""
    ws = ctx.ws
    runs = ws._context.runs
    settings = dict(step["hyperdrive"])
    tags = settings.pop("tags", {})
    metrics_output = settings.pop("metrics_output", None)
    child_spec = {k: v for k, v in step.items() if k != "hyperdrive"}  # a step dict is a job spec
    child_spec.setdefault("version", job_spec.VERSION)
    snapshot_dir = _snapshot_dir(ctx, step)
    runs.set_status(step_run_id, "Running", start=True, only_from=RUNNING_STATES)
    sweep_id = new_sweep_id()
    target = step.get("compute_target") or "local"
    child = {"definition": {job_spec.JOB_KEY: child_spec, "script": step.get("script_name"), "arguments": [],
                            "target": target}, "snapshot_id": None, "target": target, "warning": None}
    runs.create_run(ctx.experiment_name, sweep_id, run_type=RUN_TYPE, status="Queued", parent_run_id=step_run_id,
                    target=target, definition={SWEEP_KEY: {**settings, "child": child}, "target": target}, tags=tags,
                    properties={"azureml.runsource": "hyperdrive", "platform": "AML"},
                    experiment_id=ctx.experiment_id)
    outputs_of: dict[str, dict[str, dict]] = {}

    def run_child(_ctx: object, child_id: str) -> None:
        bctx = binding.BindContext(ws, child_id, dict(ctx.parameters), ctx.default_datastore,
                                   ctx.run_root / "data" / child_id, ctx.results)
        outputs_of[child_id] = {}
        execute_script_job(ws, script_job(ws, child_id, bctx, snapshot_dir, outputs_of[child_id]))

    controller = SweepController(ws._context, sweep_id, run_child=run_child, should_stop=ctx.cancel.is_set)
    status = controller.run()
    best = controller.best[0] if controller.best else None
    if status != "Completed" or best is None or controller.finished.get(best) != "Completed":
        final = "Canceled" if status == "Canceled" else "Failed"
        error = runs.error(sweep_id) or {"error": {"code": "UserError", "message": (
            f"The HyperDrive run {sweep_id} of step '{step.get('name')}' ended {status} without a completed child "
            f"that logged the primary metric '{controller.metric}'.")}}
        runs.set_status(step_run_id, final, only_from=ACTIVE_STATES, error=error)
        return StepResult(step["node_id"], step_run_id, final, error=error)
    outputs = dict(outputs_of.get(best) or {})
    if metrics_output and metrics_output in outputs and outputs[metrics_output].get("local_path"):
        folder = Path(outputs[metrics_output]["local_path"])
        folder.mkdir(parents=True, exist_ok=True)
        metrics = {c: _metrics(ws, c) for c in controller.finished}
        (folder / "metrics.json").write_text(json.dumps(metrics))
    runs.set_status(step_run_id, "Finalizing", only_from=RUNNING_STATES)
    result = StepResult(step["node_id"], step_run_id, "Completed", outputs=outputs, key=key)

    def complete() -> str:
        runs.set_status(step_run_id, "Completed", only_from=ACTIVE_STATES)
        return runs.status(step_run_id)

    result.upload = ctx.after_launches(_finalize_outputs, ctx, step, result, complete)
    return result


def _metrics(ws: object, run_id: str) -> dict:
    out: dict[str, list] = {}
    for name, _, value in ws._context.runs.metrics(run_id):  # type: ignore[attr-defined]
        out.setdefault(name, []).append(value)
    return out
