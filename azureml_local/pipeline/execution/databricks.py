"""The executor of ``DatabricksStep``: the step's notebook, script or JAR as a local run of the engine.

No Databricks cluster exists on this machine. The cluster settings (validated with the SDK's
rules when the step was built) are recorded in the step run's properties and its log says the
run is emulated; then the step becomes a script-like step (``script_step.run_script_step``), so
inputs, outputs, logs, status, reuse and the hand-off to later steps are the same as for a
PythonScriptStep:

* ``notebook_path``: ``python -m azureml_local.pipeline.execution.databricks_notebook <nb>`` runs
  the notebook with nbclient; a local ``dbutils`` is defined in the kernel first, whose
  ``widgets.get`` returns the inputs, outputs and ``notebook_params`` (``-<name> <value>`` pairs);
* ``python_script_name`` / ``python_script_path``: the script with the SDK's argv: the
  ``python_script_params``, then ``-<input> <path>`` and ``-<output> <path>`` pairs, then (for
  ``python_script_name``) ``--AZUREML_SCRIPT_DIRECTORY_NAME <dir>``;
* ``main_class_name``: ``spark-submit --class`` when installed, else ``java -cp <jars> <class>``.

``dbfs:/x`` and ``/dbfs/x`` paths name ``<workspace folder>/dbfs/x`` (``AZUREML_LOCAL_DBFS_ROOT``).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.script_step import run_script_step
from azureml_local.pipeline.execution.step import _log

DBFS_ROOT_ENV = "AZUREML_LOCAL_DBFS_ROOT"
NOTEBOOK_RUNNER = "azureml_local.pipeline.execution.databricks_notebook"
EMULATED = ("No Databricks cluster exists on this machine: the cluster settings are validated and recorded in the "
            "step run's properties (azureml.databricks.*), and the code runs locally")


class DatabricksSetupError(Exception):
    """The step's code cannot run on this machine (message for the step log and the run's error)."""


def dbfs_root(ws) -> Path:
    return Path(ws._local_folder) / "dbfs"


def dbfs_local(ws, path: str) -> Path | None:
    """The local file of a ``dbfs:/`` or ``/dbfs/`` path (None for other paths)."""
    for prefix in ("dbfs:/", "/dbfs/"):
        if path.startswith(prefix):
            return dbfs_root(ws) / path[len(prefix):].lstrip("/")
    return None


def run_databricks_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                        key: reuse.ReuseKey | None) -> StepResult:
    """Record the cluster, then run the notebook, script or JAR as a script-like step."""
    ws, db = ctx.ws, step["databricks"]
    ws._context.runs.add_properties(step_run_id, {
        "azureml.databricks.emulated": "true", "azureml.databricks.entry_point": db["entry_point"],
        "azureml.databricks.cluster": json.dumps(db.get("cluster") or {}, sort_keys=True),
        "azureml.databricks.libraries": json.dumps(db.get("libraries") or {}, sort_keys=True),
        "azureml.databricks.run_name": db.get("run_name") or "", "azureml.databricks.compute": step.get(
            "compute_target") or ""})
    _log(ws, step_run_id, f"DatabricksStep '{step.get('name')}': {EMULATED} ({db['entry_point']}). "
         f"Cluster settings: {json.dumps(db.get('cluster') or {}, sort_keys=True)}.")
    if db.get("libraries"):
        _log(ws, step_run_id, "Libraries are not installed on this machine (install them into the environment "
             f"yourself): {json.dumps(db['libraries'], sort_keys=True)}.")
    # the SDK's params are cluster settings, not AML_PARAMETER_* variables of the code (its parameters go in argv)
    local = dict(step, kind="PythonScriptStep", script_name=None, arguments=[], command=None, params={})
    local["environment_variables"] = dict(step.get("environment_variables") or {}, **_environment(ws, db))
    data_args = _data_arguments(step)
    entry = db["entry_point"]
    if entry == "python_script_name":
        local.update(script_name=db["local_code"], arguments=_params(db["script_params"]) + data_args + [
            {"literal": "--AZUREML_SCRIPT_DIRECTORY_NAME"}, {"literal": "."}])
    elif entry == "python_script_path":
        script = _code_file(ws, db, step)
        local["command"] = [{"literal": "python"}, {"literal": script}] + _params(db["script_params"]) + data_args
    elif entry == "notebook_path":
        notebook = _code_file(ws, db, step)
        widgets = [part for key, value in db["notebook_params"].items() for part in ({"literal": f"-{key}"},
                                                                                     _param(value))]
        local["command"] = [{"literal": "python"}, {"literal": "-m"}, {"literal": NOTEBOOK_RUNNER},
                            {"literal": notebook}] + widgets + data_args
    else:
        local["command"] = _jar_command(ws, db) + _params(db["jar_params"]) + data_args
    return run_script_step(ctx, local, step_run_id, run_dir, key)


def _environment(ws, db: dict) -> dict:
    """The cluster's Spark environment variables that make sense here, and the local DBFS folder."""
    env = {str(k): str(v) for k, v in ((db.get("cluster") or {}).get("spark_env_variables") or {}).items()}
    if "PYSPARK_PYTHON" in env and not os.path.exists(env["PYSPARK_PYTHON"]):
        del env["PYSPARK_PYTHON"]  # the cluster's /databricks/python3 does not exist here: the run's python is used
    conf = (db.get("cluster") or {}).get("spark_conf")
    if conf:
        env["AZUREML_LOCAL_SPARK_CONF"] = json.dumps(conf)
    env[DBFS_ROOT_ENV] = str(dbfs_root(ws))
    return env


def _data_arguments(step: dict) -> list[dict]:
    """``-<name> <value>`` for every input, then every output (the SDK's Databricks convention)."""
    args: list[dict] = []
    for inp in step.get("inputs") or []:
        args += [{"literal": f"-{inp['name']}"}, {"input": inp["name"]}]
    for out in step.get("outputs") or []:
        args += [{"literal": f"-{out['name']}"}, {"output": out["name"]}]
    return args


def _param(value: dict) -> dict:
    return {"parameter": value["parameter"]} if "parameter" in value else {"literal": value["literal"]}


def _params(values: list[dict]) -> list[dict]:
    return [_param(v) for v in values]


def _code_file(ws, db: dict, step: dict) -> str:
    """The notebook or script: the snapshotted local file, or the file below the local DBFS folder."""
    if db.get("local_code"):
        return db["local_code"]
    target = db["target"]
    local = dbfs_local(ws, target)
    candidates = [local, Path(str(local) + ".ipynb")] if local is not None else []
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    where = f"{local} (the local DBFS folder)" if local is not None else \
        (f"a local file: {target.lstrip('/')}{'.ipynb' if db['entry_point'] == 'notebook_path' else ''} below "
         "source_directory or the folder the pipeline was built in")
    raise DatabricksSetupError(f"{db['entry_point']} '{target}' lives in the Databricks workspace, which does not "
                               f"exist here: put the file at {where}.")


def _jar_command(ws, db: dict) -> list[dict]:
    jars = []
    for library in db.get("jar_libraries") or []:
        local = dbfs_local(ws, library) or Path(library)
        if not local.is_file():
            raise DatabricksSetupError(f"jar library '{library}' was not found locally (looked at {local}); copy "
                                       "the JAR there (dbfs:/ paths live in the workspace's local DBFS folder).")
        jars.append(str(local.resolve()))
    if not jars:
        raise DatabricksSetupError("main_class_name needs jar_libraries=[JarLibrary(<path of the JAR>)].")
    spark_submit, java = shutil.which("spark-submit"), shutil.which("java")
    if spark_submit:
        extra = [{"literal": "--jars"}, {"literal": ",".join(jars[1:])}] if len(jars) > 1 else []
        return [{"literal": spark_submit}, {"literal": "--class"}, {"literal": db["target"]}] + extra + [
            {"literal": jars[0]}]
    if java:
        return [{"literal": java}, {"literal": "-cp"}, {"literal": os.pathsep.join(jars)}, {"literal": db["target"]}]
    raise DatabricksSetupError("main_class_name needs a local Java runtime: neither spark-submit nor java is on "
                               "PATH. Install a JDK (or Spark) on this machine.")
