"""``DatabricksStep``: a Databricks notebook, Python script or JAR as one pipeline step, run on this machine.

No Databricks cluster exists here: the cluster settings are validated with the SDK's rules
(``databricks_settings.py``) and recorded on the step run; the code runs locally through the
``DatabricksStep`` executor (``pipeline/execution/databricks.py``): a notebook with nbclient and a
local ``dbutils``, a script with the SDK's argv convention, a JAR with the local ``java``
(or ``spark-submit``).

Where the code is found locally: ``python_script_name`` in ``source_directory`` (as in the SDK);
``notebook_path`` / ``python_script_path`` as a local file (relative to ``source_directory`` or the
current folder; ``.ipynb`` may be left out of a notebook path), or below the workspace's local
DBFS folder for ``dbfs:/`` paths; ``jar_libraries`` the same way.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from azureml_local.compute.services import DatabricksCompute
from azureml_local.pipeline.builder import PipelineStep
from azureml_local.pipeline.graph import PipelineParameter
from azureml_local.pipeline.steps.arg_checks import required
from azureml_local.pipeline.steps import databricks_settings as settings

_EXECUTION_TYPE = "databrickscloud"


class DatabricksStep(PipelineStep):
    """Run a Databricks notebook, Python script or JAR (emulated locally: see the module docstring)."""

    def __init__(self, name: str, inputs: list | None = None, outputs: list | None = None,
                 existing_cluster_id: str | None = None, spark_version: str | None = None,
                 node_type: str | None = None, instance_pool_id: str | None = None, num_workers: int | None = None,
                 min_workers: int | None = None, max_workers: int | None = None,
                 spark_env_variables: dict | None = None, spark_conf: dict | None = None,
                 init_scripts: list | None = None, cluster_log_dbfs_path: str | None = None,
                 notebook_path: str | None = None, notebook_params: dict | None = None,
                 python_script_path: str | None = None, python_script_params: Any = None,
                 main_class_name: str | None = None, jar_params: Any = None, python_script_name: str | None = None,
                 source_directory: str | None = None, hash_paths: list | None = None, run_name: str | None = None,
                 timeout_seconds: int | None = None, runconfig: Any = None, maven_libraries: list | None = None,
                 pypi_libraries: list | None = None, egg_libraries: list | None = None,
                 jar_libraries: list | None = None, rcran_libraries: list | None = None, compute_target: Any = None,
                 allow_reuse: bool = True, version: str | None = None, permit_cluster_restart: bool | None = None):
        libraries = settings.resolve_libraries(runconfig, {
            "maven_libraries": maven_libraries, "pypi_libraries": pypi_libraries, "egg_libraries": egg_libraries,
            "jar_libraries": jar_libraries, "rcran_libraries": rcran_libraries})
        required("name", name, str)
        cluster, permit_cluster_restart = settings.resolve_cluster(runconfig, {
            "existing_cluster_id": existing_cluster_id, "spark_version": spark_version, "node_type": node_type,
            "instance_pool_id": instance_pool_id, "num_workers": num_workers, "min_workers": min_workers,
            "max_workers": max_workers, "spark_env_variables": spark_env_variables, "spark_conf": spark_conf,
            "init_scripts": init_scripts, "cluster_log_dbfs_path": cluster_log_dbfs_path}, permit_cluster_restart)
        entry = {"notebook_path": notebook_path, "python_script_path": python_script_path,
                 "python_script_name": python_script_name, "main_class_name": main_class_name}
        entry_point = settings.check_entry_point(entry, source_directory)
        arguments = {"notebook_params": dict(notebook_params or {}),
                     "python_script_params": list(python_script_params or []), "jar_params": list(jar_params or [])}
        required("compute_target", compute_target)
        compute_name = compute_target if isinstance(compute_target, str) else compute_target.name
        self._params = settings.step_params(cluster, permit_cluster_restart, entry_point, entry, arguments,
                                            libraries, run_name, timeout_seconds, compute_name)
        if hash_paths:
            logging.warning("Parameter 'hash_paths' is deprecated, will be removed. All files under "
                            "source_directory is hashed except files listed in .amlignore or .gitignore.")
        self._compute_target = compute_target
        self._compute_name = compute_name
        self._cluster = cluster
        self._entry_point = entry_point
        self._entry = entry
        self._step_arguments = arguments
        self._libraries = libraries
        self._source_directory = source_directory
        self._timeout_seconds = timeout_seconds
        self._run_name = run_name
        self._allow_reuse = allow_reuse
        self._version = version
        super().__init__(name, inputs, outputs)

    def _definition(self, ctx: Any) -> dict:
        _check_compute(ctx.workspace, self._compute_target)
        entry_point, value = self._entry_point, self._entry[self._entry_point]
        source_directory = None
        local_code = None
        if entry_point == "python_script_name":
            source_directory = ctx.script_directory(self.name, self._source_directory, value)
            local_code = value
        elif entry_point in ("notebook_path", "python_script_path"):
            found = local_file(value, self._source_directory, notebook=entry_point == "notebook_path")
            if found is not None:
                source_directory, local_code = os.path.dirname(found), os.path.basename(found)
        params = {k: ({"parameter": v.name} if isinstance(v, PipelineParameter) else v)
                  for k, v in self._params.items()}
        return {
            "kind": self.step_type,
            "compute_target": self._compute_name,
            "source_directory": source_directory,
            "script_name": local_code if entry_point == "python_script_name" else None,
            "params": params,
            "databricks": {
                "entry_point": entry_point, "target": value, "local_code": local_code,
                "notebook_params": {k: _arg(v) for k, v in self._step_arguments["notebook_params"].items()},
                "script_params": [_arg(v) for v in self._step_arguments["python_script_params"]],
                "jar_params": [_arg(v) for v in self._step_arguments["jar_params"]],
                "jar_libraries": [lib.library for lib in self._libraries["jar_libraries"]],
                "libraries": {k: [_library_text(lib) for lib in v] for k, v in self._libraries.items() if v},
                "cluster": {k: v for k, v in self._cluster.items() if v is not None},
                "run_name": self._run_name,
            },
            "timeout_seconds": self._timeout_seconds,
            "allow_reuse": bool(self._allow_reuse),
            "version": self._version,
            "execution_type": _EXECUTION_TYPE,
        }

    def __str__(self) -> str:
        return "DatabricksStep_{0}".format(self.name)

    def __repr__(self) -> str:
        return "DatabricksStep(Name: {0},\nInputs: {1},\nOutputs: {2})".format(self.name, self._inputs, self._outputs)


def local_file(path: str, source_directory: str | None, notebook: bool = False) -> str | None:
    """The local file a Databricks path names (absolute, or relative to ``source_directory`` / the cwd)."""
    if path.startswith(("dbfs:/", "/dbfs/")):
        return None  # resolved below the workspace's DBFS folder when the step runs
    # a Databricks workspace path (/Users/me/nb) may also live below source_directory or the cwd
    candidates = ([path] if os.path.isabs(path) else []) + [os.path.join(source_directory or ".", path.lstrip("/")),
                                                            path.lstrip("/")]
    for candidate in candidates:
        for name in ([candidate, candidate + ".ipynb"] if notebook else [candidate]):
            if os.path.isfile(name):
                return os.path.abspath(name)
    return None


def _arg(value: Any) -> dict:
    if isinstance(value, PipelineParameter):
        return {"parameter": value.name, "default": value.default_value}
    return {"literal": str(value)}


def _library_text(lib: Any) -> str:
    return str(getattr(lib, "library", None) or getattr(lib, "package", None) or getattr(lib, "coordinates", lib))


def _check_compute(workspace: Any, compute_target: Any) -> None:
    """A compute target name must be an attached ``DatabricksCompute`` (the step runs locally either way)."""
    if not isinstance(compute_target, str):
        return
    try:
        DatabricksCompute(workspace, compute_target)
    except Exception as exc:
        raise ValueError(f"Error in getting Databricks compute named `{compute_target}`: {exc}. Attach it with "
                         "ComputeTarget.attach(ws, name, DatabricksCompute.attach_configuration(...)).") from None
