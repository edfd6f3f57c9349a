"""The SDK's rules for a ``DatabricksStep``'s cluster, libraries and entry point (``_DatabricksStepBase``).

Kept apart from the step class so the rules read as one list: every check raises the SDK's
``ValueError`` message, and :func:`step_params` builds the same ``_params`` the SDK sends
(``spark_version``, ``node_type_id``, ``num_workers``..., the entry point, the libraries) so the
reuse fingerprint changes exactly when the SDK's module would.
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.pipeline.graph import PipelineParameter
from azureml_local.runconfig import RunConfiguration

DEFAULT_SPARK_VERSION = "10.4.x-scala2.12"
DEFAULT_NODE_TYPE = "Standard_D3_v2"
DEFAULT_SPARK_ENV = {"PYSPARK_PYTHON": "/databricks/python3/bin/python3"}
ENTRY_POINTS = ("notebook_path", "python_script_path", "python_script_name", "main_class_name")
EXACTLY_ONE = "Exactly one of notebook_path, python_script_path, python_script_name or main_class_name is required"
LIBRARY_KINDS = ("maven_libraries", "pypi_libraries", "egg_libraries", "jar_libraries", "rcran_libraries")
CLUSTER_FIELDS = ("existing_cluster_id", "spark_version", "node_type", "instance_pool_id", "num_workers",
                  "min_workers", "max_workers", "spark_env_variables", "spark_conf", "init_scripts",
                  "cluster_log_dbfs_path")


def _databricks_section(runconfig: Any) -> Any:
    environment = getattr(runconfig, "environment", None) if runconfig is not None else None
    return getattr(environment, "databricks", None) if environment is not None else None


def runconfig_cluster(runconfig: Any) -> Any:
    section = _databricks_section(runconfig)
    return getattr(section, "cluster", None) if section is not None else None


def resolve_libraries(runconfig: Any, libraries: dict) -> dict:
    """The five library lists, from the runconfig's databricks section or the step's parameters."""
    if runconfig is not None and any(libraries[k] is not None for k in LIBRARY_KINDS):
        raise ValueError("Either pass runconfig or each library type as a separate parameter")
    if runconfig is not None:
        if not isinstance(runconfig, RunConfiguration):
            raise ValueError("runconfig must be a RunConfiguration")
        section = _databricks_section(runconfig)
        libraries = {k: list(getattr(section, k, None) or []) if section is not None else [] for k in LIBRARY_KINDS}
    return {k: list(libraries[k] or []) for k in LIBRARY_KINDS}


def resolve_cluster(runconfig: Any, cluster: dict, permit_cluster_restart: Any) -> tuple[dict, Any]:
    """The cluster settings with the SDK's defaults and checks; ``(settings, permit_cluster_restart)``."""
    from_runconfig = runconfig_cluster(runconfig)
    if from_runconfig is not None:
        if any(cluster[k] is not None for k in CLUSTER_FIELDS):
            raise ValueError("Either pass cluster in runconfig  or each cluster parameter separately")
        cluster = {k: getattr(from_runconfig, k, None) for k in CLUSTER_FIELDS}
        permit_cluster_restart = getattr(from_runconfig, "permit_cluster_restart", None)
    cluster = dict(cluster)
    if cluster["existing_cluster_id"] is not None:
        if not isinstance(cluster["existing_cluster_id"], str):
            raise ValueError("existing_cluster_id must be a string")
        return cluster, permit_cluster_restart
    if cluster["spark_version"] is None:
        cluster["spark_version"] = DEFAULT_SPARK_VERSION
    if not isinstance(cluster["spark_version"], str):
        raise ValueError("spark_version must be a string")
    if cluster["node_type"] is None and cluster["instance_pool_id"] is None:
        cluster["node_type"] = DEFAULT_NODE_TYPE
    if cluster["node_type"] is not None and not isinstance(cluster["node_type"], str):
        raise ValueError("node_type must be a string")
    if cluster["node_type"] is not None and cluster["instance_pool_id"] is not None:
        raise ValueError("Exactly one of node_type or instance_pool_id can be specified")
    if cluster["instance_pool_id"] is not None and not isinstance(cluster["instance_pool_id"], str):
        raise ValueError("instance_pool_id must be a string")
    workers, low, high = cluster["num_workers"], cluster["min_workers"], cluster["max_workers"]
    if workers is None and (low is None or high is None):
        raise ValueError("one of num_workers or min_workers and max_workers is required")
    if workers is not None and (low is not None or high is not None):
        raise ValueError("exactly one of num_workers or min_workers and max_workers is required")
    for field in ("num_workers", "min_workers", "max_workers"):
        if cluster[field] is not None and not isinstance(cluster[field], int):
            raise ValueError(f"{field} must be an int")
    if cluster["spark_env_variables"] is None:
        cluster["spark_env_variables"] = dict(DEFAULT_SPARK_ENV)
    if permit_cluster_restart is not None:
        raise ValueError("existing_cluster_id is not specified, you cannot set permit_cluster_restart")
    return cluster, permit_cluster_restart


def check_entry_point(entry: dict, source_directory: Any) -> str:
    """Which one of the four entry points is given (each must be a string); the SDK's messages."""
    given = [k for k in ENTRY_POINTS if entry[k] is not None]
    for key in given:
        if not isinstance(entry[key], str):
            raise ValueError(f"{key} must be a string")
    if len(given) != 1:
        raise ValueError(EXACTLY_ONE)
    if given[0] == "python_script_name" and source_directory is None:
        raise ValueError("If python_script_name is specified then source_directory must be too")
    return given[0]


def step_params(cluster: dict, permit_cluster_restart: Any, entry_point: str, entry: dict, arguments: dict,
                libraries: dict, run_name: Any, timeout_seconds: Any, compute_name: str) -> dict:
    """The SDK's ``_params`` of the step (values as the SDK encodes them; PipelineParameters kept)."""
    params: dict[str, Any] = {}
    if timeout_seconds is not None:
        if not isinstance(timeout_seconds, int):
            raise ValueError("timeout_seconds must be an int")
        params["timeout_seconds"] = timeout_seconds
    if run_name is not None:
        if not isinstance(run_name, str):
            raise ValueError("run_name must be a string")
        params["run_name"] = run_name
    if cluster["existing_cluster_id"] is None:
        params["spark_version"] = cluster["spark_version"]
        if cluster["node_type"] is not None:
            params["node_type_id"] = cluster["node_type"]
        else:
            params["instance_pool_id"] = cluster["instance_pool_id"]
        if cluster["num_workers"] is not None:
            params["num_workers"] = cluster["num_workers"]
        else:
            params["max_workers"], params["min_workers"] = cluster["max_workers"], cluster["min_workers"]
        if cluster["spark_env_variables"] is not None:
            params["spark_env_vars"] = ";".join(f"{k}={v}" for k, v in cluster["spark_env_variables"].items())
        if cluster["spark_conf"] is not None:
            params["spark_conf"] = ";".join(f"{k}={v}" for k, v in cluster["spark_conf"].items())
        if cluster["init_scripts"] is not None:
            logging.warning("Init script stored in DBFS will stop work after Dec 1, 2023 announced by Databricks. "
                            "To mitigate the issue, please 1) use global init scripts in databricks following "
                            "https://learn.microsoft.com/azure/databricks/init-scripts/global 2) comment out the "
                            "line of init_scripts in your AzureML databricks step.")
            if not isinstance(cluster["init_scripts"], list):
                raise ValueError("init_scripts should be a list of strings")
            params["init_scripts"] = ",".join(cluster["init_scripts"])
        if cluster["cluster_log_dbfs_path"] is not None:
            if not isinstance(cluster["cluster_log_dbfs_path"], str):
                raise ValueError("cluster_log_dbfs_path should be a string")
            params["cluster_log_dbfs_path"] = cluster["cluster_log_dbfs_path"]
    else:
        params["existing_cluster_id"] = cluster["existing_cluster_id"]
        if permit_cluster_restart is not None:
            params["permit_cluster_restart"] = permit_cluster_restart
    params[entry_point] = entry[entry_point]
    if entry_point == "notebook_path" and arguments["notebook_params"]:
        params["base_parameters"] = ";".join(f"{k}={_default(v)}" for k, v in arguments["notebook_params"].items())
        for key, value in arguments["notebook_params"].items():
            if isinstance(value, PipelineParameter):
                params[f"_AML_PARAMETER_{key}"] = value
    list_key = {"python_script_path": "python_script_params", "python_script_name": "python_script_params",
                "main_class_name": "jar_params"}.get(entry_point)
    if list_key and arguments[list_key]:
        params[list_key] = encode_list(arguments[list_key])
        for value in arguments[list_key]:
            if isinstance(value, PipelineParameter):
                params[f"_AML_PARAMETER_{value.name.replace('|', '|-')}"] = value
    for kind, attr in (("jar_libraries", "library"), ("egg_libraries", "library")):
        joined = ",".join(getattr(lib, attr) for lib in libraries[kind])
        if joined:
            params[kind] = joined
    for kind in ("pypi_libraries", "rcran_libraries"):
        joined = ";".join(f"package={lib.package}" + (f"|repo={lib.repo}" if lib.repo else "")
                          for lib in libraries[kind])
        if joined:
            params[kind] = joined
    maven = ";".join(_maven(lib) for lib in libraries["maven_libraries"])
    if maven:
        params["maven_libraries"] = maven
    params["compute_name"] = compute_name
    return params


def encode_list(values: Any) -> str:
    """The SDK's ``||``-joined list (``|`` escaped as ``|-``); a PipelineParameter adds its name, then its default."""
    parts: list[str] = []
    for value in values:
        if isinstance(value, PipelineParameter):
            parts.append(value.name.replace("|", "|-"))
            value = value.default_value
        parts.append(str(value).replace("|", "|-"))
    return "||".join(parts)


def _default(value: Any) -> Any:
    return value.default_value if isinstance(value, PipelineParameter) else value


def _maven(lib: Any) -> str:
    text = f"coordinates={lib.coordinates}"
    if lib.repo:
        text += f"|repo={lib.repo}"
    if lib.exclusions:
        text += "|exclusions=" + ",".join(lib.exclusions)
    return text
