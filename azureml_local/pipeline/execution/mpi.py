"""The executor of ``MpiStep``: the script once, as a PythonScriptStep, in a one-process MPI world.

No ``mpirun`` runs here: the requested ``node_count x process_count_per_node`` is recorded and
the step log says so; the script sees the rank variables of rank 0 of a world of size 1, which
is what ``mpi4py`` / Horovod code needs to run single-process.
"""
from __future__ import annotations

from pathlib import Path

from azureml_local.pipeline import reuse
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.script_step import run_script_step
from azureml_local.pipeline.execution.step import _log

ONE_PROCESS_WORLD = {"OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "1", "OMPI_COMM_WORLD_LOCAL_RANK": "0",
                     "OMPI_COMM_WORLD_LOCAL_SIZE": "1", "PMI_RANK": "0", "PMI_SIZE": "1"}


def run_mpi_step(ctx: PipelineContext, step: dict, step_run_id: str, run_dir: Path,
                 key: reuse.ReuseKey | None) -> StepResult:
    runconfig = step.get("runconfig") or {}
    nodes = runconfig.get("nodeCount") or runconfig.get("node_count") or 1  # the runconfig's serialised names
    mpi = runconfig.get("mpi") or {}
    per_node = mpi.get("processCountPerNode") or mpi.get("process_count_per_node") or 1
    _log(ctx.ws, step_run_id, f"MpiStep '{step.get('name')}': emulated locally. mpirun is not used: the script runs "
         f"once (rank 0 of a world of size 1) instead of {nodes} node(s) x {per_node} process(es).")
    local = dict(step, environment_variables=dict(ONE_PROCESS_WORLD, **(step.get("environment_variables") or {})))
    return run_script_step(ctx, local, step_run_id, run_dir, key)
