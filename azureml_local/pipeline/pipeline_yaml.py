"""``Pipeline.load_yaml``: the SDK's pipeline YAML format -> step objects (``docs/modules.md``).

The format is the SDK's (``pipeline:`` with ``description``, ``parameters`` of type string / int /
float / bool / datapath, ``data_references`` (datastore path or dataset), ``default_compute`` and
``steps``); steps of type ``ModuleStep``, ``PythonScriptStep`` and ``AdlaStep`` (also under the
legacy ``module:`` / ``python_script_step:`` / ``adla_step:`` keys) are built with the same
constructors a user would call, so they validate and run as written in Python. Messages are the SDK's.
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.pipeline.builder import PipelineData
from azureml_local.pipeline.graph import InputPortBinding, PipelineParameter

_log = logging.getLogger(__name__)
_LEGACY = {"ModuleStep": "module", "PythonScriptStep": "python_script_step", "AdlaStep": "adla_step"}
_OTHER_TYPES = ("ParallelRunStep", "DataTransferStep", "DatabricksStep", "AzureBatchStep")


def load_steps(workspace: Any, filename: str) -> tuple[list, str | None]:
    """``(steps, description)`` of a pipeline YAML file."""
    import yaml  # PyYAML: only when a pipeline is loaded from YAML

    with open(filename, "r") as f:
        document = yaml.safe_load(f) or {}
    if "pipeline" not in document:
        raise ValueError('Pipeline Yaml file must have a "pipeline:" section')
    section = document["pipeline"] or {}
    description = None
    if "name" in section:
        description = section["name"]
        _log.warning("Pipeline yaml parameter name is being deprecated. Use description instead.")
    description = section.get("description", description)
    parameters = _parameters(workspace, section)
    data_references = _data_references(workspace, section)
    default_compute = section.get("default_compute")
    if "steps" not in section:
        raise ValueError("Pipeline Yaml file must have at least one step defined")
    pipeline_data: dict[str, Any] = {}
    steps = [_step(workspace, name, step or {}, parameters, data_references, pipeline_data, default_compute)
             for name, step in section["steps"].items()]
    return steps, description


def _parameters(workspace: Any, section: dict) -> dict[str, PipelineParameter]:
    result = {}
    for name, spec in (section.get("parameters") or {}).items():
        if not isinstance(spec, dict) or "type" not in spec:
            raise ValueError("Parameter %s must specify a type of string, int, float, bool, or datapath" % name)
        kind, has_default = spec["type"], "default" in spec
        if kind == "string":
            default = str(spec["default"]) if has_default else None
        elif kind in ("int", "float", "bool"):
            cast = {"int": int, "float": float, "bool": bool}[kind]
            default = cast(spec["default"]) if has_default else cast()
        elif kind == "datapath":
            default = None
            if has_default:
                value = spec["default"] or {}
                if "datastore" not in value or "path_on_datastore" not in value:
                    raise ValueError("Default value for datapath parameter %s must specify datastore and "
                                     "path_on_datastore" % name)
                from azureml.data.datapath import DataPath
                from azureml.core import Datastore

                default = DataPath(datastore=Datastore(workspace, value["datastore"]),
                                   path_on_datastore=value["path_on_datastore"], name=value.get("name"))
        else:
            raise ValueError("Parameter type %s currently unsupported" % kind)
        result[name] = PipelineParameter(name=name, default_value=default)
    return result


def _data_references(workspace: Any, section: dict) -> dict[str, Any]:
    from azureml.core import Dataset, Datastore
    from azureml.data.data_reference import DataReference

    result: dict[str, Any] = {}
    for name, spec in (section.get("data_references") or {}).items():
        spec = spec or {}
        if "datastore" in spec and "path_on_datastore" in spec:
            result[name] = DataReference(datastore=Datastore(workspace, spec["datastore"]), data_reference_name=name,
                                         path_on_datastore=spec["path_on_datastore"])
        elif "datastore" in spec:
            raise ValueError("Unrecognized data reference type for data reference", name)
        elif "dataset_id" in spec or "dataset_name" in spec:
            if spec.get("dataset_name"):
                dataset = Dataset.get_by_name(workspace=workspace, name=spec["dataset_name"])
            elif spec.get("dataset_id"):
                dataset = Dataset.get_by_id(workspace=workspace, id=spec["dataset_id"])
            else:
                raise ValueError("You must either provide a dataset name or a dataset ID.")
            result[name] = dataset.as_named_input(name).as_mount()
        else:
            raise ValueError("Unrecognized data reference type for data reference", name)
    return result


def _inputs(step: dict, step_name: str, parameters: dict, data_references: dict, pipeline_data: dict) -> dict:
    from azureml.data.datapath import DataPath, DataPathComputeBinding

    inputs: dict[str, Any] = {}
    for name, spec in (step.get("inputs") or {}).items():
        spec = spec or {}
        if "source" not in spec:
            raise ValueError("Input %s for step %s must have a source assignment" % (name, step_name))
        source = spec["source"]
        mode = spec.get("bind_mode", spec.get("type", "mount"))
        if mode not in ("mount", "download"):
            raise ValueError("Input bind_mode/type %s for input %s in step %s must be mount or download"
                             % (mode, name, step_name))
        path_on_compute, overwrite = spec.get("path_on_compute"), spec.get("overwrite")
        if source in parameters and isinstance(parameters[source].default_value, DataPath):
            inputs[name] = (parameters[source], DataPathComputeBinding(mode=mode, path_on_compute=path_on_compute,
                                                                       overwrite=overwrite))
        elif source in data_references and type(data_references[source]).__name__ == "DatasetConsumptionConfig":
            inputs[name] = data_references[source]
        else:
            bound = data_references.get(source)
            if bound is None:
                bound = pipeline_data.setdefault(source, PipelineData(name=source))
            inputs[name] = InputPortBinding(name=name, bind_object=bound, bind_mode=mode,
                                            path_on_compute=path_on_compute, overwrite=overwrite)
    return inputs


def _outputs(workspace: Any, step: dict, step_name: str, pipeline_data: dict) -> dict:
    from azureml.core import Datastore

    outputs: dict[str, Any] = {}
    for name, spec in (step.get("outputs") or {}).items():
        spec = spec or {}
        if "destination" not in spec:
            raise ValueError("Output %s for step %s must have a destination assignment" % (name, step_name))
        destination = spec["destination"]
        datastore = Datastore(workspace, spec["datastore"]) if "datastore" in spec else None
        mode = spec.get("bind_mode", spec.get("type", "mount"))
        if mode not in ("mount", "upload"):
            raise ValueError("Output bind_mode/type %s for output %s in step %s must be mount or upload"
                             % (mode, name, step_name))
        data = pipeline_data.get(destination)
        if data is None:
            data = pipeline_data[destination] = PipelineData(name=destination, datastore=datastore, output_name=name,
                                                             output_mode=mode,
                                                             output_path_on_compute=spec.get("path_on_compute"),
                                                             output_overwrite=spec.get("overwrite"))
        else:  # consumed by an earlier step: now it has its producer's settings
            data._output_name, data._datastore, data._output_mode = name, datastore, mode
            data._output_path_on_compute, data._output_overwrite = spec.get("path_on_compute"), spec.get("overwrite")
        outputs[name] = data.as_dataset() if spec.get("as_dataset") else data
    return outputs


def _assignments(step: dict, key: str, step_name: str, parameters: dict, label: str) -> dict:
    result = {}
    for name, value in (step.get(key) or {}).items():
        if isinstance(value, dict) and "source" in value:
            if value["source"] not in parameters:
                raise ValueError("%s %s for step %s is assigned to source %s, which doesn't exist"
                                 % (label, name, step_name, value["source"]))
            result[name] = parameters[value["source"]]
        else:
            result[name] = value
    return result


def _step(workspace: Any, step_name: str, step: dict, parameters: dict, data_references: dict,
          pipeline_data: dict, default_compute: Any) -> Any:
    params = _assignments(step, "parameters", step_name, parameters, "Parameter")
    runconfig_params = _assignments(step, "runconfig_parameters", step_name, parameters, "Runconfig Parameter")
    compute = step.get("compute", default_compute)
    runconfig = None
    if "runconfig" in step:
        from azureml.core import RunConfiguration

        runconfig = RunConfiguration.load(step["runconfig"])
    inputs = _inputs(step, step_name, parameters, data_references, pipeline_data)
    outputs = _outputs(workspace, step, step_name, pipeline_data)
    arguments = []
    for arg in step.get("arguments") or []:
        arg = str(arg)
        if arg.startswith("input:") and arg[len("input:"):] in inputs:
            arguments.append(inputs[arg[len("input:"):]])
        elif arg.startswith("output:") and arg[len("output:"):] in outputs:
            arguments.append(outputs[arg[len("output:"):]])
        else:
            arguments.append(arg)
    kind = step.get("type")
    if kind is not None and not isinstance(kind, str):
        raise ValueError("step_type for step %s must be a string" % step_name)
    if kind is None:
        kind = next((k for k, legacy in _LEGACY.items() if legacy in step), None)
        if kind is not None:
            _log.warning("%s is being deprecated. Use type instead." % _LEGACY[kind])
    section = step if step.get("type") else step.get(_LEGACY.get(kind or "", ""), {}) or {}
    if kind == "ModuleStep":
        from azureml.pipeline.core.module import Module
        from azureml.pipeline.steps import ModuleStep

        if "id" not in section and "name" not in section:
            raise ValueError("Step %s does not contain a module ID or name (one must be specified)" % step_name)
        for key, label in (("id", "Module ID"), ("name", "Module name"), ("version", "Module version")):
            if section.get(key) and not isinstance(section[key], str):
                raise ValueError("%s for step %s must be a string" % (label, step_name))
        module = Module.get(workspace, module_id=section.get("id"), name=section.get("name"))
        return ModuleStep(module=module, version=section.get("version"), inputs_map=inputs, outputs_map=outputs,
                          compute_target=compute, runconfig=runconfig, runconfig_pipeline_params=runconfig_params,
                          arguments=arguments, params=params, name=step_name)
    common = _common(section, _LEGACY.get(kind or "", ""))
    if kind == "PythonScriptStep":
        from azureml.pipeline.steps import PythonScriptStep

        return PythonScriptStep(script_name=common["script_name"], name=common["name"], arguments=arguments,
                                compute_target=compute, runconfig=runconfig,
                                runconfig_pipeline_params=runconfig_params, inputs=list(inputs.values()),
                                outputs=list(outputs.values()), params=params,
                                source_directory=common["source_directory"], allow_reuse=common["allow_reuse"],
                                version=common["version"], hash_paths=common["hash_paths"])
    if kind == "AdlaStep":
        from azureml.pipeline.steps import AdlaStep

        return AdlaStep(script_name=common["script_name"], name=common["name"], compute_target=compute,
                        inputs=list(inputs.values()), outputs=list(outputs.values()), params=params,
                        degree_of_parallelism=common["degree_of_parallelism"], priority=common["priority"],
                        runtime_version=common["runtime_version"], source_directory=common["source_directory"],
                        hash_paths=common["hash_paths"], allow_reuse=common["allow_reuse"], version=common["version"])
    if kind in _OTHER_TYPES:
        raise ValueError("Step %s: steps of type %s in a pipeline YAML are not supported by azureml-local's "
                         "Pipeline.load_yaml (ModuleStep, PythonScriptStep and AdlaStep are); build this step in "
                         "Python and add it to the Pipeline." % (step_name, kind))
    raise ValueError("Step %s has no known type: set type: ModuleStep, PythonScriptStep or AdlaStep" % step_name)


def _common(section: dict, step_type: str) -> dict:
    """The SDK's common step keys, type-checked with its messages."""
    def string(key: str) -> Any:
        value = section.get(key)
        if value and not isinstance(value, str):
            raise ValueError("%s for step %s must be a string" % (key, step_type))
        return value

    def integer(key: str) -> Any:
        value = section.get(key)
        if value and not isinstance(value, int):
            raise ValueError("%s for step %s must be a integer" % (key, step_type))
        return value

    if step_type in ("adla_step", "python_script_step") and "script_name" not in section:
        raise ValueError("Step %s does not contain a script name " % step_type)
    allow_reuse = section.get("allow_reuse", True)
    if allow_reuse and not isinstance(allow_reuse, bool):
        raise ValueError("allow_reuse for step %s must be a bool" % step_type)
    hash_paths = section.get("hash_paths")
    return {"script_name": string("script_name"), "name": string("name"), "version": string("version"),
            "runtime_version": string("runtime_version"), "priority": integer("priority"),
            "degree_of_parallelism": integer("degree_of_parallelism"),
            "source_directory": string("source_directory"), "allow_reuse": allow_reuse,
            "hash_paths": list(hash_paths) if hash_paths else None}
