"""The sections of an ``Environment`` (python, docker, spark, databricks, r) and their parts.

Same attribute names, defaults and serialized (camelCase) keys as the SDK. Docker
settings are recorded, never acted on: steps run as local processes (see
:mod:`azureml_local.environment`).
"""
from __future__ import annotations

import logging
import os
from enum import Enum
from typing import Any

from azureml_local.conda_dependencies import CondaDependencies
from azureml_local.config_element import ConfigElement, Field
from azureml_local.exceptions import UserErrorException

log = logging.getLogger("azureml.core.environment")

DEFAULT_CPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1"
DEFAULT_GPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
_DEFAULT_SHM_SIZE = "2g"


class RegistryIdentity(ConfigElement):
    _FIELDS = (Field("resource_id"), Field("client_id"))

    def __init__(self) -> None:
        self.resource_id = None
        self.client_id = None


class ContainerRegistry(ConfigElement):
    """A container registry (address and credentials); recorded only."""

    _FIELDS = (Field("address"), Field("username"), Field("password"),
               Field("registry_identity", RegistryIdentity))

    def __init__(self) -> None:
        self.address = None
        self.username = None
        self.password = None
        self.registry_identity = None


class PythonSection(ConfigElement):
    """Which Python (and packages) a run uses."""

    _FIELDS = (Field("user_managed_dependencies", bool), Field("interpreter_path"),
               Field("_conda_dependencies_file"), Field("_base_conda_environment"))

    def __init__(self, **kwargs: Any) -> None:
        self.interpreter_path = "python"
        self.user_managed_dependencies = False
        self._conda_dependencies_file = None
        self._base_conda_environment = None
        self.conda_dependencies = None if kwargs.get("_skip_defaults") else CondaDependencies()

    @property
    def conda_dependencies_file(self) -> str | None:
        return self._conda_dependencies_file

    @conda_dependencies_file.setter
    def conda_dependencies_file(self, value: str | None) -> None:
        log.warning("Property conda_dependencies_file is deprecated. Use Environment.from_conda_specification")
        self._conda_dependencies_file = value or None

    def _to_dict(self) -> dict[str, Any]:
        out = super()._to_dict()
        out["condaDependencies"] = (self.conda_dependencies.as_dict()
                                    if self.conda_dependencies is not None else None)
        return out

    @classmethod
    def _from_dict(cls, data: dict | None, obj: Any = None) -> "PythonSection":
        section = super()._from_dict(data, obj)
        inline = (data or {}).get("condaDependencies", (data or {}).get("conda_dependencies"))
        if isinstance(inline, CondaDependencies):
            section.conda_dependencies = inline
        elif inline is not None:
            section.conda_dependencies = CondaDependencies(_underlying_structure=inline)
        return section  # type: ignore[return-value]

    @classmethod
    def _blank(cls) -> "PythonSection":
        return cls(_skip_defaults=True)


class PythonEnvironment(PythonSection):
    """DEPRECATED. Use :class:`PythonSection`."""


class DockerImagePlatform(ConfigElement):
    _FIELDS = (Field("os"), Field("architecture"))

    def __init__(self) -> None:
        self.os = "Linux"
        self.architecture = "amd64"


class DockerBuildContext(ConfigElement):
    """A Docker build context (recorded; no image is built locally)."""

    class LocationType(Enum):
        Git = "git"
        StorageAccount = "storageAccount"

    _FIELDS = (Field("location_type", LocationType), Field("location"), Field("dockerfile_path"))

    def __init__(self, location_type: Any = None, location: str | None = None, dockerfile_path: str = "Dockerfile"):
        self.location_type = location_type
        self.location = location
        self.dockerfile_path = dockerfile_path or "Dockerfile"

    @staticmethod
    def from_local_directory(workspace: Any, path: str, dockerfile_path: str = "Dockerfile") -> "DockerBuildContext":
        """Record a local folder as the build context (its absolute path is the location)."""
        if not os.path.isdir(path):
            raise UserErrorException("{} is not a valid directory.".format(path))
        if not any(files for _, _, files in os.walk(path)):
            raise UserErrorException("No files found in {}.".format(path))
        return DockerBuildContext(DockerBuildContext.LocationType.StorageAccount, os.path.abspath(path),
                                  dockerfile_path)


class DockerSection(ConfigElement):
    """Docker settings of an environment (kept for fidelity; runs do not use containers)."""

    _FIELDS = (Field("_enabled", bool), Field("_base_image"), Field("_base_dockerfile"),
               Field("_build_context", DockerBuildContext), Field("_shared_volumes", bool), Field("_shm_size"),
               Field("_arguments", list), Field("base_image_registry", ContainerRegistry),
               Field("platform", DockerImagePlatform))

    def __init__(self, **kwargs: Any) -> None:
        self._enabled = False
        self._shm_size = None
        self._shared_volumes = True
        self._arguments: list = []
        self._base_image = None
        self.base_image_registry = ContainerRegistry()
        self._base_dockerfile = None
        self._build_context = None
        self.platform = DockerImagePlatform()
        if not kwargs.get("_skip_defaults"):
            self._shm_size = _DEFAULT_SHM_SIZE
            self._base_image = DEFAULT_CPU_IMAGE

    @classmethod
    def _blank(cls) -> "DockerSection":
        return cls(_skip_defaults=True)

    @property
    def base_image(self) -> str | None:
        return self._base_image

    @base_image.setter
    def base_image(self, value: str | None) -> None:
        self._base_image = value or None
        if value:
            self._base_dockerfile = None
            self._build_context = None

    @property
    def base_dockerfile(self) -> str | None:
        return self._base_dockerfile

    @base_dockerfile.setter
    def base_dockerfile(self, value: Any) -> None:
        if not value:
            self._base_dockerfile = None
            return
        if hasattr(value, "read"):
            self._base_dockerfile = value.read()
        elif isinstance(value, str) and os.path.isfile(value):
            with open(value) as f:
                self._base_dockerfile = f.read()
        else:
            self._base_dockerfile = value
        self._base_image = None
        self._build_context = None

    @property
    def build_context(self) -> DockerBuildContext | None:
        return self._build_context

    @build_context.setter
    def build_context(self, value: DockerBuildContext | None) -> None:
        self._build_context = value or None
        if value:
            self._base_image = None
            self._base_dockerfile = None

    @property
    def gpu_support(self) -> bool:
        return True

    @gpu_support.setter
    def gpu_support(self, _: Any) -> None:
        log.warning("'gpu_support' is no longer necessary; AzureML now automatically detects and uses "
                    "nvidia docker extension when it is available. It will be removed in a future release.")

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool = False) -> None:
        log.warning("'enabled' is deprecated. Please use the azureml.core.runconfig.DockerConfiguration "
                    "object with the 'use_docker' param instead.")
        self._enabled = value

    @property
    def shared_volumes(self) -> bool:
        return self._shared_volumes

    @shared_volumes.setter
    def shared_volumes(self, value: bool = True) -> None:
        self._shared_volumes = value

    @property
    def arguments(self) -> list:
        return self._arguments

    @arguments.setter
    def arguments(self, value: list | None = None) -> None:
        self._arguments = list(value or [])

    @property
    def shm_size(self) -> str | None:
        return self._shm_size

    @shm_size.setter
    def shm_size(self, value: str | None = None) -> None:
        self._shm_size = value


class DockerEnvironment(DockerSection):
    """DEPRECATED. Use :class:`DockerSection`."""


class SparkPackage(ConfigElement):
    _FIELDS = (Field("group"), Field("artifact"), Field("version"))

    def __init__(self, group: str | None = None, artifact: str | None = None, version: str | None = None):
        self.group = group
        self.artifact = artifact
        self.version = version


class SparkSection(ConfigElement):
    _FIELDS = (Field("repositories", list), Field("packages", list, element=SparkPackage),
               Field("precache_packages", bool))

    def __init__(self, **kwargs: Any) -> None:
        self.repositories: list = []
        self.packages: list = []
        self.precache_packages = True


class SparkEnvironment(SparkSection):
    """DEPRECATED. Use :class:`SparkSection`."""


class _Library(ConfigElement):
    def __repr__(self) -> str:
        return "{}({})".format(type(self).__name__, ", ".join(
            f"{f.attr}={getattr(self, f.attr)!r}" for f in self._FIELDS))


class MavenLibrary(_Library):
    _FIELDS = (Field("coordinates"), Field("repo"), Field("exclusions", list))

    def __init__(self, coordinates: str | None = None, repo: str | None = None, exclusions: list | None = None):
        self.coordinates = coordinates
        self.repo = repo
        self.exclusions = exclusions


class PyPiLibrary(_Library):
    _FIELDS = (Field("package"), Field("repo"))

    def __init__(self, package: str | None = None, repo: str | None = None):
        self.package = package
        self.repo = repo


class RCranLibrary(_Library):
    _FIELDS = (Field("package"), Field("repo"))

    def __init__(self, package: str | None = None, repo: str | None = None):
        self.package = package
        self.repo = repo


class JarLibrary(_Library):
    _FIELDS = (Field("library"),)

    def __init__(self, library: str | None = None):
        self.library = library


class EggLibrary(_Library):
    _FIELDS = (Field("library"),)

    def __init__(self, library: str | None = None):
        self.library = library


class DatabricksCluster(_Library):
    _FIELDS = tuple(Field(n) for n in (
        "existing_cluster_id", "spark_version", "node_type", "instance_pool_id", "num_workers", "min_workers",
        "max_workers", "spark_env_variables", "spark_conf", "init_scripts", "cluster_log_dbfs_path",
        "permit_cluster_restart"))

    def __init__(self, existing_cluster_id: str | None = None, spark_version: str | None = None,
                 node_type: str | None = None, instance_pool_id: str | None = None, num_workers: int | None = None,
                 min_workers: int | None = None, max_workers: int | None = None,
                 spark_env_variables: dict | None = None, spark_conf: dict | None = None,
                 init_scripts: list | None = None, cluster_log_dbfs_path: str | None = None,
                 permit_cluster_restart: bool | None = None):
        self.existing_cluster_id = existing_cluster_id
        self.spark_version = spark_version
        self.node_type = node_type
        self.instance_pool_id = instance_pool_id
        self.num_workers = num_workers
        self.min_workers = min_workers
        self.max_workers = max_workers
        self.spark_env_variables = spark_env_variables
        self.spark_conf = spark_conf
        self.init_scripts = init_scripts
        self.cluster_log_dbfs_path = cluster_log_dbfs_path
        self.permit_cluster_restart = permit_cluster_restart

    def validate(self) -> None:
        """An existing cluster id, or a full new-cluster spec (version, node type, workers)."""
        if self.existing_cluster_id:
            return
        if not self.spark_version or not (self.node_type or self.instance_pool_id):
            raise UserErrorException("Either existing_cluster_id, or spark_version with node_type (or "
                                     "instance_pool_id) must be provided for a Databricks cluster.")
        if self.num_workers is None and (self.min_workers is None or self.max_workers is None):
            raise UserErrorException("Provide num_workers, or both min_workers and max_workers.")


class DatabricksSection(ConfigElement):
    _FIELDS = (Field("maven_libraries", list, element=MavenLibrary), Field("pypi_libraries", list, element=PyPiLibrary),
               Field("rcran_libraries", list, element=RCranLibrary), Field("jar_libraries", list, element=JarLibrary),
               Field("egg_libraries", list, element=EggLibrary), Field("cluster", DatabricksCluster))

    def __init__(self, **kwargs: Any) -> None:
        self.maven_libraries: list = []
        self.pypi_libraries: list = []
        self.rcran_libraries: list = []
        self.jar_libraries: list = []
        self.egg_libraries: list = []
        self.cluster = None


class RCranPackage(ConfigElement):
    _FIELDS = (Field("name"), Field("version"), Field("repository"))

    def __init__(self) -> None:
        self.name = None
        self.version = None
        self.repository = None


class RGitHubPackage(ConfigElement):
    _FIELDS = (Field("repository"), Field("auth_token"))

    def __init__(self) -> None:
        self.repository = None
        self.auth_token = None


class RSection(ConfigElement):
    _FIELDS = (Field("r_version"), Field("user_managed", bool), Field("rscript_path"), Field("snapshot_date"),
               Field("cran_packages", list, element=RCranPackage), Field("github_packages", list, element=RGitHubPackage),
               Field("custom_url_packages", list), Field("bioconductor_packages", list))

    def __init__(self) -> None:
        self.r_version = None
        self.user_managed = False
        self.rscript_path = None
        self.snapshot_date = None
        self.cran_packages = None
        self.github_packages = None
        self.custom_url_packages = None
        self.bioconductor_packages = None
