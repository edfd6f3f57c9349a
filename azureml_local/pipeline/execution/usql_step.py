"""The executor of ``AdlaStep``: the step's U-SQL script on the local U-SQL engine, in this process.

The step's data is bound like a script step's (``jobs/binding.py``: inputs to local paths, outputs to
local folders); ``@@name@@`` in the script becomes those paths and the ``params`` values (the SDK's
templating), the script is translated whole (a construct outside the subset fails the step, naming
it and its line, before anything is written), then run on DuckDB. Outputs are published like a
script step's. What is emulated is said in the step's log: no Data Lake Analytics job is submitted.
"""
from __future__ import annotations

import traceback
from pathlib import Path

from azureml_local.engine.execute import DRIVER_LOG, STD_LOG, make_log_files
from azureml_local.jobs import binding
from azureml_local.jobs.arguments import Bindings
from azureml_local.jobs.placeholders import param_text
from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.script_step import _finalize_outputs, _snapshot_dir
from azureml_local.runs import artifacts
from azureml_local.status import ACTIVE_STATES
from azureml_local.store.runs import error_dict
from azureml_local.usql import UsqlError
from azureml_local.usql.run import run_script, substitute


def run_usql_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                  key: reuse.ReuseKey | None) -> StepResult:
    ws = ctx.ws
    runs = ws._context.runs
    name = step.get("name") or step["node_id"]
    if ctx.cancel.is_set():
        runs.set_status(step_run_id, "Canceled", only_from=ACTIVE_STATES)
        return StepResult(step["node_id"], step_run_id, "Canceled")
    logs = make_log_files(ws, step_run_id)
    runs.set_status(step_run_id, "Running", only_from=ACTIVE_STATES, start=True)
    outputs: dict[str, dict] = {}
    with open(logs[STD_LOG], "a") as log_file:
        def log(line: str) -> None:
            log_file.write(f"[usql] {line}\n")
            log_file.flush()

        adla = step.get("adla") or {}
        log(f"AdlaStep '{name}' runs locally: {step.get('script_name')} is translated to DuckDB SQL and run on "
            f"this machine (emulated; no job is submitted to Data Lake Analytics account "
            f"'{adla.get('AnalyticsAccountName')}'; degree_of_parallelism, priority and runtime_version are recorded "
            "only). See docs/usql.md for the supported subset.")
        error = None
        try:
            values, outputs = _bind(ctx, step, step_run_id, run_dir)
            script = _read_script(ctx, step)
            run_script(substitute(script, values), log)
        except UsqlError as exc:
            error = error_dict(f"Step '{name}': {exc}", code="UserError")
            log(str(exc))
        except Exception as exc:  # binding errors, unreadable script...
            error = error_dict(f"Step '{name}' failed: {exc}", code="UserError")
            log("".join(traceback.format_exception(exc)))
    try:
        artifacts.upload_paths(ws, step_run_id, [(STD_LOG, str(logs[STD_LOG]))])
        artifacts.alias(ws, step_run_id, DRIVER_LOG, STD_LOG)
    except Exception:  # noqa: BLE001 - the step still gets its status
        pass
    if error is not None:
        runs.set_status(step_run_id, "Failed", error=error, only_from=ACTIVE_STATES)
        ws._context.pipeline_runs.update_step(step_run_id, outputs={})
        return StepResult(step["node_id"], step_run_id, "Failed", error=error)
    result = StepResult(step["node_id"], step_run_id, "Completed", outputs=outputs, key=key)
    result.upload = ctx.after_launches(_finalize_and_complete, ctx, step, result)
    return result


def _finalize_and_complete(ctx: PipelineContext, step: dict, result: StepResult) -> None:
    _finalize_outputs(ctx, step, result)
    ctx.ws._context.runs.set_status(result.step_run_id, "Completed", only_from=ACTIVE_STATES)


def _bind(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path) -> tuple[dict, dict]:
    """``({template name: value}, bound outputs)``: inputs and outputs as local paths, params as text."""
    bctx = binding.BindContext(ctx.ws, step_run_id, dict(ctx.parameters), ctx.default_datastore,
                               ctx.run_root / "data" / step_run_id, ctx.results)
    b = Bindings(parameters=dict(bctx.parameters))  # run_dir exists: make_log_files made its logs/
    outputs = binding.bind_outputs(bctx, step, run_dir, b)
    binding.bind_inputs(bctx, step, run_dir, b)
    values: dict[str, str] = {}
    for key, value in (step.get("params") or {}).items():
        if isinstance(value, dict) and "parameter" in value:
            value = b.parameters.get(value["parameter"])
        values[key] = param_text(value)
    values.update(b.inputs)
    values.update(b.outputs)
    return values, outputs


def _read_script(ctx: PipelineContext, step: dict) -> str:
    folder = _snapshot_dir(ctx, step) or Path(step.get("source_directory") or ".")
    return (Path(folder) / step["script_name"]).read_text(encoding="utf-8-sig")
