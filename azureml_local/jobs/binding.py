"""The one binder: a job spec's inputs, outputs and placeholders -> local paths, argv and environment.

Script runs and pipeline steps both go through :func:`bind_job` (before the process starts) and
:func:`finalize_outputs` (after it succeeded). Outputs become local folders: the spec's ``source`` /
``path_on_compute`` when given, else ``BindContext.output_root/<name>`` (a pipeline run's data folder)
or ``<working dir>/.azureml_outputs/<name>`` (a script run). A ``step_output`` input comes through
the data hand-off (``handoff.py``: the producer's folder in place, or a download from the datastore).
Datasets and datastore paths go through ``azureml_local.data.run_inputs`` (downloads cached by etag), the
data engine that works on plain values (definitions, datastore rows) and builds no SDK object: a tabular
input over a producer's output is handed to the script as the id of the saved TabularDataset definition.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from azureml_local.data import run_inputs, stores
from azureml_local.jobs import handoff
from azureml_local.jobs.arguments import Bindings, build_argv, build_env, step_param_env, substitute_text
from azureml_local.jobs.placeholders import DEFAULT_OUTPUT_PATH, PIPELINE_DATA_PATH, fill_path
from azureml_local.jobs.spec import validate


@dataclass
class BindContext:
    """What binding a job needs besides its spec.

    ``producers``: node id -> the producer's result (``outputs`` of bound output dicts and, for the
    datastore hand-off, an ``upload`` future), for ``step_output`` inputs.
    """

    ws: Any
    run_id: str
    parameters: dict = field(default_factory=dict)
    default_datastore: str | None = None
    output_root: Path | None = None
    producers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def datastore(self) -> str:
        return self.default_datastore or stores.default_name(self.ws)


def bind_job(bctx: BindContext, spec: dict, job: Any, work_dir: Path) -> dict[str, dict]:
    """Bind ``spec`` into ``job`` (a ScriptJob about to launch in ``work_dir``); returns the bound outputs."""
    validate(spec)
    b = Bindings(parameters=dict(bctx.parameters))
    b.step_params = step_param_env(spec, b)
    outputs = bind_outputs(bctx, spec, work_dir, b)
    bind_inputs(bctx, spec, work_dir, b)  # a relative path_on_compute is relative to the working dir
    command = spec.get("command")
    if command:
        job.command = substitute_text(command, b) if isinstance(command, str) else build_argv(command, b)
    else:
        job.arguments = build_argv(spec.get("arguments") or [], b)
    job.environment_variables.update(build_env(spec, b))
    return outputs


def bind_outputs(bctx: BindContext, spec: dict, work_dir: Path, b: Bindings) -> dict[str, dict]:
    """A local folder per output; returns ``{name: bound output}`` (what finalizing and consumers read)."""
    outputs: dict[str, dict] = {}
    for out in spec.get("outputs") or []:
        oname, kind = out["name"], out.get("kind", "output_file_dataset")
        local, _ = run_inputs.prepare_output(bctx.ws, out, bctx.run_id, work_dir, bctx.output_root)
        default_path = PIPELINE_DATA_PATH if kind == "pipeline_data" else DEFAULT_OUTPUT_PATH
        path = out.get("path") if kind == "datastore_path" else (out.get("path") or default_path)
        outputs[oname] = {"kind": kind, "local_path": local, "datastore": out.get("datastore") or bctx.datastore,
                          "path": fill_path(path or "", bctx.run_id, oname),
                          "tabular": out.get("tabular"), "register": out.get("register"),
                          "mode": out.get("mode", "mount"), "upload": _upload_options(out),
                          "partition_format": out.get("partition_format"),
                          "pipeline_output_name": out.get("pipeline_output_name")}
        if out.get("is_directory") is False:  # one file, written at <folder>/<name> (its consumers read that file)
            outputs[oname]["file"] = oname
            local = os.path.join(local, oname)
        b.outputs[oname] = local
        if kind == "output_file_dataset":
            b.file_dataset_outputs.add(oname)
    return outputs


def _upload_options(out: dict) -> dict | None:
    upload = out.get("upload") or out.get("upload_options")
    if upload is None and out.get("kind") == "datastore_path":
        return {"overwrite": bool(out.get("overwrite"))}
    return upload


def bind_inputs(bctx: BindContext, spec: dict, run_dir: Path, b: Bindings) -> None:
    """Bind every input; ``run_dir`` is the job's working directory (downloads go below it)."""
    ws = bctx.ws
    for inp in spec.get("inputs") or []:
        iname, kind, mode = inp["name"], inp.get("kind"), inp.get("mode") or "mount"
        b.input_modes[iname] = mode
        if kind == "step_output":
            producer = bctx.producers[inp["producer"]]
            out = producer.outputs[inp["output"]]
            tabular = inp.get("tabular") or out.get("tabular")
            if tabular:
                b.inputs[iname] = _tabular_input(ws, producer, out, tabular)
                b.input_modes[iname] = "direct"
            else:
                b.inputs[iname] = handoff.choose(out).fetch(ws, producer, out, run_dir / "inputs" / iname)
                if out.get("file"):
                    b.inputs[iname] = os.path.join(b.inputs[iname], out["file"])
            if out.get("kind") == "output_file_dataset" or tabular or inp.get("as_dataset"):
                b.dataset_inputs.add(iname)
        elif kind == "dataset":
            b.inputs[iname], extra_env = _dataset_input(bctx, inp, run_dir)
            b.extra_env.update({k: v for k, v in extra_env.items() if k != iname})
            b.dataset_inputs.add(iname)
        elif kind in ("datastore_path", "datapath_parameter"):
            if kind == "datapath_parameter":
                ds_name, path = run_inputs.resolve_datapath(bctx.parameters.get(inp["parameter"]))
            else:
                ds_name, path = inp.get("datastore"), inp.get("path") or ""
            reference = {"kind": "datastore_path", "name": iname, "datastore": ds_name or bctx.datastore,
                         "path": path, "mode": mode, "path_on_compute": inp.get("path_on_compute")}
            b.inputs[iname] = run_inputs.prepare_input(ws, reference, run_dir)[0]
        else:
            raise ValueError(f"Unknown input kind {kind!r} for input '{iname}'")


def dataset_source(parameters: Mapping[str, Any], inp: dict) -> Any:
    """What a dataset input consumes: the submitted dataset for a dataset PipelineParameter, else its own."""
    if inp.get("parameter") and inp["parameter"] in parameters:
        value = parameters[inp["parameter"]]
        if isinstance(value, dict) and (value.get("id") or value.get("name") or value.get("definition")):
            return value
    ds = inp.get("dataset") or {}
    return ds.get("data") if isinstance(ds.get("data"), dict) else ds


def _dataset_input(bctx: BindContext, inp: dict, run_dir: Path) -> tuple[str, dict]:
    """``(argv value, env)`` from the data layer: the dataset id (direct) or a local path (mount/download)."""
    config = {"name": inp["name"], "kind": "dataset", "mode": inp.get("mode") or "direct",
              "dataset": dataset_source(bctx.parameters, inp), "path_on_compute": inp.get("path_on_compute")}
    return run_inputs.prepare_input(bctx.ws, config, run_dir)


def _tabular_input(ws: Any, producer: Any, out: dict, tabular: dict) -> str:
    """A TabularDataset over the producer's output (needs the upload to have finished)."""
    if getattr(producer, "upload", None) is not None:
        producer.upload.result()
    return run_inputs.tabular_dataset_for_output(ws, out["datastore"], out["path"], tabular)


def finalize_outputs(ws: Any, outputs: Mapping[str, dict], run_id: str, lineage: bool = False) -> list[dict]:
    """Upload every bound output, register it when asked; with ``lineage``, the run's ``outputDatasets``.

    Stops at the first failure (a failed upload registers nothing).
    """
    entries = []
    for oname, out in outputs.items():
        result = run_inputs.finalize_output(ws, dict(out, name=oname), out["local_path"], run_id,
                                            dataset=lineage and out["kind"] != "datastore_path")
        if lineage and result.get("dataset_id"):
            entries.append({"identifier": {"savedId": result["dataset_id"]}, "outputType": "RunOutput",
                            "outputDetails": {"outputName": oname}, "dataset": {"id": result["dataset_id"]}})
    return entries
