"""Execute (or reuse) one step of a pipeline run as a child StepRun.

Order of work for a step: decide reuse from its key (docs/reuse.md) -> record the
child run -> bind inputs (producer folders read in place, data from datastores) and
output folders -> run the script in a working copy of its snapshot -> hand the
outputs to a background upload, which records the reuse entry once the data is
safely in the datastore.
"""
from __future__ import annotations

import json
import os
from typing import Any

from azureml_local.engine.execute import STD_LOG, log_paths, make_log_files, make_run_dirs
from azureml_local.jobs import binding
from azureml_local.pipeline import reuse
from azureml_local.data import run_inputs, stores
from azureml_local.pipeline.execution import ahead, executors
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.status import ACTIVE_STATES
from azureml_local.store.runs import error_dict

STEP_RUN_TYPE = "azureml.StepRun"
REUSED_STEP_RUN_TYPE = "azureml.ReusedStepRun"


def execute_step(ctx: PipelineContext, step: dict) -> StepResult:
    """Run one step to its end; never raises for the step's own failures (they become the result)."""
    ws = ctx.ws
    step_run_id = ahead.take_run_id(ctx, step["node_id"])
    node_id, name = step["node_id"], step.get("name") or step["node_id"]
    try:
        written = set(step.get("written_inputs") or ())  # inputs the step writes (a transfer's destination)
        key = reuse.compute_key(step, ctx.parameters,
                                lambda inp: _input_identity(ctx, inp, inp.get("name") not in written), ctx.reuse_mode)
        entry, reason = _decide(ctx, step, key)
    except Exception as exc:  # a broken input (missing datastore...) fails this step, not the pipeline process
        key, entry, reason = None, None, f"could not compute the reuse key: {exc}"
    tags = {"azureml.nodeid": node_id, "azureml.pipeline": ctx.pipeline_run_id}
    run_dir = ws._local_folder / "runs" / step_run_id
    if entry is not None:
        return _reuse(ctx, step, step_run_id, key, entry, reason, tags)
    # the run record and the step row in one transaction: a step row is only visible (get_children)
    # once its run exists, and neither exists without the other
    with ws._context.db.transaction():
        ws._context.runs.create_run(
            ctx.experiment_name, step_run_id, run_type=STEP_RUN_TYPE, parent_run_id=ctx.pipeline_run_id, name=name,
            display_name=name, tags=tags, target=step.get("compute_target") or "local", status="Queued",
            properties={"azureml.nodeid": node_id, "azureml.pipelinerunid": ctx.pipeline_run_id,
                        "StepType": step.get("kind", "PythonScriptStep")},
            definition={"node_id": node_id, "script": step.get("script_name")}, experiment_id=ctx.experiment_id)
        _insert_row(ctx, step, step_run_id, key, reason)
    _log(ws, step_run_id, f"Re-running step '{name}': {reason}.")
    try:
        return executors.executor_for(step)(ctx, step, step_run_id, run_dir, key)
    except Exception as exc:  # setup errors (bad data binding...) fail the step with a clear message
        import traceback

        _log(ws, step_run_id, "".join(traceback.format_exception(exc)))
        error = error_dict(f"Step '{name}' could not start: {exc}")
        ws._context.runs.set_status(step_run_id, "Failed", error=error, only_from=ACTIVE_STATES)
        return StepResult(node_id, step_run_id, "Failed", error=error)


def _insert_row(ctx: PipelineContext, step: dict, step_run_id: str, key: reuse.ReuseKey | None, reason: str,
                **values: Any) -> None:
    if key is not None:
        values.update(reuse_key=key.digest, fingerprint=key.fingerprint, key_parts=key.parts)
    ctx.ws._context.pipeline_runs.insert_step(step_run_id, ctx.pipeline_run_id, step["node_id"],
                                              step.get("name") or step["node_id"], reason=reason, **values)


# -- reuse ------------------------------------------------------------------------------
def _decide(ctx: PipelineContext, step: dict, key: reuse.ReuseKey) -> tuple[dict | None, str]:
    if ctx.regenerate_outputs:
        return None, "regenerate_outputs=True"
    if not step.get("allow_reuse", True):
        return None, "allow_reuse=False"
    entry = reuse.find_reusable(ctx.ws, key)
    if entry is not None and _outputs_available(ctx, entry["outputs"]):
        return entry, f"same step definition, parameters and inputs as step run {entry['step_run_id']}"
    if entry is not None:
        reuse.forget_run(ctx.ws, entry["step_run_id"])
        return None, f"the outputs of the matching step run {entry['step_run_id']} are gone"
    return None, reuse.explain(key, reuse.previous_parts(ctx.ws, step.get("name") or step["node_id"],
                                                         ctx.pipeline_run_id))


def _outputs_available(ctx: PipelineContext, outputs: dict) -> bool:
    for out in outputs.values():
        local = out.get("local_path")
        if local and os.path.isdir(local):
            continue
        try:
            store, container = stores.container_for(ctx.ws, out.get("datastore"))
            path = out["path"].strip("/")
            if next(iter(store.list_blobs(container, path + "/")), None) is None and not (
                    path and store.exists(container, path)):  # a folder, or one blob (a file transfer)
                return False
        except Exception:
            return False
    return True


def _reuse(ctx: PipelineContext, step: dict, step_run_id: str, key: reuse.ReuseKey, entry: dict,
           reason: str, tags: dict) -> StepResult:
    ws, name = ctx.ws, step.get("name") or step["node_id"]
    props = {"azureml.reusedrunid": entry["step_run_id"], "azureml.reusednodeid": entry["node_id"],
             "azureml.reusedpipeline": entry["pipeline_run_id"], "azureml.nodeid": step["node_id"],
             "azureml.pipeline": ctx.pipeline_run_id}
    ws._context.runs.create_run(ctx.experiment_name, step_run_id, run_type=REUSED_STEP_RUN_TYPE,
                                parent_run_id=ctx.pipeline_run_id, name=name, display_name=name,
                                tags={**tags, **props}, properties=props, status="Running",
                                target=step.get("compute_target") or "local")
    _log(ws, step_run_id, f"Reusing the outputs of step run {entry['step_run_id']} for step '{name}': {reason}.",
         link=True)
    _insert_row(ctx, step, step_run_id, key, reason, reused_run_id=entry["step_run_id"],
                reused_pipeline_run_id=entry["pipeline_run_id"], reused_node_id=entry["node_id"],
                outputs=entry["outputs"])
    ws._context.runs.set_status(step_run_id, "Completed", only_from=ACTIVE_STATES)
    return StepResult(step["node_id"], step_run_id, "Completed", outputs=entry["outputs"],
                      reused_from=entry["step_run_id"], key=key)


def _input_identity(ctx: PipelineContext, inp: dict, by_content: bool = True) -> Any:
    kind = inp.get("kind")
    content = by_content and ctx.reuse_mode == reuse.CONTENT
    if kind == "step_output":
        producer = ctx.results.get(inp["producer"])
        run_id = (producer.reused_from or producer.step_run_id) if producer else None
        return {"producer_run": run_id, "output": inp.get("output"), "mode": inp.get("mode")}
    if kind == "dataset":
        source = binding.dataset_source(ctx.parameters, inp)
        base = {"dataset": source, "mode": inp.get("mode")}
        return {**base, "content": run_inputs.dataset_identity(ctx.ws, source)} if content else base
    if kind == "datastore_path":
        base = {"datastore": inp.get("datastore"), "path": inp.get("path"), "mode": inp.get("mode")}
        return {**base, "content": run_inputs.datastore_path_identity(ctx.ws, inp.get("datastore") or
                                                      stores.default_name(ctx.ws), inp.get("path") or "")} \
            if content else base
    if kind == "datapath_parameter":
        ds_name, path = run_inputs.resolve_datapath(ctx.parameters.get(inp["parameter"]))
        base = {"datastore": ds_name, "path": path, "mode": inp.get("mode")}
        return {**base, "content": run_inputs.datastore_path_identity(ctx.ws, ds_name or stores.default_name(ctx.ws), path)} \
            if content else base
    return inp


def _log(ws: Any, run_id: str, line: str, link: bool = False) -> None:
    """A line of our own in the step's log (the engine appends the script's output after it and
    hard-links the driver log; ``link`` does that here for reused steps, which the engine never sees)."""
    if link:
        std_log = make_log_files(ws, run_id)[STD_LOG]
    else:
        std_log = log_paths(ws, run_id)[STD_LOG]
        make_run_dirs(ws, std_log.parent)
    with open(std_log, "a") as f:
        f.write(f"[azureml-local] {line}\n")


def load_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
