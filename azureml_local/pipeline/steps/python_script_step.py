"""``PythonScriptStep``: run a script from a source directory as one pipeline step.

Construction follows the SDK's ``_PythonScriptStepBase`` (param handling, implicit
pipeline parameters, port-name collision fix); ``_definition`` says what the
executor needs: script (or command), snapshot of the source directory, params as
``AML_PARAMETER_*`` variables, compute target and run configuration.
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.graph import PipelineParameter

_log = logging.getLogger(__name__)
# Runconfig properties a PipelineParameter may set (SDK _ModuleParameterProvider); the rest of the
# names the SDK knows are valid but fixed.
PARAMETERIZABLE_RUNCONFIG = ("NodeCount", "MpiProcessCountPerNode", "TensorflowWorkerCount",
                             "TensorflowParameterServerCount")
_RUNCONFIG_PROPERTIES = PARAMETERIZABLE_RUNCONFIG + (
    "Target", "Framework", "Communicator", "Script", "Command", "Arguments", "AutoPrepareEnvironment",
    "PrepareEnvironment", "BaseDockerImage", "DockerEnabled", "DockerArguments", "RunConfiguration", "JobName",
    "MaxRunDurationSeconds", "EnvironmentVariables", "InterpreterPath", "SharedVolumes", "ShmSize", "GpuSupport")


class _PythonScriptStepBase(PipelineStep):
    """Shared by PythonScriptStep, CommandStep and EstimatorStep (a script or a command)."""

    _execution_type = "escloud"

    def __init__(self, script_name: str | None = None, name: str | None = None, arguments: list | None = None,
                 compute_target: Any = None, runconfig: Any = None, runconfig_pipeline_params: dict | None = None,
                 inputs: list | None = None, outputs: list | None = None, params: dict | None = None,
                 source_directory: str | None = None, allow_reuse: bool = True, version: str | None = None,
                 hash_paths: list | None = None, command: Any = None):
        params = {} if params is None else dict(params)
        if name is None:
            name = script_name
        if not script_name and not command:
            raise ValueError("script_name is required")
        if script_name and not isinstance(script_name, str):
            raise ValueError("script_name must be a string")
        if hash_paths:
            _log.warning("Parameter 'hash_paths' is deprecated, will be removed. "
                         "All files under source_directory are hashed "
                         "except files listed in .amlignore or .gitignore.")
        self._source_directory = source_directory
        self._script_name = script_name
        self._command = command
        self._compute_target = getattr(runconfig, "target", None) if compute_target is None and runconfig is not None \
            else compute_target
        self._runconfig = runconfig
        self._runconfig_pipeline_params = runconfig_pipeline_params
        self._allow_reuse = allow_reuse
        self._version = version
        for pname, value in (runconfig_pipeline_params or {}).items():
            if pname in params:
                raise ValueError("Duplicate parameter {0} in params and runconfig_pipeline_params "
                                 "parameters".format(pname))
            if not isinstance(value, PipelineParameter):
                raise ValueError("Invalid type ({0}) for parameter {1}. Expected type is PipelineParameter"
                                 .format(type(value).__name__, pname))
            if pname not in _RUNCONFIG_PROPERTIES:
                raise ValueError("Runconfig property name {0} is not valid".format(pname))
            if pname not in PARAMETERIZABLE_RUNCONFIG:
                raise ValueError("Runconfig property {0} is not parameterizable".format(pname))
        for arg in arguments or []:  # implicit parameters become step params too (env vars)
            if isinstance(arg, PipelineParameter):
                if arg.name in params and params[arg.name] is not arg:
                    raise Exception("Parameter name {0} is already in use".format(arg.name))
                params[arg.name] = arg
        self._params = params
        super().__init__(name, inputs, outputs, arguments, fix_port_name_collisions=True)

    # -- definition ---------------------------------------------------------------------------
    def _definition(self, ctx: Any) -> dict:
        if self._command:
            source_directory = ctx.existing_directory(self._source_directory)
        else:
            source_directory = ctx.script_directory(self.name, self._source_directory, self._script_name)
        params = {}
        for key, value in self._params.items():
            params[key] = {"parameter": value.name} if isinstance(value, PipelineParameter) else _plain(value)
        runconfig = ctx.runconfig_dict(self._runconfig)
        definition = {
            "kind": self.step_type,
            "compute_target": ctx.compute_name(self._compute_target),
            "source_directory": source_directory,
            "script_name": self._script_name,
            "params": params,
            "runconfig": runconfig,
            "runconfig_pipeline_params": {k: v.name for k, v in (self._runconfig_pipeline_params or {}).items()},
            "environment_variables": _environment_variables(self._runconfig),
            "timeout_seconds": getattr(self._runconfig, "max_run_duration_seconds", None),
            "allow_reuse": bool(self._allow_reuse),
            "version": self._version,
            "execution_type": self._execution_type,
        }
        if self._command:
            definition["command"] = [self._command] if isinstance(self._command, str) else list(self._command)
        return definition


def _environment_variables(runconfig: Any) -> dict:
    """The environment's variables, then ``runconfig.environment_variables`` (what the job runtime exports)."""
    environment = getattr(runconfig, "environment", None)
    variables = dict(getattr(environment, "_environment_variables", None) or {})
    variables.update(getattr(runconfig, "environment_variables", None) or {})
    return {str(k): str(v) for k, v in variables.items()}


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


class PythonScriptStep(_PythonScriptStepBase):
    """Run a Python script (``script_name`` in ``source_directory``) as a pipeline step."""

    def __init__(self, script_name: str, name: str | None = None, arguments: list | None = None,
                 compute_target: Any = None, runconfig: Any = None, runconfig_pipeline_params: dict | None = None,
                 inputs: list | None = None, outputs: list | None = None, params: dict | None = None,
                 source_directory: str | None = None, allow_reuse: bool = True, version: str | None = None,
                 hash_paths: list | None = None):
        super().__init__(script_name=script_name, name=name, arguments=arguments, compute_target=compute_target,
                         runconfig=runconfig, runconfig_pipeline_params=runconfig_pipeline_params, inputs=inputs,
                         outputs=outputs, params=params, source_directory=source_directory,
                         allow_reuse=allow_reuse, version=version, hash_paths=hash_paths)
