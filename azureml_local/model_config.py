"""Configuration objects that travel with models: resource needs and (unused locally) inference config."""
from __future__ import annotations

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
    """Scoring configuration (recorded; locally there is no web service to deploy it to)."""

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

    def validate_configuration(self) -> None:
        if not self.entry_script:
            raise WebserviceException("Error, need to specify entry_script.")
