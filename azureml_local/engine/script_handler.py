"""Runner handler of ``azureml.scriptrun``: run definition (+ data bindings) -> ScriptJob.

``ScriptRunConfig`` submission stores the run definition as JSON on the run row
and, when arguments hold data objects, pickles them to
``<run folder>/data_bindings.pkl``. Here, in the runner, the placeholders
``DatasetConsumptionConfig:<name>`` / ``DatasetOutputConfig:<name>`` are
replaced via the data layer's hooks (``azureml_local.data.run_inputs``).
"""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azureml_local.engine.execute import execute_script_job, run_folder
from azureml_local.engine.job import ScriptJob

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

BINDINGS_FILE = "data_bindings.pkl"
INPUT_PREFIX = "DatasetConsumptionConfig:"
OUTPUT_PREFIX = "DatasetOutputConfig:"
REFERENCE_RE = re.compile(r"\$AZUREML_DATAREFERENCE_(\w+)")


def save_bindings(ws: "Workspace", run_id: str, inputs: dict, outputs: dict, references: dict | None = None) -> None:
    """Persist data configs for the runner (only when there are any)."""
    if not inputs and not outputs and not references:
        return
    folder = run_folder(ws, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / BINDINGS_FILE).write_bytes(pickle.dumps({"inputs": inputs, "outputs": outputs,
                                                       "references": references or {}}))


def job_from_definition(ws: "Workspace", run_id: str) -> ScriptJob:
    row = ws._context.runs.run(run_id)
    definition: dict[str, Any] = json.loads(row["definition"] or "{}")
    snapshot_dir = ws._local_folder / "snapshots" / row["snapshot_id"] if row["snapshot_id"] else None
    job = ScriptJob(run_id=run_id, experiment_name=row["experiment_name"], snapshot_dir=snapshot_dir,
                    script=definition.get("script"), arguments=list(definition.get("arguments") or []),
                    command=definition.get("command") or None,
                    environment_variables=dict(definition.get("environmentVariables") or {}),
                    timeout_seconds=definition.get("maxRunDurationSeconds") or None,
                    target=row["target"] or "local")
    python = definition.get("_python")
    if python and Path(python).exists():
        job.python = python
    bindings_file = run_folder(ws, run_id) / BINDINGS_FILE
    bindings = pickle.loads(bindings_file.read_bytes()) if bindings_file.exists() else {}
    if bindings or any(REFERENCE_RE.search(str(a)) for a in job.arguments):
        _bind_data(ws, job, bindings.get("inputs") or {}, bindings.get("outputs") or {})
        _bind_references(ws, job, bindings.get("references") or {})
    return job


def _bind_references(ws: "Workspace", job: ScriptJob, references: dict) -> None:
    """``$AZUREML_DATAREFERENCE_<name>`` in arguments -> the local folder/file of that DataReference.

    A name with no DataReference object (e.g. an argument stringified earlier) that names a datastore
    means the whole datastore (``datastore.as_mount()``).
    """
    uploads: list[tuple[Any, str]] = []

    def before(job: ScriptJob, work_dir: Path) -> None:
        from azureml_local.data import run_inputs

        values: dict[str, str] = {}
        for name in sorted({m.group(1) for a in job.arguments for m in REFERENCE_RE.finditer(str(a))}):
            ref = references.get(name) or {"kind": "datastore_path", "name": name, "datastore": name, "path": "",
                                            "mode": "mount"}
            value, env = run_inputs.prepare_input(ws, ref, work_dir)
            values[name] = str(value)
            job.environment_variables.update(env or {})
            if getattr(ref, "mode", None) == "upload":
                uploads.append((ref, str(value)))
        job.arguments = [REFERENCE_RE.sub(lambda m: values.get(m.group(1), m.group(0)), a) if isinstance(a, str)
                         else a for a in job.arguments]

    def after(job: ScriptJob, work_dir: Path, exit_code: int) -> None:
        from azureml_local.data import run_inputs

        for ref, local in uploads:
            run_inputs.finalize_output(ws, {"name": ref.data_reference_name, "datastore": ref.datastore.name,
                                            "path": ref.path_on_datastore or "", "mode": "upload",
                                            "upload_options": {"overwrite": bool(getattr(ref, "overwrite", False))}},
                                       local, job.run_id)

    job.before_launch.append(before)
    job.after_process.append(after)


def _bind_data(ws: "Workspace", job: ScriptJob, inputs: dict, outputs: dict) -> None:
    """Add hooks resolving data placeholders at launch and finalizing outputs afterwards."""
    local_outputs: dict[str, str] = {}

    def before(job: ScriptJob, work_dir: Path) -> None:
        from azureml_local.data import run_inputs

        values: dict[str, str] = {}
        env: dict[str, str] = {}
        modes = []
        for name, config in inputs.items():
            value, extra = run_inputs.prepare_input(ws, config, work_dir)
            values[INPUT_PREFIX + name] = str(value)
            env.update(extra or {})
            env.setdefault(name, str(value))
            modes.append(f"{name}:{getattr(config, 'mode', 'direct')}")
        for name, config in outputs.items():
            path, extra = run_inputs.prepare_output(ws, config, job.run_id, work_dir)
            local_outputs[name] = str(path)
            values[OUTPUT_PREFIX + name] = str(path)
            env.update(extra or {})
            env.setdefault(name, str(path))
        if modes:
            env.setdefault("AZUREML_DATASET_ENVIRONMENT_VARS", ",".join(modes))
        if outputs:
            env.setdefault("AZUREML_DATASET_FILE_OUTPUTS", ";".join(outputs))
        job.arguments = [values.get(a, a) if isinstance(a, str) else a for a in job.arguments]
        job.environment_variables.update(env)

    def after(job: ScriptJob, work_dir: Path, exit_code: int) -> None:
        from azureml_local.data import run_inputs

        lineage = []
        for name, config in outputs.items():
            result = run_inputs.finalize_output(ws, config, local_outputs[name], job.run_id) or {}
            if result.get("dataset_id"):
                lineage.append({"identifier": {"savedId": result["dataset_id"]}, "outputType": "RunOutput",
                                "outputDetails": {"outputName": name}, "dataset": {"id": result["dataset_id"]}})
        if lineage:
            definition = json.loads(ws._context.runs.run(job.run_id)["definition"] or "{}")
            definition["_outputDatasets"] = lineage
            ws._context.runs.update_run(job.run_id, definition=definition)

    job.before_launch.append(before)
    if outputs:
        job.after_process.append(after)


def handle_script_run(ws: "Workspace", run_id: str) -> None:
    """Handler registered for ``azureml.scriptrun``."""
    execute_script_job(ws, job_from_definition(ws, run_id))
