"""Configuration objects that travel with models: resource needs and the inference (scoring) config."""
from __future__ import annotations

import os
import warnings
from keyword import iskeyword
from typing import Any

from azureml_local.exceptions import WebserviceException


class ResourceConfiguration:
    """CPU / memory / GPU a model needs (recorded)."""

    _expected_payload_keys = ["cpu", "memoryInGB", "gpu"]

    def __init__(self, cpu: float | None = None, memory_in_gb: float | None = None, gpu: int | None = None):
        self.cpu = cpu
        self.memory_in_gb = memory_in_gb
        self.gpu = gpu

    def serialize(self) -> dict[str, Any]:
        return {"cpu": self.cpu, "memoryInGB": self.memory_in_gb, "gpu": self.gpu}

    @staticmethod
    def deserialize(payload_obj: dict | None) -> "ResourceConfiguration | None":
        if payload_obj is None:
            return None
        for key in ResourceConfiguration._expected_payload_keys:
            if key not in payload_obj:
                raise WebserviceException("Invalid webservice payload, missing {} for ResourceConfiguration:\n"
                                          "{}".format(key, payload_obj))
        return ResourceConfiguration(payload_obj["cpu"], payload_obj["memoryInGB"], payload_obj["gpu"])

    def _validate_configuration(self) -> None:
        error = ""
        if self.cpu is not None and self.cpu <= 0:
            error += "Invalid configuration, cpu must be greater than zero.\n"
        if self.memory_in_gb is not None and self.memory_in_gb <= 0:
            error += "Invalid configuration, memory_in_gb must be greater than zero.\n"
        if self.gpu is not None and (not isinstance(self.gpu, int) or self.gpu <= 0):
            error += "Invalid configuration, gpu must be integer and greater than zero.\n"
        if error:
            raise WebserviceException(error)


class InferenceConfig:
    """How to serve a model: the entry script (``init()``/``run(raw_data)``), its folder and environment.

    ``Model.deploy`` copies ``source_directory`` and runs ``entry_script`` in a local scoring process
    (docs/deployment.md). The older form (``runtime``, ``conda_file``, ``extra_docker_file_steps``,
    GPU/CUDA, base image) is validated and recorded with the SDK's deprecation warnings; locally the
    script runs in this Python, with the environment's variables.
    """

    def __init__(self, entry_script: str, runtime: str | None = None, conda_file: str | None = None,
                 extra_docker_file_steps: str | None = None, source_directory: str | None = None,
                 enable_gpu: bool | None = None, description: str | None = None, base_image: str | None = None,
                 base_image_registry: Any = None, cuda_version: str | None = None, environment: Any = None):
        self.entry_script = entry_script
        self.runtime = runtime
        self.conda_file = conda_file
        self.extra_docker_file_steps = extra_docker_file_steps
        self.source_directory = source_directory
        self.enable_gpu = enable_gpu
        self.description = description
        self.base_image = base_image
        self.base_image_registry = base_image_registry
        self.cuda_version = cuda_version
        self.environment = environment
        self.validate_configuration()

    def __repr__(self) -> str:
        return "InferenceConfig(entry_script={}, runtime={}, conda_file={}, extra_docker_file_steps={}, " \
               "source_directory={}, base_image={}, base_image_registry={})".format(
                   self.entry_script, self.runtime, self.conda_file, self.extra_docker_file_steps,
                   self.source_directory, self.base_image, self.base_image_registry)

    def validate_configuration(self) -> None:
        """The SDK's checks and messages (deprecated parameters warn; wrong values raise)."""
        for deprecated, given in (("runtime parameter has", self.runtime), ("conda_file parameter has", self.conda_file),
                                  ("extra_docker_file_steps parameter has", self.extra_docker_file_steps),
                                  ("enable_gpu and cuda_version parameters have", self.enable_gpu or self.cuda_version),
                                  ("base_image and base_image_registry parameters have", self.base_image)):
            if given:
                warnings.warn(deprecated + " been deprecated and will be removed in a future release. Please migrate "
                              "to using Environments. " + _ENVIRONMENTS_DOC_URL, category=DeprecationWarning,
                              stacklevel=3)
        if not self.entry_script:
            raise WebserviceException("Error, need to specify entry_script.")
        if self.environment:
            if self.runtime or self.conda_file or self.extra_docker_file_steps or self.enable_gpu or \
                    self.cuda_version or self.base_image:
                raise WebserviceException("Error, unable to provide runtime, conda_file, extra_docker_file_steps, "
                                          "enable_gpu, cuda_version, or base_image along with an environment object.")
            docker = getattr(self.environment, "docker", None)
            if docker is not None and getattr(docker, "base_dockerfile", None) and getattr(docker, "base_image", None):
                raise WebserviceException("Error, only one of base_dockerfile or base_image should be provided to the "
                                          "environment.docker object.")
        if self.source_directory:
            self.source_directory = os.path.realpath(self.source_directory)
            _exists_or_throw(self.source_directory, "source directory")
        _exists_or_throw(_join(self.source_directory, self.entry_script), "entry_script",
                         "entry_script should be path relative to current working directory")
        script_name, extension = os.path.splitext(os.path.basename(self.entry_script))
        if extension != ".py":
            raise WebserviceException("Invalid driver type. Currently only Python drivers are supported.")
        if not script_name.isidentifier() or iskeyword(script_name):
            raise WebserviceException('Error, invalid name "{}" for provided entry script. The script must be '
                                      "importable as a valid python module, and must adhere to standard module "
                                      "naming. This means it must be a valid python identifier and not a part of the "
                                      "set of python standard keywords.".format(script_name))
        if self.runtime and self.runtime.lower() not in SUPPORTED_RUNTIMES:
            raise WebserviceException("Provided runtime not supported. Possible runtimes are: {}".format(
                "|".join(r for r in SUPPORTED_RUNTIMES if r != "python-slim")))
        if self.cuda_version is not None and self.cuda_version.lower() not in SUPPORTED_CUDA_VERSIONS:
            raise WebserviceException("Provided cuda_version not supported. Possible cuda_versions are: {}".format(
                "|".join(SUPPORTED_CUDA_VERSIONS)))
        if self.conda_file:
            _exists_or_throw(_join(self.source_directory, self.conda_file), "Conda file")
        if self.extra_docker_file_steps:
            _exists_or_throw(_join(self.source_directory, self.extra_docker_file_steps), "extra docker file steps")

    def _environment_variables(self) -> dict[str, str]:
        """What the scoring process gets from the environment (``Environment.environment_variables``)."""
        return dict(getattr(self.environment, "environment_variables", None) or {})


SUPPORTED_RUNTIMES = {"spark-py": "SparkPython", "python": "Python", "python-slim": "PythonSlim"}
SUPPORTED_CUDA_VERSIONS = ["9.0", "9.1", "10.0"]
_ENVIRONMENTS_DOC_URL = "https://docs.microsoft.com/azure/machine-learning/how-to-use-environments"


def _join(source_directory: str | None, path: str) -> str:
    return os.path.join(source_directory, path).replace(os.sep, "/") if path and source_directory else path


def _exists_or_throw(member: str, name: str, extra_message: str = "") -> None:
    if not os.path.exists(member):
        raise WebserviceException("{0} {1} doesn't exist. {2}".format(name, member, extra_message))
