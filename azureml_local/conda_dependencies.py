"""``azureml.core.conda_dependencies.CondaDependencies``: a conda environment spec in memory.

The spec is kept as the plain structure of a conda ``environment.yml``
(``{"name", "channels", "dependencies": [..., {"pip": [...]}]}``); PyYAML reads and
writes it (imported lazily). Behaviour (defaults, ordering, messages) follows the SDK.
Nothing is installed here: the run engine only *checks* the spec against the
current interpreter (see :func:`azureml_local.environment.missing_packages`).
"""
from __future__ import annotations

import copy
import json
import os
import re
from typing import Any, Iterator

from azureml_local import SDK_VERSION
from azureml_local.exceptions import UserErrorException

BASE_PROJECT_MODULE = "azureml._project"
BASE_PROJECT_FILE_RELATIVE_PATH = "base_project_files/conda_dependencies.yml"
DEFAULT_SDK_ORIGIN = "https://pypi.python.org/simple"
CONDA_FILE_NAME = "auto_conda_dependencies.yml"
CHANNELS = "channels"
PACKAGES = "dependencies"
PIP = "pip"
PYTHON_PREFIX = "python"
VERSION_REGEX = re.compile(r"(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$")
CNTK_DEFAULT_VERSION = "2.7"
PYTHON_DEFAULT_VERSION = "3.10.18"
LINUX_PLATFORM = "linux"
WINDOWS_PLATFORM = "win32"
TENSORFLOW_DEFAULT_VERSION = "2.2.0"
PYTORCH_DEFAULT_VERSION = "1.6.0"
TORCHVISION_DEFAULT_VERSION = "0.7.0"
HOROVOD_DEFAULT_VERSION = "0.19.5"
DEFAULT_CHAINER_VERSION = "7.7.0"
CUPY_DEFAULT_VERSION = "cupy-cuda102"
CPU = "cpu"
GPU = "gpu"
CNTK_PACKAGE_PREFIX = "cntk"
TENSORFLOW_PACKAGE_PREFIX = "tensorflow"
PYTORCH_PACKAGE_PREFIX = "torch"
TORCHVISION_PACKAGE_PREFIX = "torchvision"
CHAINER_PACKAGE_PREFIX = "chainer"
INVALID_PATHON_MESSAGE = "Invalid python version {0}," + "only accept '3.8'"
_VALID_YML_KEYS = ["name", "channels", "dependencies", "prefix", "variables"]


def _base_structure() -> dict[str, Any]:
    """What ``CondaDependencies()`` starts from (the SDK's base project file)."""
    return {"name": "project_environment",
            "dependencies": ["python=3.8.13", {"pip": ["azureml-defaults"]}],
            "channels": ["anaconda", "conda-forge"]}


def _yaml_load(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UserErrorException(f"Environment error: not a valid YAML structure ({exc})") from exc


def _yaml_dump(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, default_flow_style=False, sort_keys=False)


class CondaDependencies:
    """Manages application dependencies in an Azure Machine Learning environment."""

    DEFAULT_NUMBER_OF_CONDA_PACKAGES = 0
    DEFAULT_NUMBER_OF_PIP_PACKAGES = 0
    _VALID_YML_KEYS = _VALID_YML_KEYS

    def __init__(self, conda_dependencies_file_path: str | None = None, _underlying_structure: Any = None):
        if conda_dependencies_file_path is not None:
            path = os.path.normpath(conda_dependencies_file_path)
            try:
                with open(path) as f:
                    structure = _yaml_load(f.read())
            except FileNotFoundError as exc:  # the SDK's type (it opens the file), with a clearer message
                raise FileNotFoundError(exc.errno, f"Conda dependencies file not found (relative paths are "
                                                   f"resolved from {os.getcwd()})", path) from exc
        elif _underlying_structure is not None:
            structure = copy.deepcopy(_underlying_structure)
        else:
            structure = _base_structure()
        CondaDependencies._validate_yaml(structure)
        self._conda_dependencies: dict[str, Any] = structure
        self._python_version = self.get_python_version()

    @staticmethod
    def _validate_yaml(structure: Any) -> None:
        if not isinstance(structure, dict):
            raise UserErrorException("Environment error: not a valid YAML structure")
        for key in structure:
            if str(key) not in _VALID_YML_KEYS:
                raise UserErrorException(
                    "Environment error: unknown {} key in environment specification".format(key))

    @staticmethod
    def create(pip_indexurl: str | None = None, pip_packages: list[str] | None = None,
               conda_packages: list[str] | None = None, python_version: str = PYTHON_DEFAULT_VERSION,
               pin_sdk_version: bool = True, _channels: list[str] | None = None) -> "CondaDependencies":
        """A spec with the given packages (``azureml-defaults`` when ``pip_packages`` is None).

        ``_channels`` (not in the SDK, hence private) adds conda channels.
        """
        cd = CondaDependencies()
        origin = CondaDependencies.sdk_origin_url().rstrip("/")
        if pip_indexurl or origin != DEFAULT_SDK_ORIGIN:
            cd.set_pip_option("--find-links {}".format(pip_indexurl or origin))
            cd.set_pip_option("--extra-index-url {}".format(DEFAULT_SDK_ORIGIN))
        cd.set_python_version(python_version)
        if pip_packages is None:
            pip_packages = ["azureml-defaults"]
        else:
            for package in list(cd.pip_packages):
                cd.remove_pip_package(package)
        for package in pip_packages:
            if pin_sdk_version and cd._get_package_name(package) in CondaDependencies._sdk_scope():
                cd.add_pip_package("{}~={}".format(cd._get_package_name_with_extras(package), SDK_VERSION))
            else:
                cd.add_pip_package(package)
        for package in conda_packages or []:
            cd.add_conda_package(package)
        for channel in _channels or []:
            cd.add_channel(channel)
        return cd

    @staticmethod
    def merge_requirements(requirements: list[str]) -> list[str]:
        """Merge requirement strings of the same package: ``["a>1", "a<3"]`` -> ``["a>1,<3"]``."""
        packages: dict[str, list[str]] = {}
        for req in requirements:
            name = CondaDependencies._get_package_name(req)
            packages.setdefault(name, []).append(req[len(name):].strip())
        return ["{}{}".format(name, ",".join(x for x in specs if x)) for name, specs in packages.items()]

    @staticmethod
    def _sdk_scope() -> list[str]:
        """Distributions released with the SDK (pinned to its version by ``create``)."""
        return ["azureml-core", "azureml-defaults", "azureml-pipeline", "azureml-pipeline-core",
                "azureml-pipeline-steps", "azureml-dataset-runtime", "azureml-train-core", "azureml-telemetry",
                "azureml-mlflow", "azureml-sdk", "azureml-widgets", "azureml-train-automl-client"]

    @staticmethod
    def sdk_origin_url() -> str:
        """Index URL the SDK packages come from (PyPI for released versions)."""
        return DEFAULT_SDK_ORIGIN

    def _merge_dependencies(self, other: "CondaDependencies | None") -> None:
        if not other:
            return
        for channel in other.conda_channels:
            self.add_channel(channel)
        for package in other.conda_packages:
            self.add_conda_package(package)
        for package in other.pip_packages:
            self.add_pip_package(package)

    def set_pip_index_url(self, index_url: str) -> None:
        self.set_pip_option(index_url)

    # -- views -----------------------------------------------------------------
    def _deps(self) -> list[Any]:
        return self._conda_dependencies.get(PACKAGES) or []

    def _pip_list(self) -> list[str] | None:
        for item in self._deps():
            if isinstance(item, dict) and PIP in item:
                if item[PIP] is None:
                    item[PIP] = []
                return item[PIP]
        return None

    @property
    def conda_channels(self) -> Iterator[str]:
        return iter(list(self._conda_dependencies.get(CHANNELS) or []))

    @property
    def conda_packages(self) -> Iterator[str]:
        return iter([d for d in self._deps() if isinstance(d, str)])

    @property
    def pip_packages(self) -> Iterator[str]:
        return iter([p for p in (self._pip_list() or []) if not str(p).startswith("-")])

    @property
    def pip_options(self) -> Iterator[str]:
        return iter([p for p in (self._pip_list() or []) if str(p).startswith("-")])

    def get_default_number_of_packages(self) -> tuple[int, int]:
        return 1, 1

    def get_python_version(self) -> str | None:
        for item in self._deps():
            if isinstance(item, str) and self._get_package_name(item) == PYTHON_PREFIX:
                return self._get_version(item)
        return None

    # -- edits -------------------------------------------------------------------
    def set_python_version(self, version: str) -> None:
        deps = self._conda_dependencies.setdefault(PACKAGES, [])
        for i, item in enumerate(deps):
            if isinstance(item, str) and self._get_package_name(item) == PYTHON_PREFIX:
                deps[i] = PYTHON_PREFIX + "=" + version
                break
        else:
            deps.append(PYTHON_PREFIX + "=" + version)
        self._python_version = version

    def add_channel(self, channel: str) -> None:
        channels = self._conda_dependencies.setdefault(CHANNELS, [])
        if channel not in channels:
            channels.append(channel)

    def remove_channel(self, channel: str) -> None:
        channels = self._conda_dependencies.get(CHANNELS) or []
        if channel in channels:
            channels.remove(channel)

    def add_conda_package(self, conda_package: str) -> None:
        deps = self._conda_dependencies.setdefault(PACKAGES, [])
        if conda_package in deps:
            return
        if self._get_package_name(conda_package) == PYTHON_PREFIX:
            self.set_python_version(self._get_version(conda_package) or "")
        else:
            deps.append(conda_package)

    def remove_conda_package(self, conda_package: str) -> None:
        deps = self._deps()
        if conda_package in deps:
            if self._get_package_name(conda_package) == PYTHON_PREFIX:
                raise UserErrorException("python must not be removed from conda dependencies")
            deps.remove(conda_package)

    def add_pip_package(self, pip_package: str) -> None:
        """Add (or replace the existing requirement of) a pip package."""
        if not isinstance(pip_package, str) or pip_package.startswith("-"):
            raise UserErrorException("Invalid package name {}".format(pip_package))
        self.remove_pip_package(pip_package)
        pips = self._pip_list()
        if pips is None:
            self._conda_dependencies.setdefault(PACKAGES, []).append({PIP: [pip_package]})
        elif pip_package not in pips:
            pips.append(pip_package)

    def set_pip_option(self, pip_option: str) -> None:
        if not pip_option.startswith("-"):
            raise UserErrorException("Invalid pip option {}".format(pip_option))
        pips = self._pip_list()
        if pips is None:
            self._conda_dependencies.setdefault(PACKAGES, []).append({PIP: [pip_option]})
            return
        flag = pip_option.split()[0]
        for i, item in enumerate(pips):
            if item.startswith("-") and item.split()[0] == flag:
                pips[i] = pip_option
                return
        pips.append(pip_option)

    def remove_pip_option(self, pip_option: str) -> None:
        if not pip_option.startswith("-"):
            raise UserErrorException("Invalid pip option {}".format(pip_option))
        pips = self._pip_list() or []
        flag = pip_option.split()[0]
        for item in [p for p in pips if p.startswith("-") and p.split()[0] == flag]:
            pips.remove(item)

    def remove_pip_package(self, pip_package: str) -> None:
        if pip_package.startswith("-"):
            raise UserErrorException("Invalid package name {}".format(pip_package))
        pips = self._pip_list()
        if not pips:
            return
        name = self._get_package_name(pip_package)
        for item in [p for p in pips if not p.startswith("-") and self._get_package_name(p) == name]:
            pips.remove(item)

    def set_pip_requirements(self, pip_requirements: list[str]) -> None:
        """Replace the whole pip section."""
        pips = self._pip_list()
        if pips is None:
            self._conda_dependencies.setdefault(PACKAGES, []).append({PIP: list(pip_requirements)})
        else:
            pips[:] = list(pip_requirements)

    def add_cntk_package(self, core_type: str = CPU) -> None:
        self._validate_core_type(core_type)
        self._remove_pip_with_prefix("cntk")
        self.add_pip_package(("cntk-gpu" if core_type.lower() == GPU else "cntk") + "==" + CNTK_DEFAULT_VERSION)

    def add_tensorflow_pip_package(self, core_type: str = CPU, version: str | None = None) -> None:
        self._validate_core_type(core_type)
        self._remove_pip_with_prefix("tensorflow")
        name = "tensorflow-gpu" if core_type.lower() == GPU else "tensorflow"
        self.add_pip_package(name + "==" + (version or TENSORFLOW_DEFAULT_VERSION))

    def add_tensorflow_conda_package(self, core_type: str = CPU, version: str | None = None) -> None:
        self._validate_core_type(core_type)
        for item in [d for d in self.conda_packages if d.startswith("tensorflow")]:
            self.remove_conda_package(item)
        name = "tensorflow-gpu" if core_type.lower() == GPU else "tensorflow"
        self.add_conda_package(name + "=" + (version or TENSORFLOW_DEFAULT_VERSION))

    # -- output ------------------------------------------------------------------
    def serialize_to_string(self) -> str:
        """The spec as conda environment YAML."""
        return _yaml_dump(self._conda_dependencies)

    def as_dict(self) -> Any:
        return json.loads(json.dumps(self._conda_dependencies))

    def save(self, path: str | None = None) -> str:
        """Write the spec to the file ``path``; returns the path."""
        if path is None or os.path.isdir(path):
            raise UserErrorException("Cannot save a conda environment specification file to a directory. "
                                     "Please specify a fully qualified path along with the "
                                     "file name to save the file.")
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            raise UserErrorException("Cannot save the conda environment specification file to an invalid path.")
        self._validate()
        with open(path, "w") as f:
            f.write(self.serialize_to_string())
        return path.replace("\\", "/")

    def save_to_file(self, base_directory: str, conda_file_path: str | None = None) -> str:
        """DEPRECATED, use :meth:`save`. Writes under ``base_directory``; returns the relative path."""
        if not conda_file_path:
            folder = "aml_config" if os.path.isdir(os.path.join(base_directory, "aml_config")) else ".azureml"
            conda_file_path = "{}/{}".format(folder, CONDA_FILE_NAME)
        rel = conda_file_path.replace("\\", "/")
        full = os.path.join(os.path.abspath(base_directory), rel)
        self._validate()
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(self.serialize_to_string())
        return rel

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _get_package_name(value: str) -> str:
        if value.endswith(".whl"):
            return re.split("-", re.split("/", value)[-1])[0]
        return re.split(r"[\[=|<|>|~|!]", value)[0]

    @staticmethod
    def _get_package_name_with_extras(value: str) -> str:
        return re.split("[=|<|>|~|!]", value)[0]

    def _get_version(self, value: str) -> str | None:
        match = VERSION_REGEX.search(value)
        return match.group() if match else None

    def _validate_core_type(self, core_type: str) -> None:
        if core_type not in (CPU, GPU):
            raise UserErrorException("Invalid core type {0}. Only accept 'cpu' or 'gpu'".format(core_type))

    def _remove_pip_with_prefix(self, prefix: str) -> None:
        for item in [p for p in self.pip_packages if p.startswith(prefix)]:
            self.remove_pip_package(item)

    def _validate(self) -> None:
        if self.get_python_version() is None and not any(
                isinstance(d, str) and self._get_package_name(d) == PYTHON_PREFIX for d in self._deps()):
            raise UserErrorException("Python package is missing.")

    def _to_config_dict(self) -> dict[str, Any]:
        return self.as_dict()

    def __repr__(self) -> str:
        return self.serialize_to_string()
