"""``azureml.core.Environment``: a recorded, versioned description of where a script runs.

Locally no image is built and no conda environment is created: steps run under
the current interpreter (or ``python.interpreter_path`` when
``user_managed_dependencies=True``). The environment is still stored, versioned
and checked: :func:`missing_packages` tells the run engine which requested
packages are not importable here, so a run can warn (or fail) with a clear list
instead of an ``ImportError`` deep in a script.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from typing import Any

from azureml_local.conda_dependencies import PYTHON_DEFAULT_VERSION, CondaDependencies
from azureml_local.config_element import ConfigElement, Field
from azureml_local.environment_sections import (  # noqa: F401  (re-exported: SDK import paths)
    DEFAULT_CPU_IMAGE, DEFAULT_GPU_IMAGE, ContainerRegistry, DatabricksSection, DockerBuildContext,
    DockerEnvironment, DockerImagePlatform, DockerSection, PythonEnvironment, PythonSection, RCranPackage,
    RGitHubPackage, RSection, SparkEnvironment, SparkPackage, SparkSection)
from azureml_local import environment_registry
from azureml_local.environment_packages import missing_packages as _missing
from azureml_local.exceptions import UserErrorException

log = logging.getLogger("azureml.core.environment")

_CONDA_DEPENDENCIES_FILE_NAME = "conda_dependencies.yml"
_BASE_DOCKERFILE_FILE_NAME = "BaseDockerfile"
_DEFINITION_FILE_NAME = "azureml_environment.json"
_PRIVATE_PKG_CONTAINER_NAME = "azureml-private-packages"


class Environment(ConfigElement):
    """Configures a reproducible Python environment for machine learning experiments."""

    _FIELDS = (Field("name"), Field("version"), Field("_environment_variables", dict), Field("python", PythonSection),
               Field("docker", DockerSection), Field("spark", SparkSection), Field("databricks", DatabricksSection),
               Field("r", RSection), Field("inferencing_stack_version"), Field("asset_id"))

    def __init__(self, name: str, **kwargs: Any):
        if name is not None and not isinstance(name, str):
            raise TypeError("Environment name expected str, {} found".format(type(name)))
        skip = bool(kwargs.get("_skip_defaults"))
        self.name = name
        self.version: str | None = None
        self.python = PythonSection(_skip_defaults=skip)
        self.docker = DockerSection(_skip_defaults=skip)
        self.spark = SparkSection(_skip_defaults=skip)
        self.databricks = DatabricksSection(_skip_defaults=skip)
        self._environment_variables: dict = {} if skip else {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"}
        self.inferencing_stack_version = None
        self.r = None
        self.asset_id = None

    @classmethod
    def _blank(cls) -> "Environment":
        return cls(None, _skip_defaults=True)  # type: ignore[arg-type]

    @property
    def environment_variables(self) -> dict:
        """DEPRECATED: use ``RunConfiguration.environment_variables``."""
        return self._environment_variables

    @environment_variables.setter
    def environment_variables(self, value: dict) -> None:
        log.warning("Property environment_variables is deprecated. "
                    "Use RunConfiguration.environment_variables to set runtime variables.")
        self._environment_variables = value

    def __str__(self) -> str:
        return "Environment(Name: {},\nVersion: {})".format(self.name, self.version)

    def __repr__(self) -> str:
        return json.dumps(Environment._serialize_to_dict(self), indent=4, sort_keys=True)

    # -- serialization (the SDK's static helpers, used by runconfig/pipelines) ----------
    @staticmethod
    def _serialize_to_dict(environment: "Environment", use_commented_map: bool = False) -> dict[str, Any]:
        return environment._to_dict()

    @staticmethod
    def _deserialize_and_add_to_object(serialized_dict: dict[str, Any]) -> "Environment":
        if serialized_dict and set(serialized_dict) <= {"name", "version"}:
            return EnvironmentReference(serialized_dict.get("name"), serialized_dict.get("version"))  # type: ignore
        return Environment._from_dict(serialized_dict)  # type: ignore[return-value]

    # -- registry -----------------------------------------------------------------------
    def register(self, workspace: Any) -> "Environment":
        """Register (version 1, 2, ... per name; unchanged content keeps its version)."""
        if self.version is not None:
            log.warning("Environment version is set. Attempting to register desired version. "
                        "To auto-version, reset version to None.")
        return environment_registry.register(workspace, self)

    @staticmethod
    def label(workspace: Any, name: str, version: str, labels: list[str]) -> None:
        environment_registry.set_labels(workspace, name, version, labels)

    def clone(self, new_name: str) -> "Environment":
        if not new_name:
            raise UserErrorException("Name is required to instantiate an Environment object")
        env = Environment._deserialize_and_add_to_object(Environment._serialize_to_dict(self))
        env.name = new_name
        env.version = None
        env.asset_id = None
        return env

    @staticmethod
    def get(workspace: Any, name: str, version: str | None = None, label: str | None = None) -> "Environment":
        """The registered (or curated) environment ``name``: latest, a ``version`` or a ``label``."""
        if label and version:
            raise UserErrorException("Only one of version or label can be specified")
        return environment_registry.get(workspace, name, version=version, label=label)

    @staticmethod
    def list(workspace: Any) -> dict[str, "Environment"]:
        """``{name: Environment}``: latest version of each registered one, plus the curated ones."""
        return environment_registry.list_latest(workspace)

    # -- factories ------------------------------------------------------------------------
    @staticmethod
    def _from_dependencies(name: str, conda_specification: str | None = None,
                           pip_requirements: str | None = None) -> "Environment":
        if conda_specification and pip_requirements:
            raise UserErrorException("Only one of conda_specification or pip_requirements can be specified "
                                     "as python dependencies")
        if conda_specification:
            return Environment.from_conda_specification(name, conda_specification)
        if pip_requirements:
            return Environment.from_pip_requirements(name, pip_requirements)
        env = Environment(name)
        env.python.user_managed_dependencies = True
        return env

    @staticmethod
    def from_dockerfile(name: str, dockerfile: Any, conda_specification: str | None = None,
                        pip_requirements: str | None = None) -> "Environment":
        env = Environment._from_dependencies(name, conda_specification, pip_requirements)
        env.docker.base_image = None
        env.docker.build_context = None
        env.docker.base_dockerfile = dockerfile
        return env

    @staticmethod
    def from_docker_image(name: str, image: str, container_registry: Any = None,
                          conda_specification: str | None = None, pip_requirements: str | None = None) -> "Environment":
        env = Environment._from_dependencies(name, conda_specification, pip_requirements)
        env.docker.base_dockerfile = None
        env.docker.build_context = None
        env.docker.base_image = image
        if container_registry:
            env.docker.base_image_registry = container_registry
        return env

    @staticmethod
    def from_docker_build_context(name: str, docker_build_context: DockerBuildContext) -> "Environment":
        env = Environment(name, _skip_defaults=True)
        env.docker.build_context = docker_build_context
        return env

    @staticmethod
    def from_conda_specification(name: str, file_path: str) -> "Environment":
        """An environment whose packages come from a conda ``environment.yml``."""
        conda_dependencies = CondaDependencies(conda_dependencies_file_path=file_path)
        if not conda_dependencies._python_version:
            log.warning('No Python version provided, defaulting to "{}"'.format(PYTHON_DEFAULT_VERSION))
            conda_dependencies.set_python_version(PYTHON_DEFAULT_VERSION)
        env = Environment(name=name)
        env.python.conda_dependencies = conda_dependencies
        return env

    @staticmethod
    def from_existing_conda_environment(name: str, conda_environment_name: str) -> "Environment | None":
        """Export a local conda environment (needs ``conda`` on PATH; None if unavailable, as the SDK)."""
        import subprocess  # stdlib, but ~6 ms: only conda-backed environments need it
        import tempfile

        conda = shutil.which("conda")
        if conda is None:
            print("Unable to run Conda package manager. Please make sure Conda (>= 4.4.0) is installed.")
            return None
        try:
            listing = json.loads(subprocess.check_output([conda, "env", "list", "--json"]).decode("utf-8"))
        except (subprocess.CalledProcessError, ValueError) as exc:
            print("Getting the list of existing conda environments failed: {}".format(exc))
            return None
        if not any(os.path.basename(os.path.normpath(p)) == conda_environment_name for p in listing.get("envs", [])):
            print("Could not find existing conda environment named: {}".format(conda_environment_name))
            print("Please make sure the conda environment {} exists.".format(conda_environment_name))
            return None
        print("Exporting conda specifications for existing conda environment: {}".format(conda_environment_name))
        try:
            spec = subprocess.check_output([conda, "env", "export", "--no-builds", "--name", conda_environment_name])
        except subprocess.CalledProcessError as ex:
            print("Exporting conda specifications failed with exit code: {}".format(ex.returncode))
            return None
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "env.yml")
            with open(path, "wb") as f:
                f.write(spec)
            return Environment.from_conda_specification(name, path)

    @staticmethod
    def from_pip_requirements(name: str, file_path: str, pip_version: str | None = None) -> "Environment":
        """An environment whose pip section is a ``requirements.txt``."""
        env = Environment(name=name)
        try:
            with open(file_path) as f:
                lines = [ln.strip() for ln in f.read().splitlines()]
        except FileNotFoundError as exc:  # the SDK's type (it opens the file), with a clearer message
            raise FileNotFoundError(exc.errno, "Pip requirements file not found (relative paths are resolved "
                                               f"from {os.getcwd()})", file_path) from exc
        env.python.conda_dependencies.set_pip_requirements([ln for ln in lines if ln and not ln.startswith("#")])
        env.python.conda_dependencies.add_conda_package("pip={}".format(pip_version) if pip_version else "pip")
        return env

    @staticmethod
    def add_private_pip_wheel(workspace: Any, file_path: str, exist_ok: bool = False) -> str:
        """Store a wheel in the workspace's blob storage; returns its URL (usable as a pip package)."""
        if not os.path.isfile(file_path):
            raise UserErrorException("Please make sure the wheel file exists at: {}".format(file_path))
        wheel_name = os.path.basename(file_path)
        blobs = workspace._blobs
        blobs.create_container(_PRIVATE_PKG_CONTAINER_NAME)
        if blobs.exists(_PRIVATE_PKG_CONTAINER_NAME, wheel_name):
            if not exist_ok:
                raise UserErrorException(
                    "\nA wheel with the name {0} already exists.\nPlease make sure {0} is the private wheel you "
                    "would like to add to the workspace.\nIf you would like to have it be a no-op instead of "
                    "throwing an exception for duplicate entries,\nplease set exist_ok=True".format(wheel_name))
        else:
            blobs.upload_file(_PRIVATE_PKG_CONTAINER_NAME, wheel_name, file_path, overwrite=False)
        return blobs.url(_PRIVATE_PKG_CONTAINER_NAME, wheel_name)

    # -- images (no Docker here) ------------------------------------------------------------
    def get_image_details(self, workspace: Any) -> "DockerImageDetails":
        """What would run this environment: locally, the current interpreter."""
        image = self.docker.base_image if self.docker else None
        return DockerImageDetails({
            "imageExistsInRegistry": False,
            "dockerImage": {"name": image, "registry": {"address": None, "username": None, "password": None}},
            "pythonEnvironment": {"interpreterPath": self._interpreter(), "condaEnvironmentPath": sys.prefix},
            "ingredients": {"dockerfile": self.docker.base_dockerfile if self.docker else None},
        })

    def build(self, workspace: Any, image_build_compute: Any = None) -> "ImageBuildDetails":
        """Register the environment; no image is built locally (runs use this interpreter)."""
        if self.version is None:
            log.warning("Building a non-registered environment is not supported. Registering environment.")
        registered = self.register(workspace)
        print("azureml-local: no Docker image is built for environment '{}' version {}; runs use {}.".format(
            registered.name, registered.version, registered._interpreter()))
        return ImageBuildDetails(registered, None)

    def build_local(self, workspace: Any, platform: Any = None, **kwargs: Any) -> None:
        """No-op locally: prints which interpreter runs will use and what is missing from it."""
        missing = missing_packages(self)
        print("azureml-local: environment '{}' is not built; runs use {}.".format(self.name, self._interpreter()))
        if missing:
            print("Packages requested but not installed here: {}".format(", ".join(missing)))

    def _interpreter(self) -> str:
        if self.python is not None and self.python.user_managed_dependencies and self.python.interpreter_path:
            return self.python.interpreter_path
        return sys.executable

    # -- files ------------------------------------------------------------------------------
    def save_to_directory(self, path: str, overwrite: bool = False) -> None:
        """Write ``azureml_environment.json`` (+ ``conda_dependencies.yml``, ``BaseDockerfile``) to ``path``."""
        try:
            os.makedirs(path, exist_ok=overwrite)
        except FileExistsError as exc:
            raise UserErrorException(f"Directory {path} already exists; pass overwrite=True to replace it.") from exc
        definition = Environment._serialize_to_dict(self)
        if self.python is not None and self.python.conda_dependencies is not None:
            self.python.conda_dependencies.save_to_file(path, _CONDA_DEPENDENCIES_FILE_NAME)
            definition["python"].pop("condaDependencies", None)
        if self.docker is not None and self.docker.base_dockerfile:
            with open(os.path.join(path, _BASE_DOCKERFILE_FILE_NAME), "w") as f:
                f.write(self.docker.base_dockerfile)
            definition["docker"].pop("baseDockerfile", None)
        with open(os.path.join(path, _DEFINITION_FILE_NAME), "w") as f:
            json.dump(definition, f, indent=4)

    @staticmethod
    def load_from_directory(path: str) -> "Environment":
        definition_path = os.path.join(path, _DEFINITION_FILE_NAME)
        if not os.path.isfile(definition_path):
            raise FileNotFoundError(definition_path)
        with open(definition_path) as f:
            env = Environment._deserialize_and_add_to_object(json.load(f))
        conda_file = os.path.join(path, _CONDA_DEPENDENCIES_FILE_NAME)
        if os.path.isfile(conda_file):
            env.python = env.python or PythonSection(_skip_defaults=True)
            env.python.conda_dependencies = CondaDependencies(conda_file)
        dockerfile = os.path.join(path, _BASE_DOCKERFILE_FILE_NAME)
        if os.path.isfile(dockerfile):
            with open(dockerfile) as f:
                env.docker = env.docker or DockerSection(_skip_defaults=True)
                env.docker.base_dockerfile = f.read()
        return env


class EnvironmentReference(ConfigElement):
    """A reference to a registered environment by name (and version)."""

    _FIELDS = (Field("name"), Field("version"))

    def __init__(self, name: str, version: str | None = None):
        self.name = name
        self.version = version

    def __repr__(self) -> str:
        return "EnvironmentReference(Name: {},\nVersion: {})".format(self.name, self.version)

    def get_environment(self, workspace: Any) -> Environment:
        return Environment.get(workspace, self.name, self.version)


class DockerImageDetails(dict):
    """Image details (locally: the interpreter that runs the environment)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)

    @property
    def image_exist(self) -> bool:
        return bool(self.get("imageExistsInRegistry"))

    @property
    def repository(self) -> str | None:
        return self["dockerImage"].get("name")

    @property
    def registry(self) -> str | None:
        return self["dockerImage"]["registry"].get("address")

    @property
    def image(self) -> str | None:
        return self.repository if self.registry is None else "/".join([self.registry, self.repository or ""])

    @property
    def interpreter_path(self) -> str:
        return self["pythonEnvironment"]["interpreterPath"]

    @property
    def environment_path(self) -> str:
        return self["pythonEnvironment"]["condaEnvironmentPath"]

    @property
    def dockerfile(self) -> str | None:
        return (self.get("ingredients") or {}).get("dockerfile")


class ImageBuildDetails:
    """Result of :meth:`Environment.build`: locally always ``Succeeded`` at once."""

    def __init__(self, environment_client: Any, location: str | None):
        # Locally the "client" is the registered Environment itself (there is no build service).
        self.environment_client = environment_client
        self.environment = environment_client
        self.log_url = None
        self._location = location

    @property
    def status(self) -> str:
        return "Succeeded"

    def get_log(self) -> str:
        return "azureml-local: no image build; environment '{}' runs with {}\n".format(
            self.environment.name, self.environment._interpreter())

    def wait_for_completion(self, show_output: bool = True) -> "ImageBuildDetails":
        if show_output:
            print("Image Build Status: {0}\n".format(self.status))
        return self


def missing_packages(env: Any) -> list[str]:
    """Requested pip/conda packages not installed for this interpreter (see :mod:`.environment_packages`)."""
    return _missing(env)
