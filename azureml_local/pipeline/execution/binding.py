"""Binding a step's data: local output folders, input values, the command line.

Outputs become folders under the pipeline run's root (``runs/<pipeline run>/data/<step run>/<name>``)
unless the step names its own ``source`` / ``path_on_compute``. A ``step_output`` input is the
producer's local folder, read in place (no download, no wait for the upload); it is downloaded only
when that folder is gone (a reused run from long ago). Datasets and datastore paths go through
``azureml_local.data.run_inputs`` (downloads cached by etag).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from azureml_local.pipeline.execution import data
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.invocation import Bindings, build_argv


def fill_path(template: str, run_id: str, output_name: str) -> str:
    return template.replace("{run-id}", run_id).replace("{output-name}", output_name).strip("/")


def bind_outputs(ctx: PipelineContext, step: dict, step_run_id: str, work_dir: Path, b: Bindings) -> dict:
    outputs: dict[str, dict] = {}
    for out in step.get("outputs") or []:
        oname, kind = out["name"], out.get("kind", "output_file_dataset")
        default_path = "azureml/{run-id}/{output-name}" if kind == "pipeline_data" else "dataset/{run-id}/{output-name}"
        if out.get("source"):
            local = (work_dir / out["source"]).resolve()
        elif out.get("path_on_compute"):
            local = (work_dir / out["path_on_compute"]).resolve()
        else:
            local = ctx.run_root / "data" / step_run_id / oname
        local.mkdir(parents=True, exist_ok=True)
        outputs[oname] = {"kind": kind, "local_path": str(local),
                          "datastore": out.get("datastore") or ctx.default_datastore or data.default_datastore_name(ctx.ws),
                          "path": fill_path(out.get("path") or default_path, step_run_id, oname),
                          "tabular": out.get("tabular"), "register": out.get("register"),
                          "mode": out.get("mode", "mount"), "upload": out.get("upload"),
                          "pipeline_output_name": out.get("pipeline_output_name")}
        b.outputs[oname] = str(local)
        if kind == "output_file_dataset":
            b.file_dataset_outputs.add(oname)
    return outputs


def bind_inputs(ctx: PipelineContext, step: dict, run_dir: Path, b: Bindings) -> None:
    """Bind every input; ``run_dir`` is the step's working directory (downloads go below it)."""
    for inp in step.get("inputs") or []:
        iname, kind, mode = inp["name"], inp.get("kind"), inp.get("mode") or "mount"
        b.input_modes[iname] = mode
        if kind == "step_output":
            producer = ctx.results[inp["producer"]]
            out = producer.outputs[inp["output"]]
            local = out.get("local_path")
            if not local or not os.path.isdir(local):  # reused from a run whose local folder is gone
                local = str(data.download_prefix(ctx.ws, out["datastore"], out["path"], run_dir / "inputs" / iname))
            tabular = inp.get("tabular") or out.get("tabular")
            if tabular:
                b.inputs[iname] = _tabular_input(ctx, producer, out, tabular)
                b.input_modes[iname] = "direct"
            else:
                b.inputs[iname] = local
            if out.get("kind") == "output_file_dataset" or tabular or inp.get("as_dataset"):
                b.dataset_inputs.add(iname)
        elif kind == "dataset":
            b.inputs[iname], extra_env = _dataset_input(ctx, inp, run_dir)
            b.extra_env.update({k: v for k, v in extra_env.items() if k != iname})
            b.dataset_inputs.add(iname)
        elif kind in ("datastore_path", "datapath_parameter"):
            if kind == "datapath_parameter":
                ds_name, path = data.resolve_datapath(ctx.parameters.get(inp["parameter"]))
            else:
                ds_name, path = inp.get("datastore"), inp.get("path") or ""
            ds_name = ds_name or ctx.default_datastore or data.default_datastore_name(ctx.ws)
            b.inputs[iname] = data.prepare_reference(ctx.ws, iname, ds_name, path, mode, inp.get("path_on_compute"),
                                                     run_dir)
        else:
            raise ValueError(f"Unknown input kind {kind!r} for input '{iname}'")


def dataset_source(ctx: PipelineContext, inp: dict) -> Any:
    """What a dataset input consumes: the submitted dataset for a dataset PipelineParameter, else its own."""
    if inp.get("parameter") and inp["parameter"] in ctx.parameters:
        value = ctx.parameters[inp["parameter"]]
        if isinstance(value, dict) and (value.get("id") or value.get("name") or value.get("definition")):
            return value
    ds = inp.get("dataset") or {}
    return ds.get("data") if isinstance(ds.get("data"), dict) else ds


def _dataset_input(ctx: PipelineContext, inp: dict, run_dir: Path) -> tuple[str, dict]:
    """``(argv value, env)`` from the data layer: the dataset id (direct) or a local path (mount/download)."""
    from azureml_local.data import run_inputs

    config = {"name": inp["name"], "mode": inp.get("mode") or "direct", "dataset": dataset_source(ctx, inp),
              "path_on_compute": inp.get("path_on_compute")}
    return run_inputs.prepare_input(ctx.ws, config, run_dir)


def _tabular_input(ctx: PipelineContext, producer: StepResult, out: dict, tabular: dict) -> str:
    """A TabularDataset over the producer's output (needs the upload to have finished)."""
    if producer.upload is not None:
        producer.upload.result()
    from azureml_local.data import run_inputs

    return run_inputs.tabular_dataset_for_output(ctx.ws, out["datastore"], out["path"], tabular)


def command(step: dict, b: Bindings) -> list[str]:
    if step.get("command"):
        command = step["command"]
        if isinstance(command, str):
            return ["/bin/sh", "-c", command]
        return build_argv(command, b)
    script = step.get("script_name")
    if not script:
        raise ValueError(f"Step '{step.get('name')}' has neither script_name nor command.")
    return [sys.executable, script, *build_argv(step.get("arguments") or [], b)]
