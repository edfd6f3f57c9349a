"""The ``azureml.PipelineRun`` handler: run a stored definition's steps in dependency order.

Independent steps run in parallel threads (each waiting on its own step process),
bounded per compute target by ``compute.registry.max_concurrency``. A failing step
cancels the rest unless ``continue_on_step_failure``, in which case only the steps
downstream of it are skipped. The pipeline is Finished only once every output
upload has landed in its datastore.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from azureml_local.compute.registry import max_concurrency
from azureml_local.faults import pause_point
from azureml_local.pipeline.execution import ahead
from azureml_local.pipeline.execution.context import PipelineContext, StepResult
from azureml_local.pipeline.execution.step import execute_step
from azureml_local.status import ACTIVE_STATES, CANCEL_STATES, RUNNING_STATES
from azureml_local.store.runs import error_dict

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

CANCEL_POLL_SECONDS = 0.05


def handle_pipeline_run(ws: "Workspace", run_id: str) -> None:
    """The service's handler for ``azureml.PipelineRun`` (its entry in ``azureml_local.plugins``)."""
    run_pipeline(ws, run_id)


def run_pipeline(ws: "Workspace", run_id: str) -> str:
    """Execute pipeline run ``run_id`` to a terminal status and return it (run-history vocabulary)."""
    runs = ws._context.runs
    row = ws._context.pipeline_runs.get(run_id)
    if row is None:
        return "Failed"
    # the run history is the one home of status; a cancel is CancelRequested there
    if not runs.set_status(run_id, "Running", start=True, only_from=RUNNING_STATES, runner_pid=os.getpid()):
        runs.set_status(run_id, "Canceled", only_from=("CancelRequested",))  # canceled before it started
        return runs.status(run_id)
    definition = json.loads(row["definition"])
    ctx = PipelineContext(ws=ws, pipeline_run_id=run_id, experiment_name=row["experiment_name"],
                          definition=definition, parameters=resolve_parameters(definition, json.loads(row["parameters"])),
                          regenerate_outputs=bool(row["regenerate_outputs"]),
                          run_root=ws._local_folder / "runs" / run_id,
                          reuse_mode=row.get("reuse_mode") or "content",
                          experiment_id=runs.run(run_id)["experiment_id"])
    try:
        status, error = _Scheduler(ctx, bool(row["continue_on_step_failure"])).run()
    except BaseException as exc:  # the orchestrator itself broke: never leave the run Running
        ctx.cancel.set()
        runs.set_status(run_id, "Failed", error=error_dict(f"The pipeline orchestrator failed: {exc!r}"),
                        only_from=ACTIVE_STATES)
        raise
    finally:
        ctx.uploads.shutdown(wait=True)
        ahead.discard_unused(ctx)
    pause_point("pipeline.finalize")  # every step ended and published; the pipeline's status not written yet
    runs.set_status(run_id, status, error=error, only_from=ACTIVE_STATES)
    return status


def resolve_parameters(definition: dict, submitted: dict) -> dict[str, Any]:
    """Each declared parameter's value for this run: submitted value, else its default."""
    values = {name: spec.get("default") for name, spec in (definition.get("parameters") or {}).items()}
    values.update(submitted or {})
    return values


def dependencies(definition: dict) -> dict[str, set[str]]:
    """node_id -> node_ids it waits for (data edges from step_output inputs, plus run_after)."""
    nodes = {s["node_id"] for s in definition["steps"]}
    deps: dict[str, set[str]] = {}
    for step in definition["steps"]:
        d = {i["producer"] for i in step.get("inputs") or [] if i.get("kind") == "step_output"}
        d |= set(step.get("run_after") or [])
        unknown = d - nodes
        if unknown:
            raise ValueError(f"Step '{step.get('name')}' depends on unknown node(s) {sorted(unknown)}.")
        deps[step["node_id"]] = d
    return deps


def _max_concurrency(ws: "Workspace", compute: str) -> int:
    """Steps that may run at once on ``compute`` (the compute registry decides; its errors are not hidden)."""
    return max(1, int(max_concurrency(ws, compute)))


class _Scheduler:
    """Start ready steps, collect results, honour cancel and failures."""

    def __init__(self, ctx: PipelineContext, continue_on_step_failure: bool):
        self.ctx = ctx
        self.continue_on_failure = continue_on_step_failure
        self.steps = {s["node_id"]: s for s in ctx.definition["steps"]}
        self.deps = dependencies(ctx.definition)
        self.limits: dict[str, int] = {}

    def _limit(self, compute: str) -> int:
        if compute not in self.limits:
            self.limits[compute] = _max_concurrency(self.ctx.ws, compute)
        return self.limits[compute]

    def run(self) -> tuple[str, dict | None]:
        ctx = self.ctx
        pending = dict(self.steps)
        running: dict[Future, str] = {}
        busy: dict[str, int] = {}
        failed: set[str] = set()
        first_error: dict | None = None
        canceled = False
        finished: list[str] = []
        pool = ThreadPoolExecutor(max_workers=max(1, len(self.steps)), thread_name_prefix="step")
        try:
            while pending or running:
                if not canceled and self._cancel_requested():
                    canceled = True
                    self._stop_running_steps()
                if not ctx.cancel.is_set():
                    self._start_ready(pool, pending, running, busy, failed)
                    ahead.prepare_next(ctx, self.steps, self.deps, pending, running.values())
                elif not running:
                    break
                ctx.launches.release(*finished)  # the steps they unblocked are started: uploads may go
                finished = []
                if not running:
                    if pending:  # everything left waits on a failed step
                        break
                    continue
                done, _ = wait(list(running), timeout=CANCEL_POLL_SECONDS, return_when=FIRST_COMPLETED)
                for fut in done:
                    node = running.pop(fut)
                    finished.append(node)
                    compute = self.steps[node].get("compute_target") or "local"
                    busy[compute] -= 1
                    result: StepResult = fut.result()
                    ctx.results[node] = result
                    if result.status != "Completed":
                        failed.add(node)
                        if result.status == "Failed" and first_error is None:
                            first_error = result.error
                        if not self.continue_on_failure and not ctx.cancel.is_set():
                            self._stop_running_steps()
        finally:
            pool.shutdown(wait=True)
            ctx.launches.release_all()
        upload_error = self._wait_uploads()
        if canceled:
            return "Canceled", None
        if failed or first_error:
            return "Failed", first_error or error_dict("A step of the pipeline did not finish.")
        if upload_error is not None:
            return "Failed", upload_error
        if pending:
            return "Failed", error_dict("Some steps could not run because a step they depend on did not finish.")
        return "Completed", None

    def _start_ready(self, pool: ThreadPoolExecutor, pending: dict, running: dict, busy: dict, failed: set) -> None:
        for node in list(pending):
            deps = self.deps[node]
            if deps & failed:
                continue  # downstream of a failure: never started (continue_on_step_failure)
            if not all(d in self.ctx.results and self.ctx.results[d].status == "Completed" for d in deps):
                continue
            compute = self.steps[node].get("compute_target") or "local"
            if busy.get(compute, 0) >= self._limit(compute):
                continue
            busy[compute] = busy.get(compute, 0) + 1
            step = pending.pop(node)
            self.ctx.launches.hold(node)  # released once its process is launched (LaunchGate)
            running[pool.submit(execute_step, self.ctx, step)] = node

    def _stop_running_steps(self) -> None:
        """Ask the engine to kill every step process of this pipeline run (it polls CancelRequested)."""
        self.ctx.cancel.set()
        runs = self.ctx.ws._context.runs
        for row in self.ctx.ws._context.pipeline_runs.steps(self.ctx.pipeline_run_id):
            runs.set_status(row["step_run_id"], "CancelRequested", only_from=ACTIVE_STATES)

    def _cancel_requested(self) -> bool:
        """A cancel of the pipeline run is its run-history status moving to CancelRequested."""
        return self.ctx.ws._context.runs.status(self.ctx.pipeline_run_id) in CANCEL_STATES

    def _wait_uploads(self) -> dict | None:
        """Every output upload must land before the run is Finished; the first failure fails it."""
        error = None
        for result in self.ctx.results.values():
            if result.upload is None:
                continue
            try:
                result.upload.result()
            except Exception as exc:
                if error is None:
                    error = error_dict(f"Uploading the outputs of step run {result.step_run_id} failed: {exc}. "
                                   "Free disk space / check the datastore and submit again.")
                self.ctx.ws._context.runs.set_status(result.step_run_id, "Failed", error=error)  # was Completed
        return error
