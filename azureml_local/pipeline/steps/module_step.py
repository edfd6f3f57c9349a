"""``ModuleStep``: one version of a ``Module`` as a pipeline step (``azureml.pipeline.steps.module_step``).

As in the SDK, the step's inputs and outputs are copies of the mapped data objects renamed to the
module's port names (``inputs_map`` / ``outputs_map``); an output's original object remembers its
copy (``_cloned_source``), so a later step mapping the same ``PipelineData`` as an input reads the
producing step's port. The version is resolved when the pipeline is built (``Module.resolve``).
"""
from __future__ import annotations

import copy
from typing import Any

from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.builder_io import is_data_reference
from azureml_local.pipeline.graph import PipelineParameter
from azureml_local.pipeline.steps.python_script_step import _environment_variables, _plain


class ModuleStep(PipelineStep):
    """Run a module version (``module`` + ``version``, or ``module_version``) with its ports wired."""

    def __init__(self, module: Any = None, version: str | None = None, module_version: Any = None,
                 inputs_map: dict | None = None, outputs_map: dict | None = None, compute_target: Any = None,
                 runconfig: Any = None, runconfig_pipeline_params: dict | None = None, arguments: list | None = None,
                 params: dict | None = None, name: str | None = None, _workflow_provider: Any = None):
        outputs_map = {} if outputs_map is None else outputs_map
        inputs_map = {} if inputs_map is None else inputs_map
        params = {} if params is None else params
        arguments = [] if arguments is None else arguments
        if module is None and module_version is None:
            raise ValueError("Exactly one of module or module_version is required but both are missing")
        if module is not None and module_version is not None:
            raise ValueError("Exactly one of module or module_version is required but both are provided")
        self._params = params
        self._runconfig_pipeline_params = runconfig_pipeline_params
        self._compute_target = runconfig.target if compute_target is None and runconfig is not None else compute_target
        self._runconfig = runconfig
        for arg in arguments:
            if isinstance(arg, PipelineParameter):
                if arg.name in self._params:
                    raise Exception("Parameter name {0} is already in use".format(arg.name))
                self._params[arg.name] = arg
        if module_version is not None:
            name = name if name is not None else module_version.module().name
            self._module, self._module_version, self._version = None, module_version, module_version.version
        else:
            name = name if name is not None else module.name
            self._module, self._module_version, self._version = module, None, version
        refs: dict[int, Any] = {}
        for key in list(inputs_map):
            original = inputs_map[key]
            inputs_map[key] = _clone(getattr(original, "_cloned_source", None) or original, key)
            refs[id(original)] = inputs_map[key]
        for key in list(outputs_map):
            original = outputs_map[key]
            clone = _clone(original, key)
            clone._output_name = key
            original._cloned_source = clone
            outputs_map[key] = clone
            refs[id(original)] = clone
        arguments = [refs.get(id(a), a) for a in arguments]
        self._module_wiring = {"inputs": inputs_map, "outputs": outputs_map}
        super().__init__(name, list(inputs_map.values()), list(outputs_map.values()), arguments=arguments)

    def _resolved(self) -> Any:
        if self._module_version is None:
            self._module_version = self._module.resolve(self._version)
        return self._module_version

    def _definition(self, ctx: Any) -> dict:
        version = self._resolved()
        d = version._entity["definition"]
        _check_wiring(self.name, d, self._module_wiring)
        if not self._arguments and d.get("arguments"):
            self._arguments = _version_arguments(d["arguments"], self._module_wiring)
        params: dict[str, Any] = {p["name"]: p["default_value"] for p in d["params"]
                                  if not p.get("is_metadata_param") and p["name"] != "Script"}
        for key, value in self._params.items():
            params[key] = {"parameter": value.name} if isinstance(value, PipelineParameter) else _plain(value)
        target = d.get("compute_target") if d["execution_type"] == "adlcloud" else self._compute_target
        return {
            "kind": self.step_type, "execution_type": d["execution_type"],
            "module": {"module_id": version.module_id, "module_version_id": version.module_version_id,
                       "version": version.version},
            "compute_target": ctx.compute_name(target),
            "source_directory": d.get("snapshot_dir") or d.get("source_directory"),
            "script_name": d.get("script_name"), "params": params, "adla": d.get("adla"),
            "runconfig": ctx.runconfig_dict(self._runconfig),
            "environment_variables": _environment_variables(self._runconfig),
            "timeout_seconds": getattr(self._runconfig, "max_run_duration_seconds", None),
            "allow_reuse": True, "version": version.version,
        }


def _clone(entity: Any, name: str) -> Any:
    clone = copy.copy(entity)
    if is_data_reference(entity):
        clone.data_reference_name = name
    else:
        clone._name = name
    return clone


def _check_wiring(step: str, definition: dict, wiring: dict) -> None:
    """Every mapped name is a port of the version; every required input port is mapped."""
    for kind in ("inputs", "outputs"):
        ports = [p["name"] for p in definition[kind]]
        for key in wiring[kind]:
            if key not in ports:
                raise ValueError("Step [{0}]: the module version has no {1} port named '{2}' (its {1} ports: {3})."
                                 .format(step, kind[:-1], key, ", ".join(ports) or "none"))
    for port in definition["inputs"]:
        if not port.get("is_optional") and port["name"] not in wiring["inputs"]:
            raise ValueError("Step [{0}]: the required input port '{1}' of the module version is not mapped in "
                             "inputs_map.".format(step, port["name"]))


def _version_arguments(annotated: list, wiring: dict) -> list:
    """The version's published arguments with its ports replaced by this step's wired data objects."""
    out: list = []
    for arg in annotated:
        if "input" in arg:
            out.append(wiring["inputs"][arg["input"]])
        elif "output" in arg:
            out.append(wiring["outputs"][arg["output"]])
        elif "parameter" in arg:
            out.append(PipelineParameter(arg["parameter"], arg.get("default")))
        else:
            out.append(arg["literal"])
    return out
