"""``azureml.core.ScriptRunConfig`` and its submit function.

Submitting snapshots the source directory (content-addressed), rewrites data
objects in the arguments the SDK's way (``DatasetConsumptionConfig:<name>`` /
``DatasetOutputConfig:<name>``) for the run definition, compiles the run into a
one-step JSON job spec (``azureml_local.jobs.spec``: the data objects become the
input/output dicts a pipeline step has), records the run as Queued and wakes the
workspace runner, then returns at once. The runner's ``azureml.scriptrun``
handler (``jobs/runner.py``) executes the spec through the same binder as
pipeline steps.
"""
from __future__ import annotations

import copy
import logging
import os
import shlex
import sys
from typing import Any

from azureml_local.exceptions import (ExperimentExecutionException, RunConfigurationException,
                                      UserErrorException)
from azureml_local.environment import Environment
from azureml_local.experiment import Experiment
from azureml_local.jobs import spec as job_spec
from azureml_local.jobs.placeholders import (
    DATAREFERENCE_RE,
    DATAREFERENCE_TEMPLATE,
    INPUT_TEMPLATE as _DATASET_ARGUMENT_TEMPLATE,
    OUTPUT_TEMPLATE as _DATASET_OUTPUT_ARGUMENT_TEMPLATE,
    placeholder_name,
)
from azureml_local.runconfig import RunConfiguration
from azureml_local.script_run import ScriptRun
from azureml_local.store.runs import new_run_id

module_logger = logging.getLogger("azureml.core.script_run_config")
_RAW_DATASET_MESSAGE = (
    "Dataset cannot be used directly in a run. If you are using a FileDataset and would like to mount or download "
    "the dataset, please call the as_mount or the as_download methods on the dataset object. If you would like to "
    "use the direct mode, please call the as_named_input method on the dataset object to convert the dataset into "
    "a DatasetConsumptionConfig. Please visit our public documentation for more information on these methods and "
    "classes at https://docs.microsoft.com/en-us/python/api/azureml-core/azureml.data.output_dataset_config."
    "outputfiledatasetconfig?view=azure-ml-py.")


def _is(obj: Any, *class_names: str) -> bool:
    """Class check by name over the MRO (keeps data modules unimported until used)."""
    return any(k.__name__ in class_names for k in type(obj).__mro__)


class ScriptRunConfig:
    """What to run (script or command, arguments) and how (run configuration, environment, target)."""

    MAX_DURATION_SECONDS_DEFAULT = 2592000

    def __init__(self, source_directory: str, script: str | None = None, arguments: list | None = None,
                 run_config: Any = None, _telemetry_values: Any = None, compute_target: Any = None,
                 environment: Any = None, distributed_job_config: Any = None, resume_from: Any = None,
                 max_run_duration_seconds: int = MAX_DURATION_SECONDS_DEFAULT, command: Any = None,
                 docker_runtime_config: Any = None):
        self.source_directory = source_directory
        self.script = script
        self.command = command
        self.arguments = arguments
        if run_config:
            if (max_run_duration_seconds != ScriptRunConfig.MAX_DURATION_SECONDS_DEFAULT
                    or any([compute_target, environment, distributed_job_config, docker_runtime_config])):
                logging.warning("If 'run_config' is specified, the following parameters will be ignored: "
                                "'compute_target', 'environment', 'distributed_job_config', "
                                "'max_run_duration_seconds', and 'docker_runtime_config'.")
            if getattr(run_config, "script", None) and not self.script:
                self.script = run_config.script
            if getattr(run_config, "arguments", None) and not self.arguments:
                self.arguments = run_config.arguments
            if getattr(run_config, "command", None) and not self.command:
                self.command = run_config.command
            self.run_config = run_config
        else:
            self.run_config = RunConfiguration()
            self.run_config.target = compute_target if compute_target else "local"
            if environment is not None:
                self.run_config.environment = environment
            self.run_config.max_run_duration_seconds = max_run_duration_seconds
            if distributed_job_config is not None:
                if not _is(distributed_job_config, "TensorflowConfiguration", "MpiConfiguration",
                           "PyTorchConfiguration"):
                    raise RunConfigurationException(
                        "'distributed_job_config' must be an 'azureml.core.runconfig.TensorflowConfiguration', "
                        "'azureml.core.runconfig.MpiConfiguration', or 'azureml.core.runconfig.PyTorchConfiguration' "
                        "object.")
                self.run_config.node_count = getattr(distributed_job_config, "node_count",
                                                     getattr(distributed_job_config, "worker_count", 1))
            if docker_runtime_config is not None:
                if not _is(docker_runtime_config, "DockerConfiguration"):
                    raise RunConfigurationException("'docker_runtime_config' must be a 'DockerConfiguration' object.")
                self.run_config.docker = docker_runtime_config
        if resume_from is not None:
            if not _is(resume_from, "DataPath"):
                raise UserErrorException("resume_from parameter should be of type DataPath. "
                                         "Found {}.".format(type(resume_from)))
            self.arguments = list(self.arguments or []) + ["--resume-from", str(resume_from)]
        self._telemetry_values = _telemetry_values

    def __repr__(self) -> str:
        return (f"ScriptRunConfig(source_directory={self.source_directory!r}, script={self.script!r}, "
                f"arguments={self.arguments!r}, command={self.command!r}, "
                f"target={getattr(self.run_config, 'target', 'local')!r})")


def _argument_list(arguments: Any) -> list:
    """The SDK documents ``arguments`` as a list or a str; a str is one command line (split, not per character)."""
    if isinstance(arguments, str):
        return shlex.split(arguments)
    return list(arguments or [])


def _rewrite(args: Any, inputs: dict, outputs: dict, references: dict | None = None) -> Any:
    """Replace data objects in an argument list by the SDK's placeholders, collecting them."""
    if args is None or isinstance(args, str):
        return args
    references = {} if references is None else references
    out = []
    for arg in args:
        if _is(arg, "AbstractDataset", "_Dataset") and not _is(arg, "DatasetConsumptionConfig"):
            raise UserErrorException(_RAW_DATASET_MESSAGE)
        if type(arg).__name__ == "Data" and type(arg).__module__.startswith("azureml_local.runconfig"):
            raise UserErrorException("azureml.core.runconfig.Data is not supported in arguments. Only "
                                     "DatasetConsumptionConfig is supported. It can be created by calling "
                                     "dataset.as_named_input('my_dataset')")
        if _is(arg, "DatasetConsumptionConfig"):
            if arg.name in inputs and inputs[arg.name] is not arg:
                module_logger.warning("Dataset with the name {} is already defined in the data section of the "
                                      "RunConfiguration. The DatasetConsumptionConfig in the data section will be "
                                      "used to materialized the data".format(arg.name))
            inputs.setdefault(arg.name, arg)
            out.append(_DATASET_ARGUMENT_TEMPLATE.format(arg.name))
        elif _is(arg, "OutputDatasetConfig"):
            outputs[arg.name] = arg
            out.append(_DATASET_OUTPUT_ARGUMENT_TEMPLATE.format(arg.name))
        elif _is(arg, "OutputData"):
            raise UserErrorException(
                "Arguments does not support OutputData. You need to pass the placeholder into arguments which will "
                "be replaced with the output directory where your script should write the output to. The "
                "placeholder has the following format: {}:name where name is the key of the OutputData in the "
                "output_data section of the run configuration.".format("DatasetOutputConfig"))
        elif _is(arg, "DatacacheConsumptionConfig"):
            out.append(arg.path_on_compute)
        elif _is(arg, "DataReference"):
            references[arg.data_reference_name] = arg  # "$AZUREML_DATAREFERENCE_<name>", resolved at run time
            out.append(str(arg))
        else:
            out.append(arg if isinstance(arg, str) else str(arg))
    return out


def _definition(config: ScriptRunConfig, run_config: Any, script: str | None, arguments: list, command: Any) -> dict:
    env = getattr(run_config, "environment", None)
    env_dict = None
    if env is not None:
        try:
            env_dict = Environment._serialize_to_dict(env)
        except Exception:  # noqa: BLE001 - an exotic environment object: keep its name only
            env_dict = {"name": getattr(env, "name", None)}
    return {"script": script, "arguments": arguments, "command": command, "target": run_config.target,
            "framework": getattr(run_config, "framework", "Python"),
            "communicator": getattr(run_config, "communicator", "None"),
            "environmentVariables": {**dict(getattr(env, "environment_variables", None) or {}),
                                     **dict(getattr(run_config, "environment_variables", None) or {})},
            "maxRunDurationSeconds": getattr(run_config, "max_run_duration_seconds", None),
            "nodeCount": getattr(run_config, "node_count", 1), "environment": env_dict,
            "sourceDirectory": os.path.abspath(config.source_directory)}


def _job_spec(definition: dict, inputs: dict, outputs: dict, references: dict) -> dict:
    """The one-step job spec of a script run: its data objects as the input/output dicts of a pipeline step.

    A DataReference in upload mode is an output (uploaded to exactly its path); ``$AZUREML_DATAREFERENCE_<name>``
    text with no DataReference behind it names a whole datastore (``datastore.as_mount()``).
    """
    spec_inputs = [_input_dict(c) for c in inputs.values()]
    spec_outputs = [o._to_definition() for o in outputs.values()]
    for ref in references.values():
        d = ref._to_definition()
        (spec_outputs if d["mode"] == "upload" else spec_inputs).append(d)
    known = {d["name"]: ("output" if d in spec_outputs else "input") for d in spec_inputs + spec_outputs}
    command = definition["command"]
    texts = (definition["arguments"] or []) + (command if isinstance(command, list) else [command] if command else [])
    for name in sorted({m.group(1) for t in texts for m in DATAREFERENCE_RE.finditer(str(t))} - set(known)):
        spec_inputs.append({"name": name, "kind": "datastore_path", "datastore": name, "path": "", "mode": "mount"})
        known[name] = "input"

    def annotate(text: Any) -> dict:
        if isinstance(text, str):
            for form, template in (("input", _DATASET_ARGUMENT_TEMPLATE), ("output", _DATASET_OUTPUT_ARGUMENT_TEMPLATE)):
                name = placeholder_name(text, template)
                if name is not None and known.get(name) == form:
                    return {form: name}
            name = placeholder_name(text, DATAREFERENCE_TEMPLATE)
            if name in known:
                return {known[name]: name}
        return {"literal": str(text)}

    spec = {"version": job_spec.VERSION, "kind": "ScriptRun", "script_name": definition["script"],
            "command": [annotate(c) for c in command] if isinstance(command, list) else command,
            "arguments": [annotate(a) for a in definition["arguments"] or []],
            "inputs": spec_inputs, "outputs": spec_outputs,
            "environment_variables": dict(definition["environmentVariables"]), "runconfig": {},
            "timeout_seconds": definition["maxRunDurationSeconds"], "compute_target": definition["target"],
            "python": sys.executable}  # scripts run under the submitter's interpreter, not the runner's
    return job_spec.validate(spec)


def _input_dict(config: Any) -> dict:
    """A DatasetConsumptionConfig as a ``dataset`` input (a PipelineParameter dataset: its default)."""
    d = config._to_definition()
    if d["dataset"] is None and hasattr(config.dataset, "default_value"):
        d["dataset"] = config.dataset.default_value._to_definition()
    return d


def compile_run(script_run_config: ScriptRunConfig, workspace: Any, experiment_name: str) -> dict:
    """Validate a ScriptRunConfig and compile it: ``{"snapshot_id", "definition" (with its job spec),
    "target", "warning"}``. Writes only the content-addressed snapshot; the caller records the run
    (``submit`` one script run; a HyperDrive sweep one run per sampled point)."""
    from azureml_local.engine.snapshot import snapshot  # heavy: pathspec
    from azureml_local.engine.environment_check import missing_packages_warning  # heavy: psutil (engine)
    from azureml_local.compute.resolve import resolve_compute  # light: compute stays off `from azureml.core`
    from azureml_local.data.run_inputs import input_details  # light: run_inputs stays off `from azureml.core`

    config = script_run_config
    source = config.source_directory or "."
    if not os.path.isdir(source):
        raise UserErrorException(f"The source_directory {os.path.abspath(source)} does not exist. Pass the folder "
                                 "holding your script as source_directory.")
    run_config = config.run_config
    if not run_config.target:
        raise ExperimentExecutionException("Must specify a target either through run configuration or arguments.")
    if run_config.target != "local":  # an unknown compute name: ComputeTargetException, before anything is written
        resolve_compute(workspace, run_config.target)
    if config.script and config.command:
        raise UserErrorException("Both command and script/arguments properties cannot be used together to submit "
                                 "a run. Use either script (with arguments) or command.")
    if not config.script and not config.command:
        raise UserErrorException("ScriptRunConfig needs a script or a command to run.")
    script = config.script
    if script:
        full = os.path.normpath(os.path.join(os.path.abspath(source), script))
        if not os.path.isfile(full):
            raise ExperimentExecutionException("{} script path doesn't exist. The script should be inside the "
                                               "project folder".format(full))
        script = os.path.relpath(full, os.path.abspath(source)).replace("\\", "/")
    for value in (getattr(run_config, "data", None) or {}).values():
        if _is(value, "AbstractDataset", "_Dataset") and not _is(value, "DatasetConsumptionConfig"):
            raise UserErrorException("Dataset cannot be used without providing a name for the run. Please provide "
                                     "a name by calling the as_named_input instance method on dataset.")
    inputs: dict = {k: v for k, v in (getattr(run_config, "data", None) or {}).items()
                    if _is(v, "DatasetConsumptionConfig")}
    outputs: dict = {k: v for k, v in (getattr(run_config, "output_data", None) or {}).items()
                     if _is(v, "OutputDatasetConfig")}
    references: dict = {}
    arguments = _rewrite(_argument_list(config.arguments), inputs, outputs, references)
    command = _rewrite(copy.copy(config.command), inputs, outputs, references)
    snapshot_id, _ = snapshot(workspace, source)
    definition = _definition(config, run_config, script, arguments, command)
    definition[job_spec.JOB_KEY] = spec = _job_spec(definition, inputs, outputs, references)
    if inputs:
        definition["_inputDatasets"] = [input_details(workspace, d) for d in spec["inputs"] if d["kind"] == "dataset"]
    return {"snapshot_id": snapshot_id, "definition": definition, "target": run_config.target,
            "warning": missing_packages_warning(getattr(run_config, "environment", None))}


SCRIPT_RUN_PROPERTIES = {"_azureml.ComputeTargetType": "local", "azureml.runsource": "experiment"}


def submit(script_run_config: ScriptRunConfig, workspace: Any, experiment_name: str, run_id: str | None = None,
           _parent_run_id: str | None = None, credential_passthrough: bool = False) -> Any:
    """Queue a script run and return its ``ScriptRun`` immediately."""
    from azureml_local.service import control as service_control  # heavy: psutil

    if run_id and workspace._context.runs.exists(run_id):
        # checked before anything is written for that run
        raise UserErrorException(f"A run with id {run_id} already exists in this workspace. "
                                 "Pass a different run_id (or none to get a generated one).")
    compiled = compile_run(script_run_config, workspace, experiment_name)
    run_id = run_id or new_run_id(experiment_name)
    snapshot_id = compiled["snapshot_id"]
    workspace._context.runs.create_run(experiment_name, run_id, run_type="azureml.scriptrun", status="Queued",
                       parent_run_id=_parent_run_id, target=compiled["target"], definition=compiled["definition"],
                       snapshot_id=snapshot_id, enqueue_handler="",
                       properties={**SCRIPT_RUN_PROPERTIES, "ContentSnapshotId": snapshot_id})
    if compiled["warning"]:
        workspace._context.runs.add_warning(run_id, compiled["warning"])
    service_control.wake(workspace)
    experiment = Experiment(workspace, experiment_name, _skip_name_validation=True)
    return ScriptRun(experiment, run_id)


def submit_estimator(estimator: Any, workspace: Any, experiment_name: str, **kwargs: Any) -> Any:
    """``Experiment.submit(estimator)`` (azureml.train shim): its run configuration as a script run."""
    config = ScriptRunConfig(estimator.source_directory, run_config=estimator.run_config)
    return submit(config, workspace, experiment_name, **kwargs)


def get_run_config_from_script_run(script_run_config: ScriptRunConfig) -> Any:
    """The run configuration with the config's script, arguments and command applied."""
    run_config = script_run_config.run_config
    run_config.script = script_run_config.script
    run_config.command = script_run_config.command or ""
    run_config.arguments = _argument_list(script_run_config.arguments)
    return run_config
