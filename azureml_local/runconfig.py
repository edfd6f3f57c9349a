"""``azureml.core.runconfig``: how a script run is configured (target, environment, data, ...).

Same classes, attributes, defaults and camelCase serialized form as the SDK, so
``.runconfig`` files and pipeline definitions round-trip. Use
:meth:`RunConfiguration._to_dict` / :meth:`RunConfiguration.from_dict` for the JSON
form pipelines store. The section classes live in :mod:`azureml_local.runconfig_sections`
and are re-exported here (the SDK's import path).
"""
from __future__ import annotations

import json
import os
from typing import Any

from azureml_local.conda_dependencies import CondaDependencies
from azureml_local.config_element import ConfigElement, Field
from azureml_local.environment import Environment
from azureml_local.exceptions import UserErrorException
from azureml_local.runconfig_sections import *  # noqa: F401,F403  (the SDK exposes them all here)
from azureml_local.runconfig_sections import (
    AML_CONFIG_DIR, AZUREML_DIR, LOCAL_RUNCONFIG_NAME, RUNCONFIGURATION_EXTENSION, AmlComputeConfiguration, Data,
    DatacacheConfiguration, DataReferenceConfiguration, DockerConfiguration, EnvironmentDefinition, HdiConfiguration,
    HistoryConfiguration, KubernetesComputeConfiguration, MpiConfiguration, OutputData, ParallelTaskConfiguration,
    PyTorchConfiguration, SparkConfiguration, TensorflowConfiguration, ApplicationEndpointConfiguration)


def _run_config_dir_name(project_path: str) -> str:
    """``aml_config`` when that legacy folder exists, else ``.azureml`` (as the SDK)."""
    return AML_CONFIG_DIR if os.path.exists(os.path.join(os.path.abspath(project_path), AML_CONFIG_DIR)) \
        else AZUREML_DIR


class RunConfiguration(ConfigElement):
    """Configuration of a script run: target, environment, data, distributed settings, ..."""

    _FIELDS = (
        Field("script"), Field("arguments", list), Field("_target", key="target"), Field("framework"),
        Field("communicator"), Field("max_run_duration_seconds", int), Field("node_count", int),
        Field("priority", int), Field("environment", Environment), Field("history", HistoryConfiguration),
        Field("spark", SparkConfiguration), Field("docker", DockerConfiguration), Field("hdi", HdiConfiguration),
        Field("tensorflow", TensorflowConfiguration), Field("mpi", MpiConfiguration),
        Field("pytorch", PyTorchConfiguration), Field("paralleltask", ParallelTaskConfiguration),
        Field("data_references", dict, element=DataReferenceConfiguration), Field("data", dict, element=Data),
        Field("datacaches", list, element=DatacacheConfiguration), Field("output_data", dict, element=OutputData),
        Field("source_directory_data_store"), Field("amlcompute", AmlComputeConfiguration),
        Field("auto_cluster_compute_specification", dict), Field("kubernetescompute", KubernetesComputeConfiguration),
        Field("credential_passthrough", bool), Field("command"),
        Field("_environment_variables", dict, key="environmentVariables"),
        Field("services", dict, element=ApplicationEndpointConfiguration),
    )

    def __init__(self, script: str | None = None, arguments: list | None = None, framework: str | None = None,
                 communicator: str | None = None, conda_dependencies: CondaDependencies | None = None,
                 _history_enabled: bool | None = None, _path: str | None = None, _name: str | None = None,
                 command: Any = None):
        self._name = _name
        self._path = _path
        self.script = script
        self.command = command if command else ""
        self.arguments = list(arguments) if arguments else []
        self._target = LOCAL_RUNCONFIG_NAME
        self.framework = framework if framework else "Python"
        self.communicator = communicator if communicator else "None"
        self.max_run_duration_seconds = None
        self.node_count = 1
        self.priority = None
        self.environment: Environment = EnvironmentDefinition(name="default-environment")
        self.history = HistoryConfiguration()
        self.spark = SparkConfiguration()
        self.docker = DockerConfiguration()
        self.hdi = HdiConfiguration()
        self.tensorflow = TensorflowConfiguration()
        self.mpi = MpiConfiguration()
        self.pytorch = PyTorchConfiguration()
        self.paralleltask = ParallelTaskConfiguration()
        self.data_references: dict = {}
        self.data: dict = {}
        self.datacaches: list = []
        self.output_data: dict = {}
        self._environment_variables: dict = {}
        self.amlcompute = AmlComputeConfiguration()
        self.kubernetescompute = KubernetesComputeConfiguration()
        self.services: dict = {}
        self.source_directory_data_store = None
        if _history_enabled:
            self.history.output_collection = _history_enabled
        self.auto_cluster_compute_specification = None
        self.environment.python.conda_dependencies = conda_dependencies if conda_dependencies else CondaDependencies()
        self.credential_passthrough = False

    def __repr__(self) -> str:
        return json.dumps(self._to_dict(), indent=4, default=str)

    # -- properties ---------------------------------------------------------------------
    @property
    def auto_prepare_environment(self) -> bool:
        return True

    @auto_prepare_environment.setter
    def auto_prepare_environment(self, _: Any) -> None:
        pass

    @property
    def environment_variables(self) -> dict:
        """Runtime environment variables of the run."""
        return self._environment_variables

    @environment_variables.setter
    def environment_variables(self, value: dict) -> None:
        self._environment_variables = value

    @property
    def target(self) -> str:
        """Name of the compute target (default ``'local'``); a ComputeTarget object is stored by name."""
        return self._target

    @target.setter
    def target(self, target: Any) -> None:
        if isinstance(target, str):
            self._target = target
        elif target is not None and isinstance(getattr(target, "name", None), str):
            self._target = target.name
        elif target is None:
            self._target = LOCAL_RUNCONFIG_NAME
        else:
            raise UserErrorException(
                f"RunConfiguration.target must be a compute target name or a ComputeTarget, got {type(target)}.")

    # -- dict form (pipelines store this) -------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return self._to_dict()

    @classmethod
    def _from_dict(cls, data: dict | None, obj: Any = None) -> "RunConfiguration":
        data = dict(data or {})
        target = obj if obj is not None else cls()
        env = data.pop("environment", None)
        super()._from_dict(data, target)
        if isinstance(env, Environment):
            target.environment = env
        elif isinstance(env, dict):
            target.environment = Environment._deserialize_and_add_to_object(env)
        return target  # type: ignore[return-value]

    @classmethod
    def from_dict(cls, data: dict) -> "RunConfiguration":
        return cls._from_dict(data)

    @classmethod
    def _get_runconfig_using_dict(cls, commented_map_or_dict: dict, path: str | None = None,
                                  name: str | None = None, project_dir_case: bool = True) -> "RunConfiguration":
        """The SDK's internal name for building a configuration from its dict form."""
        return cls._from_dict(commented_map_or_dict, cls(_path=path, _name=name))

    @staticmethod
    def _get_run_config_object(path: str, run_config: Any) -> "RunConfiguration":
        """A RunConfiguration from an object, a saved name under ``path``, or None (defaults)."""
        if isinstance(run_config, RunConfiguration):
            return run_config
        if isinstance(run_config, str):
            return RunConfiguration.load(path, run_config)
        if run_config is None:
            return RunConfiguration()
        raise UserErrorException("Unsupported runconfig type {}. run_config can be of str or "
                                 "azureml.core.runconfig.RunConfiguration type.".format(type(run_config)))

    # -- files ------------------------------------------------------------------------------
    def save(self, path: str | None = None, name: str | None = None, separate_environment_yaml: bool = False) -> None:
        """Write the configuration (YAML) to ``<path>/.azureml/<name>`` or to the file ``path``."""
        import yaml

        path = os.path.normpath(path or self._path or os.getcwd())
        if not os.path.exists(path) and not os.path.isdir(os.path.dirname(path) or "."):
            raise UserErrorException("{} argument is invalid".format(path))
        project_dir_case = os.path.isdir(path)
        if project_dir_case:
            name = name or self._name
            if not name:
                raise UserErrorException("Cannot save a runconfig without a name specified")
            config_dir = _run_config_dir_name(path)
            os.makedirs(os.path.join(path, config_dir), exist_ok=True)
            full_path = os.path.join(path, config_dir, name)
            base_dir, rel_dir = path, config_dir + "/"
        else:
            full_path, base_dir, rel_dir = path, os.path.dirname(path) or ".", ""
        data = self._to_dict()
        python = data["environment"].get("python") or {}
        python.pop("condaDependencies", None)
        conda_file = python.get("condaDependenciesFile") or rel_dir + "conda_dependencies.yml"
        python["condaDependenciesFile"] = conda_file
        if separate_environment_yaml:
            with open(os.path.join(base_dir, rel_dir + "environment.yml"), "w") as f:
                yaml.safe_dump(data["environment"], f, sort_keys=False)
            data["environment"] = rel_dir + "environment.yml"
        with open(full_path, "w") as f:
            yaml.safe_dump(data, f, sort_keys=False, default_flow_style=False)
        deps = self.environment.python.conda_dependencies if self.environment.python else None
        if deps is not None:
            deps.save_to_file(base_dir, conda_file_path=conda_file)

    @staticmethod
    def load(path: str, name: str | None = None) -> "RunConfiguration":
        """Load a configuration saved by :meth:`save` (a file, or ``<path>/.azureml/<name>[.runconfig]``)."""
        path = os.path.normpath(path or os.getcwd())
        candidates = [path] if os.path.isfile(path) else []
        if not candidates and name:
            config_dir = os.path.join(path, _run_config_dir_name(path))
            candidates = [os.path.join(config_dir, name), os.path.join(config_dir, name + RUNCONFIGURATION_EXTENSION),
                          os.path.join(path, name + RUNCONFIGURATION_EXTENSION)]
        for candidate in candidates:
            if os.path.isfile(candidate):
                project_dir_case = not os.path.isfile(path)
                return RunConfiguration._load_file(candidate, path if project_dir_case else os.path.dirname(path),
                                                   path, name)
        raise UserErrorException("Failed to load RunConfiguration from path={} name={}".format(path, name))

    @staticmethod
    def _load_file(full_path: str, base_dir: str, path: str, name: str | None) -> "RunConfiguration":
        import yaml

        with open(full_path) as f:
            try:
                data = yaml.safe_load(f) or {}
            except yaml.YAMLError as exc:
                raise UserErrorException(f"Run configuration file {full_path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise UserErrorException(f"Run configuration file {full_path} does not hold a mapping.")
        if isinstance(data.get("environment"), str):
            with open(os.path.join(base_dir, data["environment"])) as f:
                data["environment"] = yaml.safe_load(f)
        rc = RunConfiguration(_path=path, _name=name)
        RunConfiguration._from_dict(data, rc)
        python = rc.environment.python
        if python is not None and python.conda_dependencies_file:
            conda_path = os.path.join(base_dir, python.conda_dependencies_file)
            if os.path.isfile(conda_path):
                python.conda_dependencies = CondaDependencies(conda_path)
        return rc

    @staticmethod
    def delete(path: str, name: str) -> None:
        found = False
        for folder in (AML_CONFIG_DIR, AZUREML_DIR):
            for file_name in (name, name + RUNCONFIGURATION_EXTENSION):
                candidate = os.path.join(path, folder, file_name)
                if os.path.isfile(candidate):
                    os.remove(candidate)
                    found = True
        if not found:
            raise UserErrorException("Run config {} not found in {}".format(name, os.getcwd()))
