"""Serialise a step's inputs, outputs and arguments into the definition's port dicts.

See ``docs/pipeline-definition.md`` for the shapes. ``Graph`` node ids resolve the
producer of each ``step_output`` input.
"""
from __future__ import annotations

from typing import Any

from azureml_local.jobs.placeholders import (
    DATAREFERENCE_TEMPLATE, DEFAULT_OUTPUT_PATH, INPUT_TEMPLATE, OUTPUT_TEMPLATE, PIPELINE_DATA_PATH, placeholder_name,
)
from azureml_local.pipeline.builder_args import input_port_name, output_port_name
from azureml_local.pipeline.builder_io import (
    datastore_name, is_a, is_consumption, is_data_reference, is_dataset, is_output_config,
    is_port_data_reference, is_tabular_output_config,
)
from azureml_local.pipeline.graph import InputPortBinding, PipelineParameter, _PipelineIO, datapath_datastore_name


def data_payload(obj: Any) -> Any:
    """The data engineer's ``_to_definition()`` of a data object, when it has one."""
    to_def = getattr(obj, "_to_definition", None)
    if not callable(to_def):
        return None
    return to_def()


def dataset_info(dataset: Any, ws: Any) -> dict:
    """Identity of a registered (or saved-on-use) dataset."""
    ensure = getattr(dataset, "_ensure_saved", None)
    if callable(ensure) and ws is not None:  # also URL-only datasets, whose id exists before any save
        ensure(ws)
    kind = "tabular" if is_a(dataset, "TabularDataset") else "file"
    return {"id": getattr(dataset, "id", None), "name": getattr(dataset, "name", None),
            "version": getattr(dataset, "version", None), "type": kind, "data": data_payload(dataset)}


def tabular_spec(obj: Any) -> dict | None:
    """How an output becomes a TabularDataset for its consumer (None for file data)."""
    if is_a(obj, "PipelineOutputAbstractDataset"):
        return obj._tabular()
    if not is_tabular_output_config(obj):
        return None
    for attr in ("_tabular_spec", "_transformations", "_additional_transformations"):
        spec = getattr(obj, attr, None)
        if isinstance(spec, dict):
            return dict(spec)
    payload = data_payload(obj)
    if isinstance(payload, dict) and isinstance(payload.get("tabular"), dict):
        return payload["tabular"]
    return {"format": "delimited"}


def input_def(value: Any, ws: Any, producers: dict[str, str], producer_outputs: dict[str, str] | None = None) -> dict:
    """One entry of ``inputs``."""
    name = input_port_name(value)
    mode, path_on_compute, overwrite = "mount", None, None
    source = value
    if isinstance(value, InputPortBinding):
        mode, path_on_compute, overwrite = value.bind_mode, value.path_on_compute, value.overwrite
        source = value.bind_object
    if is_a(source, "PipelineOutputAbstractDataset"):
        mode, path_on_compute = source._input_mode, source._input_path_on_compute
    base = {"name": name, "mode": mode, "path_on_compute": path_on_compute, "overwrite": overwrite}
    if name in producers:
        target = source.dataset if is_consumption(source) else source
        if is_consumption(source):
            base.update(mode=source.mode, path_on_compute=source.path_on_compute)
        output = (producer_outputs or {}).get(name) or (
            target.name if is_output_config(target) else target._output_name)
        tabular = tabular_spec(target)
        return dict(base, kind="step_output", producer=producers[name], output=output,
                    as_dataset=bool(is_a(source, "PipelineOutputAbstractDataset") or is_consumption(source)),
                    tabular=tabular)
    if is_consumption(source):
        base.update(mode=source.mode, path_on_compute=source.path_on_compute)
        if isinstance(source.dataset, PipelineParameter):
            default = source.dataset.default_value
            return dict(base, kind="dataset", parameter=source.dataset.name, dataset=dataset_info(default, ws))
        return dict(base, kind="dataset", dataset=dataset_info(source.dataset, ws))
    if is_port_data_reference(source):
        source = getattr(source, "_data_reference", source)
    if is_data_reference(source):
        if not isinstance(value, InputPortBinding):
            base.update(mode=source.mode, path_on_compute=source.path_on_compute, overwrite=source.overwrite)
        return dict(base, kind="datastore_path", datastore=datastore_name(source.datastore),
                    path=source.path_on_datastore or "", data=data_payload(source))
    if isinstance(source, _PipelineIO):
        binding = source._datapath_compute_binding
        base.update(mode=getattr(binding, "_mode", "mount"), path_on_compute=getattr(binding, "_path_on_compute", None),
                    overwrite=getattr(binding, "_overwrite", False))
        datapath = source._datapath if source._datapath is not None else source._datapath_param.default_value
        entry = dict(base, kind="datastore_path", datastore=datapath_datastore_name(datapath),
                     path=getattr(datapath, "path_on_datastore", None) or "")
        if source.datapath_param_name:
            entry.update(kind="datapath_parameter", parameter=source.datapath_param_name)
        return entry
    raise ValueError("Unexpected input type: %s" % type(value))


def output_def(value: Any, default_datastore: str) -> dict:
    """One entry of ``outputs``."""
    name = output_port_name(value)
    if is_output_config(value):
        file_cfg = getattr(value, "_output_file_dataset_config", None) if is_tabular_output_config(value) else value
        file_cfg = file_cfg if file_cfg is not None else value
        destination = getattr(file_cfg, "destination", None)
        store, path = (destination[0], destination[1]) if destination else (None, DEFAULT_OUTPUT_PATH)
        upload = getattr(value, "_upload_options", None) or getattr(file_cfg, "_upload_options", None)
        registration = getattr(value, "_registration", None)
        return {
            "name": name, "kind": "output_file_dataset",
            "datastore": datastore_name(store, default_datastore), "path": (path or DEFAULT_OUTPUT_PATH).lstrip("/"),
            "mode": getattr(value, "mode", None) or "mount", "source": getattr(file_cfg, "source", None),
            "upload": None if upload is None else {"overwrite": bool(getattr(upload, "overwrite", False)),
                                                    "source_globs": _globs(getattr(upload, "source_globs", None))},
            "partition_format": getattr(file_cfg, "_partition_format", None),
            "tabular": tabular_spec(value),
            "register": None if registration is None else {
                "name": registration.name, "description": getattr(registration, "description", None),
                "tags": dict(getattr(registration, "tags", None) or {}), "create_new_version": True},
            "data": data_payload(value),
        }
    pipeline_data = value._pipeline_data if is_a(value, "PipelineOutputAbstractDataset") else value
    register = None
    if is_a(value, "PipelineOutputAbstractDataset") and value._registration_name:
        register = {"name": value._registration_name, "description": None, "tags": {},
                    "create_new_version": bool(value._create_new_version)}
    mode = getattr(pipeline_data, "_output_mode", None) or getattr(pipeline_data, "bind_mode", "mount")
    return {
        "name": name, "kind": "pipeline_data",
        "datastore": datastore_name(pipeline_data.datastore, default_datastore), "path": PIPELINE_DATA_PATH,
        "mode": mode, "path_on_compute": getattr(pipeline_data, "_output_path_on_compute", None)
        or getattr(pipeline_data, "path_on_compute", None),
        "overwrite": getattr(pipeline_data, "_output_overwrite", None),
        "pipeline_output_name": getattr(pipeline_data, "_pipeline_output_name", None),
        # is_directory=False: the step writes one file at its output path (docs/modules.md)
        "is_directory": getattr(pipeline_data, "_is_directory", getattr(pipeline_data, "is_directory", None)),
        "as_dataset": is_a(value, "PipelineOutputAbstractDataset") or bool(
            getattr(pipeline_data, "_is_output_promoted_to_dataset", False)),
        "tabular": None, "register": register,
    }


def _globs(globs: Any) -> list | None:
    if globs is None:
        return None
    return [globs] if isinstance(globs, str) else list(globs)


def annotate_arguments(step: Any, input_defs: list[dict], output_defs: list[dict]) -> tuple[list[dict], list[str]]:
    """``(definition arguments, SDK annotated texts)`` for a step's processed argument list."""
    inputs_by_obj = {id(v): input_port_name(v) for v in step._inputs}
    bound = {id(v.bind_object): v.name for v in step._inputs if isinstance(v, InputPortBinding)}
    input_names = {d["name"] for d in input_defs}
    output_names = {d["name"] for d in output_defs}
    params = getattr(step, "_params", {}) or {}
    result: list[dict] = []
    texts: list[str] = []
    for arg in step._arguments:
        entry: dict
        if isinstance(arg, str):
            entry, text = _annotate_text(arg, input_names, output_names, params), arg
        elif isinstance(arg, PipelineParameter):
            entry = {"input": arg.name} if is_dataset(arg.default_value) else {"parameter": arg.name}
            text = "parameter:{0}".format(arg.name)
        elif id(arg) in inputs_by_obj or id(arg) in bound:
            name = inputs_by_obj.get(id(arg)) or bound[id(arg)]
            entry, text = {"input": name}, "input:" + name
        elif is_a(arg, "PipelineData", "OutputPortBinding"):
            entry, text = {"output": arg._output_name}, "output:" + arg._output_name
        elif isinstance(arg, (InputPortBinding, _PipelineIO)) or is_data_reference(arg):
            name = input_port_name(arg)
            entry, text = {"input": name}, "input:" + name
        else:
            text = literal_text(arg)
            entry = {"literal": text}
        result.append(entry)
        texts.append(text)
    return result, texts


def literal_text(arg: Any) -> str:
    """``str(arg)`` of a literal step argument; the SDK's ``ValueError`` when that raises."""
    try:
        return str(arg)
    except Exception as exc:
        raise ValueError("%s is not a valid type for argument" % type(arg)) from exc


def _annotate_text(arg: str, inputs: set, outputs: set, params: dict) -> dict:
    for template, kind, names in ((INPUT_TEMPLATE, "input", inputs), (OUTPUT_TEMPLATE, "output", outputs)):
        name = placeholder_name(arg, template)
        if name in names:
            return {kind: name}
    name = placeholder_name(arg, DATAREFERENCE_TEMPLATE)
    if name is not None:
        if name in inputs:
            return {"input": name}
        if name in outputs:
            return {"output": name}
    if arg.startswith("parameter:") and arg[len("parameter:"):] in params:
        value = params[arg[len("parameter:"):]]
        if isinstance(value, PipelineParameter):
            return {"parameter": value.name}
        return {"literal": str(value)}
    return {"literal": arg}
