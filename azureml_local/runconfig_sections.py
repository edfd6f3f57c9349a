"""The sections of a ``RunConfiguration`` (docker, mpi, data references, data, outputs, ...).

Re-exported by :mod:`azureml_local.runconfig` (the ``azureml.core.runconfig`` path).
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any

from azureml_local.conda_dependencies import CondaDependencies  # noqa: F401  (SDK re-export)
from azureml_local.config_element import ConfigElement, Field
from azureml_local.environment import Environment
from azureml_local.environment_sections import (  # noqa: F401  (SDK re-exports)
    _DEFAULT_SHM_SIZE, DEFAULT_CPU_IMAGE, DEFAULT_GPU_IMAGE, ContainerRegistry, DockerEnvironment, DockerSection,
    EggLibrary, JarLibrary, MavenLibrary, PyPiLibrary, PythonEnvironment, PythonSection, RCranLibrary,
    SparkEnvironment, SparkPackage, SparkSection)
from azureml_local.exceptions import RunConfigurationException, UserErrorException

log = logging.getLogger("azureml.core.runconfig")

MPI_CPU_IMAGE = DEFAULT_CPU_IMAGE
MPI_GPU_IMAGE = DEFAULT_GPU_IMAGE
LOCAL_RUNCONFIG_NAME = "local"
SUPPORTED_DATAREF_MODES = ["mount", "download", "upload"]
SUPPORTED_DELIVERY_MECHANISM = ["direct", "mount", "download", "upload"]
SUPPORTED_PYTORCH_BACKENDS = ["nccl", "gloo"]
RUNCONFIGURATION_EXTENSION = ".runconfig"
AML_CONFIG_DIR = "aml_config"
AZUREML_DIR = ".azureml"


class AzureContainerRegistry(ContainerRegistry):
    """DEPRECATED. Use ``azureml.core.container_registry.ContainerRegistry``."""


class HdiConfiguration(ConfigElement):
    _FIELDS = (Field("yarn_deploy_mode"),)

    def __init__(self) -> None:
        self.yarn_deploy_mode = "cluster"


class TensorflowConfiguration(ConfigElement):
    _FIELDS = (Field("worker_count", int), Field("parameter_server_count", int))

    def __init__(self, worker_count: int = 1, parameter_server_count: int = 1):
        self.worker_count = worker_count
        self.parameter_server_count = parameter_server_count


class MpiConfiguration(ConfigElement):
    _FIELDS = (Field("process_count_per_node", int), Field("node_count", int))

    def __init__(self, process_count_per_node: int = 1, node_count: int = 1):
        self.process_count_per_node = process_count_per_node
        self.node_count = node_count


class PyTorchConfiguration(ConfigElement):
    _FIELDS = (Field("communication_backend"), Field("process_count", int), Field("node_count", int))

    def __init__(self, communication_backend: str = "Nccl", process_count: int | None = None, node_count: int = 1):
        if str(communication_backend).lower() not in SUPPORTED_PYTORCH_BACKENDS:
            raise RunConfigurationException(("{} is not a supported backend. 'communication_backend' "
                                             "must be 'Nccl' or 'Gloo'.").format(communication_backend))
        self.communication_backend = communication_backend.lower()
        self.process_count = process_count
        self.node_count = node_count


class ApplicationEndpointConfiguration(ConfigElement):
    _FIELDS = (Field("type"), Field("port", int), Field("properties", dict))

    def __init__(self, type: str | None = None, port: int | None = None, properties: dict | None = None):
        self.type = type
        self.port = port
        self.properties = properties


class ParallelTaskConfiguration(ConfigElement):
    _FIELDS = (Field("max_retries_per_worker", int), Field("worker_count_per_node", int),
               Field("terminal_exit_codes", list))

    def __init__(self) -> None:
        self.max_retries_per_worker = 0
        self.worker_count_per_node = 1
        self.terminal_exit_codes = None


class AmlComputeConfiguration(ConfigElement):
    _FIELDS = (Field("vm_size"), Field("vm_priority"), Field("_retain_cluster", bool), Field("_name"),
               Field("_cluster_max_node_count", int))

    def __init__(self) -> None:
        self.vm_size = None
        self.vm_priority = None
        self._retain_cluster = False
        self._name = None
        self._cluster_max_node_count = None


class KubernetesComputeConfiguration(ConfigElement):
    _FIELDS = (Field("instance_type"),)

    def __init__(self) -> None:
        self.instance_type = None


class EnvironmentDefinition(Environment):
    """The environment section of a run configuration."""

    def __init__(self, name: str | None = None, **kwargs: Any):
        super().__init__(name, **kwargs)  # type: ignore[arg-type]


class SparkConfiguration(ConfigElement):
    _FIELDS = (Field("configuration", dict),)

    def __init__(self) -> None:
        self.configuration = {"spark.app.name": "Azure ML Experiment", "spark.yarn.maxAppAttempts": 1}


class _AmbientAuthenticationConfiguration(ConfigElement):
    _FIELDS = (Field("method"), Field("app_id"), Field("secret"), Field("tenant"),
               Field("delete_secret_after_run", bool))

    def __init__(self) -> None:
        self.method = None
        self.app_id = None
        self.secret = None
        self.tenant = None
        self.delete_secret_after_run = False


class HistoryConfiguration(ConfigElement):
    _FIELDS = (Field("output_collection", bool), Field("snapshot_project", bool), Field("directories_to_watch", list),
               Field("_ambient_authentication", _AmbientAuthenticationConfiguration, key="ambientAuthentication"))

    def __init__(self) -> None:
        self.output_collection = True
        self.snapshot_project = True
        self.directories_to_watch = ["logs"]
        self._ambient_authentication = None


class DataReferenceConfiguration(ConfigElement):
    """How a datastore path is made available to a run (mount / download / upload)."""

    _FIELDS = (Field("data_store_name"), Field("path_on_data_store"), Field("mode"), Field("overwrite", bool),
               Field("path_on_compute"))

    def __init__(self, datastore_name: str | None = None, mode: str = "mount", path_on_datastore: str | None = None,
                 path_on_compute: str | None = None, overwrite: bool = False):
        self.data_store_name = datastore_name
        self.path_on_data_store = path_on_datastore
        self.path_on_compute = path_on_compute
        self.mode = (mode or "mount").lower()
        self.overwrite = overwrite

    def _validate(self) -> None:
        if not self.data_store_name:
            raise UserErrorException("Missing data store name")
        if not self.mode or self.mode.lower() not in SUPPORTED_DATAREF_MODES:
            raise UserErrorException("mode {0} is not supported. Only mount, download allowed".format(self.mode))
        self.mode = self.mode.lower()


class DockerConfiguration(ConfigElement):
    """Docker runtime settings of a job (recorded; local runs are plain processes)."""

    _FIELDS = (Field("use_docker", bool), Field("shared_volumes", bool), Field("arguments", list), Field("shm_size"))

    def __init__(self, use_docker: bool = False, shared_volumes: bool = True, arguments: list | None = None,
                 shm_size: str = _DEFAULT_SHM_SIZE):
        self.use_docker = use_docker
        self.shared_volumes = shared_volumes
        self.arguments = list(arguments) if arguments else []
        self.shm_size = shm_size


class DataPath(ConfigElement):
    _FIELDS = (Field("datastore_name"), Field("relative_path"))

    def __init__(self, datastore_name: str | None = None, relative_path: str | None = None):
        self.datastore_name = datastore_name
        self.relative_path = relative_path

    def _validate(self) -> None:
        if not self.datastore_name:
            raise UserErrorException("For a data path, the datastore_name cannot be empty.")
        if not self.relative_path:
            raise UserErrorException("For a data path, the relative_path cannot be empty.")


class Dataset(ConfigElement):
    _FIELDS = (Field("id"), Field("name"), Field("version"))

    def __init__(self, dataset_id: str | None = None, dataset_name: str | None = None,
                 dataset_version: str | None = None):
        self.id = dataset_id
        self.name = dataset_name
        self.version = dataset_version

    def _validate(self) -> None:
        if not self.id and not (self.name and self.version):
            raise UserErrorException("The Dataset must be saved, which means it has an id, or it must be"
                                     "referenced by name and version.")


class Uri(ConfigElement):
    _FIELDS = (Field("path"), Field("is_file", bool))

    def __init__(self, path: str | None = None, is_file: bool = False):
        self.path = path
        self.is_file = is_file


class DataLocation(ConfigElement):
    _FIELDS = (Field("dataset", Dataset), Field("data_path", DataPath), Field("uri", Uri))

    def __init__(self, dataset: Dataset | None = None, data_path: DataPath | None = None, uri: Uri | None = None):
        self.dataset = dataset
        self.data_path = data_path
        self.uri = uri

    def _validate(self) -> None:
        if not self.dataset and not self.data_path:
            raise UserErrorException("Either dataset or datapath should be presented.")


class Data(ConfigElement):
    """How an input dataset is delivered to a run (``runconfig.data[name]``)."""

    _FIELDS = (Field("data_location", DataLocation), Field("create_output_directories", bool), Field("mechanism"),
               Field("environment_variable_name"), Field("path_on_compute"), Field("overwrite", bool),
               Field("options", dict))

    def __init__(self, data_location: DataLocation | None = None, create_output_directories: bool | None = None,
                 mechanism: str = "direct", environment_variable_name: str | None = None,
                 path_on_compute: str | None = None, overwrite: bool = False, options: dict | None = None):
        self.data_location = data_location
        self.create_output_directories = create_output_directories
        self.mechanism = (mechanism or "direct").lower()
        self.environment_variable_name = environment_variable_name
        self.path_on_compute = path_on_compute
        self.overwrite = overwrite
        self.options = options

    @staticmethod
    def create(data: Any) -> "Data":
        """From a ``DatasetConsumptionConfig`` (``dataset.as_named_input(...)``)."""
        dataset = getattr(data, "dataset", None)
        if dataset is None or not hasattr(data, "mode"):
            raise UserErrorException("Data must be an instance of DatasetConsumptionConfig.")
        if getattr(dataset, "_consume_latest", False):
            ref = Dataset(dataset_name=dataset.name, dataset_version="latest")
        else:
            if not getattr(dataset, "id", None):
                raise RuntimeError("Dataset can only be used in experiments where an Azure Machine Learning "
                                   "workspace is present")
            ref = Dataset(dataset_id=dataset.id, dataset_name=getattr(dataset, "name", None),
                          dataset_version=getattr(dataset, "version", None))
        return Data(data_location=DataLocation(dataset=ref), create_output_directories=False, mechanism=data.mode,
                    environment_variable_name=data.name, path_on_compute=getattr(data, "path_on_compute", None),
                    overwrite=False)


class DatacacheConfiguration(ConfigElement):
    _FIELDS = (Field("datacache_id"), Field("datacache_store"), Field("dataset_id"), Field("mode"),
               Field("replica", int), Field("failure_fallback", bool), Field("path_on_compute"))

    def __init__(self, dataset_id: str | None = None, datacache_store: str | None = None,
                 datacache_id: str | None = None, mode: str = "mount", path_on_compute: str | None = None,
                 replica: int | None = None, failure_fallback: bool = False):
        self.datacache_id = datacache_id
        self.datacache_store = datacache_store
        self.dataset_id = dataset_id
        self.mode = (mode or "mount").lower()
        self.path_on_compute = path_on_compute
        self.replica = replica
        self.failure_fallback = failure_fallback

    @staticmethod
    def create(data: Any) -> "DatacacheConfiguration":
        """From a ``DatacacheConsumptionConfig``."""
        if not hasattr(data, "datacache_store") or not hasattr(data, "dataset"):
            raise UserErrorException("Data must be an instance of DatacacheConsumptionConfig.")
        return DatacacheConfiguration(datacache_id=getattr(data, "datacache_id", None),
                                      datacache_store=getattr(data.datacache_store, "name", data.datacache_store),
                                      dataset_id=getattr(data.dataset, "id", None), mode=data.mode,
                                      path_on_compute=getattr(data, "path_on_compute", None),
                                      replica=getattr(data, "replica_count", None))


class DatasetRegistrationOptions(ConfigElement):
    _FIELDS = (Field("additional_transformation"),)

    def __init__(self, additional_transformations: str | None = None):
        self.additional_transformation = additional_transformations


class RegistrationOptions(ConfigElement):
    _FIELDS = (Field("name"), Field("description"), Field("tags", dict),
               Field("dataset_registration_options", DatasetRegistrationOptions))

    def __init__(self, name: str | None = None, description: str | None = None, tags: dict | None = None,
                 dataset_registration_options: DatasetRegistrationOptions | None = None):
        self.name = name
        self.description = description
        self.tags = tags
        self.dataset_registration_options = dataset_registration_options


class GlobsOptions(ConfigElement):
    _FIELDS = (Field("patterns", list),)

    def __init__(self, patterns: list | None = None):
        self.patterns = patterns


class UploadOptions(ConfigElement):
    _FIELDS = (Field("overwrite", bool), Field("source_globs", GlobsOptions))

    def __init__(self, overwrite: bool = False, source_globs: GlobsOptions | None = None):
        self.overwrite = overwrite
        self.source_globs = source_globs


class MountOptions(ConfigElement):
    _FIELDS = (Field("disable_metadata_cache", bool),)

    def __init__(self, disable_metadata_cache: bool = False):
        self.disable_metadata_cache = disable_metadata_cache


class OutputOptions(ConfigElement):
    _FIELDS = (Field("path_on_compute"), Field("registration_options", RegistrationOptions),
               Field("upload_options", UploadOptions), Field("mount_options", MountOptions))

    def __init__(self, path_on_compute: str | None = None, registration_options: Any = None,
                 upload_options: Any = None, mount_options: Any = None):
        self.path_on_compute = path_on_compute
        self.registration_options = registration_options
        self.upload_options = upload_options
        self.mount_options = mount_options


class OutputData(ConfigElement):
    """How an output is uploaded and tracked (``runconfig.output_data[name]``)."""

    _FIELDS = (Field("output_location", DataLocation), Field("mechanism"), Field("additional_options", OutputOptions))

    def __init__(self, output_location: DataLocation | None = None, mechanism: str = "mount",
                 additional_options: OutputOptions | None = None):
        self.output_location = output_location
        self.mechanism = (mechanism or "mount").lower()
        self.additional_options = additional_options
