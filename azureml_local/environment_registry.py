"""Environment versions in the workspace database, and the curated ``AzureML-*`` environments.

Versioning follows the service: the first registration of a name is version
"1"; registering again with unchanged content returns the latest version
unchanged; changed content gets the next number. Curated environments are
built-in definitions (not rows) and cannot be overwritten.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from azureml_local.conda_dependencies import CondaDependencies
from azureml_local.exceptions import UserErrorException
from azureml_local.store.registries.environments import EnvironmentVersionConflict

if TYPE_CHECKING:
    from azureml_local.environment import Environment

_RESERVED_PREFIXES = ("AzureML", "Microsoft")  # curated names; case-sensitive so "azureml-env" stays usable

# name -> (latest version, base image, python version, pip packages, conda packages)
_CURATED: dict[str, tuple[int, str, str, list[str], list[str]]] = {
    "AzureML-Minimal": (75, "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04", "3.8.13",
                        ["azureml-core", "azureml-defaults"], []),
    "AzureML-Tutorial": (82, "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04", "3.8.13",
                         ["azureml-core", "azureml-defaults", "azureml-telemetry", "azureml-train-automl-client",
                          "azureml-widgets", "azureml-pipeline-core", "azureml-pipeline-steps", "scikit-learn",
                          "pandas", "numpy", "matplotlib"], []),
    "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu": (33, "mcr.microsoft.com/azureml/curated/sklearn-1.0-ubuntu20.04-py38-cpu",
                                                 "3.8.13", ["azureml-core", "azureml-defaults", "scikit-learn==1.0.2",
                                                            "numpy", "pandas", "joblib"], []),
    "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu": (49, "mcr.microsoft.com/azureml/curated/sklearn-0.24-ubuntu18.04-py37-cpu",
                                                  "3.7.9", ["azureml-core", "azureml-defaults", "scikit-learn==0.24.1",
                                                            "numpy", "pandas", "joblib"], []),
    "AzureML-sklearn-1.5": (14, "mcr.microsoft.com/azureml/curated/sklearn-1.5", "3.10.18",
                            ["azureml-core", "azureml-defaults", "scikit-learn==1.5.1", "numpy", "pandas"], []),
    "AzureML-lightgbm-3.3": (46, "mcr.microsoft.com/azureml/curated/lightgbm-3.3", "3.8.13",
                             ["azureml-core", "azureml-defaults", "lightgbm==3.3.5", "scikit-learn", "pandas"], []),
    "AzureML-pytorch-1.10-ubuntu18.04-py38-cuda11-gpu": (
        28, "mcr.microsoft.com/azureml/curated/pytorch-1.10-ubuntu18.04-py38-cuda11-gpu", "3.8.13",
        ["azureml-core", "azureml-defaults", "torch==1.10.0", "torchvision==0.11.1"], []),
    "AzureML-ACPT-pytorch-1.13-py38-cuda11.7-gpu": (
        21, "mcr.microsoft.com/azureml/curated/acpt-pytorch-1.13-py38-cuda11.7-gpu", "3.8.13",
        ["azureml-core", "azureml-defaults", "torch==1.13.1", "transformers"], []),
    "AzureML-tensorflow-2.4-ubuntu18.04-py37-cuda11-gpu": (
        40, "mcr.microsoft.com/azureml/curated/tensorflow-2.4-ubuntu18.04-py37-cuda11-gpu", "3.7.9",
        ["azureml-core", "azureml-defaults", "tensorflow-gpu==2.4.1"], []),
    "AzureML-tensorflow-2.12-cuda11": (8, "mcr.microsoft.com/azureml/curated/tensorflow-2.12-cuda11", "3.8.13",
                                       ["azureml-core", "azureml-defaults", "tensorflow==2.12.0"], []),
    "AzureML-AutoML": (135, "mcr.microsoft.com/azureml/curated/azureml-automl", "3.8.13",
                       ["azureml-core", "azureml-defaults", "azureml-train-automl-runtime", "scikit-learn", "pandas",
                        "numpy"], []),
    "AzureML-responsibleai-0.20-ubuntu20.04-py38-cpu": (
        11, "mcr.microsoft.com/azureml/curated/responsibleai-0.20-ubuntu20.04-py38-cpu", "3.8.13",
        ["azureml-core", "azureml-defaults", "responsibleai==0.20.0", "raiwidgets"], []),
    "AzureML-minimal-ubuntu18.04-py37-cpu-inference": (
        42, "mcr.microsoft.com/azureml/minimal-ubuntu18.04-py37-cpu-inference", "3.7.9",
        ["azureml-defaults", "azureml-inference-server-http"], []),
    "AzureML-Triton": (24, "mcr.microsoft.com/azureml/aml-triton", "3.8.13",
                       ["azureml-defaults", "tritonclient"], []),
    "AzureML-VowpalWabbit-8.8.0": (33, "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04", "3.7.9",
                                   ["azureml-defaults", "vowpalwabbit==8.8.1"], []),
    "AzureML-PyTorch-1.6-CPU": (80, "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04", "3.6.2",
                                ["azureml-core", "azureml-defaults", "torch==1.6.0", "torchvision==0.7.0"], []),
    "AzureML-TensorFlow-2.3-CPU": (67, "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04", "3.6.2",
                                   ["azureml-core", "azureml-defaults", "tensorflow==2.3.0"], []),
    "AzureML-Scikit-learn-0.20.3": (70, "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04", "3.6.2",
                                    ["azureml-core", "azureml-defaults", "scikit-learn==0.20.3", "scipy==1.2.1"], []),
    "AzureML-Designer": (72, "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04", "3.6.8",
                         ["azureml-core", "azureml-defaults", "azureml-designer-core"], []),
    "AzureML-PySpark-MmlSpark-0.15": (76, "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04", "3.6.2",
                                      ["azureml-core", "azureml-defaults"], []),
}


def curated_names() -> list[str]:
    return sorted(_CURATED)


def _curated(name: str) -> "Environment | None":
    from azureml_local.environment import Environment  # cycle: environment imports this module

    spec = _CURATED.get(name)
    if spec is None:
        return None
    version, image, python_version, pip_packages, conda_packages = spec
    env = Environment(name)
    env.version = str(version)
    env._environment_variables = {}
    env.docker.base_image = image
    env.python.conda_dependencies = CondaDependencies(_underlying_structure={
        "name": "project_environment", "channels": ["conda-forge"],
        "dependencies": [f"python={python_version}", *conda_packages, {"pip": list(pip_packages)}]})
    env.asset_id = f"azureml://registries/azureml/environments/{name}/versions/{version}"
    return env


def _content_hash(definition: dict[str, Any]) -> str:
    body = {k: v for k, v in definition.items() if k not in ("name", "version", "assetId")}
    import hashlib  # stdlib, ~5 ms: only registering an environment pays for it

    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _asset_id(workspace: Any, name: str, version: int) -> str:
    return (f"azureml://locations/{workspace.location}/workspaces/{workspace._workspace_id}"
            f"/environments/{name}/versions/{version}")


def _load(definition: str, version: int) -> "Environment":
    from azureml_local.environment import Environment  # cycle: environment imports this module

    env = Environment._deserialize_and_add_to_object(json.loads(definition))
    env.version = str(version)
    return env


def register(workspace: Any, env: "Environment") -> "Environment":
    """Store ``env``; returns the registered copy (with ``version`` and ``asset_id``)."""
    if not isinstance(env.name, str) or not env.name.strip():
        raise UserErrorException("Name is required to register an Environment object")
    if env.name.startswith(_RESERVED_PREFIXES):
        raise UserErrorException(
            "Environment name can not start with the prefix AzureML or Microsoft. These prefixes are reserved for "
            "curated environments. To customize a curated environment, clone it first: "
            "Environment.get(ws, '{0}').clone('my-{0}')".format(env.name))
    definition = env._to_dict()
    definition.pop("version", None)
    definition.pop("assetId", None)
    digest = _content_hash(definition)
    version = _as_int(env.version) if env.version is not None else None
    try:
        version = workspace._context.registries.environments.register(env.name, digest, definition, version)
    except EnvironmentVersionConflict:
        raise UserErrorException(
            f"Environment '{env.name}' version {version} already exists with different content. "
            "Reset version to None to register the changes as a new version.") from None
    registered = _load(json.dumps(definition), version)
    registered.asset_id = _asset_id(workspace, env.name, version)
    return registered


def get(workspace: Any, name: str, version: str | None = None, label: str | None = None) -> "Environment":
    curated = _curated(name)
    if curated is not None:
        if version is not None and str(version) != curated.version:
            raise UserErrorException(
                f"Environment {name} version {version} not found. Available locally: version {curated.version}.")
        return curated
    store = workspace._context.registries.environments
    if label:
        row = store.get(name, label=label)
        what = f"label {label}"
    elif version is not None:
        row = store.get(name, _as_int(version))
        what = f"version {version}"
    else:
        row = store.get(name)
        what = "any version"
    if row is None:
        raise UserErrorException(
            f"Environment {name} ({what}) is not registered in workspace '{workspace.name}'. Register it with "
            f"Environment(...).register(ws), or list what exists with Environment.list(ws).")
    env = _load(row["definition"], row["version"])
    env.asset_id = _asset_id(workspace, name, row["version"])
    return env


def _as_int(version: Any) -> int:
    try:
        return int(str(version))
    except ValueError as exc:
        raise UserErrorException(f"Environment version must be a whole number, got '{version}'.") from exc


def list_latest(workspace: Any) -> dict[str, "Environment"]:
    result: dict[str, Environment] = {}
    for name in curated_names():
        result[name] = _curated(name)  # type: ignore[assignment]
    for row in workspace._context.registries.environments.latest_versions():
        env = _load(row["definition"], row["version"])
        env.asset_id = _asset_id(workspace, row["name"], row["version"])
        result[row["name"]] = env
    return result


def set_labels(workspace: Any, name: str, version: str, labels: list[str]) -> None:
    number = _as_int(version)
    if not workspace._context.registries.environments.set_labels(name, number, labels):
        raise UserErrorException(f"Environment {name} version {version} is not registered.")
