"""The sweep controller: the workspace service's handler for ``hyperdrive`` runs.

It runs in the dispatcher's worker thread for the sweep (never on the event loop) and polls the run
store: it samples points (``samplers.py``), records each child as a script run of the sweep (the child
job spec is the compiled template with ``--name value`` appended), runs at most ``max_concurrent_runs``
children at a time (each in a thread of its own through ``jobs/runner.py`` and the engine), reads the
children's primary metric as they log it and cancels the ones the policy picks (``policies.py``: status
CancelRequested; the engine kills the process and records Canceled). Canceling the sweep cancels its
running children. Below the SDK classes: plain values and a ``WorkspaceContext`` only.
"""
from __future__ import annotations

import copy
import json
import os
import threading
import time
import traceback
from typing import Any, Callable

from azureml_local.engine.execute import DRIVER_LOG, STD_LOG, log_paths
from azureml_local.hyperdrive import policies
from azureml_local.hyperdrive.samplers import sampler_for
from azureml_local.hyperdrive.spec import BEST_CHILD_METRIC, SWEEP_KEY, TAG_PREFIX, child_flag
from azureml_local.jobs import spec as job_spec
from azureml_local.jobs.runner import handle_script_run
from azureml_local.runs import artifacts
from azureml_local.status import ACTIVE_STATES, RUNNING_STATES, TERMINAL_STATES
from azureml_local.store.runs import error_dict, utc_now

POLL_SECONDS = 0.2
CHILD_PROPERTIES = {"_azureml.ComputeTargetType": "local", "azureml.runsource": "hyperdrive"}

RunChild = Callable[[Any, str], None]  # (ctx, child run id) -> runs the child to a final status


def handle_hyperdrive_run(ctx: Any, run_id: str) -> None:
    """Handler registered for run type ``hyperdrive``."""
    SweepController(ctx, run_id).run()


def child_arguments(arguments: list, params: dict) -> list:
    """The template's argument items with each hyperparameter appended as ``--name value``."""
    extra: list = []
    for name, value in params.items():
        extra += [child_flag(name), str(value)]
    return list(arguments or []) + extra


class SweepController:
    """One sweep: sampling, launching, policy and the final status (see the module docstring)."""

    def __init__(self, ctx: Any, run_id: str, run_child: RunChild | None = None,
                 should_stop: Callable[[], bool] | None = None):
        self.ctx = ctx
        self.run_id = run_id
        row = ctx.runs.run(run_id)
        self.experiment_id = row["experiment_id"]
        self.experiment_name = ctx.runs.experiment(row["experiment_id"])["name"]
        sweep = json.loads(row["definition"] or "{}")[SWEEP_KEY]
        self.sweep = sweep
        self.metric = sweep["primary_metric_config"]["name"]
        self.goal = sweep["primary_metric_config"]["goal"]
        self.policy = sweep["policy_config"]
        self.max_total = int(sweep["max_total_runs"])
        self.max_concurrent = max(1, int(sweep["max_concurrent_runs"] or self.max_total))
        self.max_seconds = float(sweep["max_duration_minutes"]) * 60
        self.sampler = sampler_for(sweep["generator_config"], self.goal)
        self.run_child = run_child or handle_script_run
        self.should_stop = should_stop or (lambda: False)  # e.g. the pipeline run of a HyperDriveStep was canceled
        self.active: dict[str, tuple[int, threading.Thread]] = {}
        self.finished: dict[str, str] = {}  # child id -> final status
        self.evaluated: dict[str, int] = {}  # child id -> last interval the policy looked at
        self.best: tuple[str, float] | None = None

    # -- the loop -------------------------------------------------------------------------------------
    def run(self) -> str:
        """Run the sweep to its final status and return it."""
        runs = self.ctx.runs
        if not runs.set_status(self.run_id, "Running", start=True, only_from=RUNNING_STATES, runner_pid=os.getpid()):
            runs.set_status(self.run_id, "Canceled", only_from=("CancelRequested",))
            return runs.status(self.run_id)
        try:
            return self._loop()
        except Exception as exc:  # noqa: BLE001 - the sweep fails with its traceback, its children are stopped
            self._stop_children()
            runs.set_status(self.run_id, "Failed", only_from=ACTIVE_STATES, error=error_dict(
                f"The HyperDrive controller failed: {exc}\n{traceback.format_exc()}", code="SystemError"))
            return runs.status(self.run_id)

    def _warm_start(self) -> None:
        """Teach the sampler the results of the sweeps named in ``resume_from`` (Bayesian sampling learns)."""
        for sweep_id in self.sweep.get("resume_from") or []:
            tags = self.ctx.runs.tags(sweep_id)
            learned = 0
            for row in self.ctx.runs.children(sweep_id):
                params = tags.get(f"{TAG_PREFIX}{row['run_id']}")
                series = self._series(row["run_id"])
                if params and series and row["status"] == "Completed":
                    best = max(series) if self.goal == "maximize" else min(series)
                    if self.sampler.warm(json.loads(params), best):
                        learned += 1
            self._log("GENERATOR", f"Warm start from {sweep_id}: {learned} completed child runs learned from.")

    def _loop(self) -> str:
        started = time.monotonic()
        self._warm_start()
        self._log("GENERATOR", f"{self.sweep['generator_config']['name']} sampling, up to {self.max_total} child runs, "
                  f"{self.max_concurrent} at a time; primary metric '{self.metric}' ({self.goal}); policy "
                  f"{self.policy.get('name')}.")
        index, exhausted = 0, False
        while True:
            if self.should_stop() or self.ctx.runs.status(self.run_id) in ("CancelRequested", "Canceled"):
                self._stop_children()
                return self._finish("Canceled")
            if time.monotonic() - started > self.max_seconds:
                self.ctx.runs.add_warning(self.run_id, "The HyperDrive run reached max_duration_minutes "
                                          f"({self.max_seconds / 60:g}); its running child runs were canceled.")
                self._stop_children()
                return self._finish(self._outcome())
            self._collect()
            self._apply_policy()
            while len(self.active) < self.max_concurrent and index < self.max_total and not exhausted:
                params = self.sampler.next(index)
                if params is None:
                    exhausted = True
                    break
                self._launch(index, params)
                index += 1
            if not self.active and (exhausted or index >= self.max_total):
                return self._finish(self._outcome())
            time.sleep(POLL_SECONDS)

    # -- children -------------------------------------------------------------------------------------
    def _launch(self, index: int, params: dict) -> None:
        child = self.sweep["child"]
        child_id = f"{self.run_id}_{index}"
        definition = copy.deepcopy(child["definition"])
        spec = definition[job_spec.JOB_KEY]
        spec["arguments"] = child_arguments(spec.get("arguments"), params)
        definition["arguments"] = child_arguments(definition.get("arguments"), params)
        job_spec.validate(spec)
        self.ctx.runs.set_tags(self.run_id, {f"{TAG_PREFIX}{child_id}": json.dumps(params)})
        self.ctx.runs.create_run(self.experiment_name, child_id, run_type="azureml.scriptrun", status="Queued",
                                 parent_run_id=self.run_id, target=child["target"], definition=definition,
                                 snapshot_id=child["snapshot_id"], experiment_id=self.experiment_id,
                                 properties={**CHILD_PROPERTIES, "ContentSnapshotId": child["snapshot_id"]})
        if child.get("warning"):
            self.ctx.runs.add_warning(child_id, child["warning"])
        self._log("CONTROLLER", f"Created child run {child_id} with hyperparameters {json.dumps(params)}.")
        thread = threading.Thread(target=self._execute, args=(child_id,), name=f"run-{child_id}", daemon=True)
        self.active[child_id] = (index, thread)
        thread.start()

    def _execute(self, child_id: str) -> None:
        """One child's thread: its runner must give it a final status; a crash fails it."""
        try:
            self.run_child(self.ctx, child_id)
        except Exception as exc:  # noqa: BLE001
            self.ctx.runs.set_status(child_id, "Failed", only_from=ACTIVE_STATES, error=error_dict(
                f"The azureml-local runner could not execute the run: {exc}\n{traceback.format_exc()}",
                code="SystemError"))

    def _collect(self) -> None:
        for child_id, (index, thread) in list(self.active.items()):
            if thread.is_alive():
                continue
            status = self.ctx.runs.status(child_id)
            if status not in TERMINAL_STATES:  # the runner returned without a final status
                self.ctx.runs.set_status(child_id, "Failed", only_from=ACTIVE_STATES, error=error_dict(
                    "The run's handler returned without giving the run a final status.", code="SystemError"))
                status = "Failed"
            del self.active[child_id]
            self.finished[child_id] = status
            self._log("CONTROLLER", f"Child run {child_id} ended {status}.")
            series = self._series(child_id)
            value = (max(series) if self.goal == "maximize" else min(series)) if series else None
            self.sampler.report(index, value if status == "Completed" else None)
            if value is not None and (self.best is None or policies.better(self.goal, value, self.best[1])):
                self.best = (child_id, value)
                self._log_best(final=False)

    def _series(self, child_id: str) -> list[float]:
        return [float(v) for _, _, v in self.ctx.runs.metrics(child_id, self.metric)
                if isinstance(v, (int, float)) and not isinstance(v, bool)]

    def _apply_policy(self) -> None:
        if (self.policy.get("name") or "Default").lower() == "default" or not self.active:
            return
        series = {c: self._series(c) for c in [*self.active, *self.finished]}
        for child_id in list(self.active):
            done = self.evaluated.get(child_id, 0)
            for interval in range(done + 1, len(series[child_id]) + 1):
                self.evaluated[child_id] = interval
                if policies.should_cancel(self.policy, self.goal, child_id, series, interval):
                    self._log("POLICY", f"{self.policy['name']} policy: canceling child run {child_id} at interval "
                              f"{interval} ({self.metric} = {series[child_id][interval - 1]:g}).")
                    self._cancel(child_id)
                    break

    def _cancel(self, child_id: str) -> None:
        """Ask the engine to stop a child (it kills the process and records Canceled)."""
        self.ctx.runs.set_status(child_id, "CancelRequested", only_from=RUNNING_STATES + ("Finalizing",))

    def _stop_children(self) -> None:
        for child_id in list(self.active):
            self._cancel(child_id)
        deadline = time.monotonic() + 30
        for _, thread in list(self.active.values()):
            thread.join(max(0.0, deadline - time.monotonic()))
        self._collect()

    # -- the end -------------------------------------------------------------------------------------
    def _outcome(self) -> str:
        statuses = list(self.finished.values())
        return "Failed" if statuses and all(s == "Failed" for s in statuses) else "Completed"

    def _log_best(self, final: bool) -> None:
        if self.best is None:
            return
        row = {"run_id": self.best[0], "metric_name": self.metric, "metric_value": self.best[1], "final": final}
        self.ctx.runs.log_metric(self.run_id, BEST_CHILD_METRIC, "row", json.dumps(row))

    def _log(self, source: str, message: str) -> None:
        """One line of the sweep's log (``azureml-logs/70_driver_log.txt``: ``show_output=True`` streams it)."""
        logs = log_paths(self.ctx, self.run_id)
        path = logs[STD_LOG]
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            logs[DRIVER_LOG].parent.mkdir(parents=True, exist_ok=True)
            path.touch()
            os.link(path, logs[DRIVER_LOG])
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"[{utc_now()}][{source}][INFO]{message}\n")

    def _finish(self, status: str) -> str:
        best = f" Best child run: {self.best[0]} ({self.metric} = {self.best[1]:g})." if self.best else ""
        self._log("CONTROLLER", f"The HyperDrive run ends {status}: {len(self.finished)} child runs.{best}")
        logs = log_paths(self.ctx, self.run_id)
        try:
            artifacts.upload_paths(self.ctx, self.run_id, [(STD_LOG, str(logs[STD_LOG]))])
            artifacts.alias(self.ctx, self.run_id, DRIVER_LOG, STD_LOG)
        except Exception as exc:  # noqa: BLE001 - the log stays on disk; the status matters more
            self.ctx.runs.add_warning(self.run_id, f"The HyperDrive log could not be uploaded: {exc}")
        self._log_best(final=True)
        self.ctx.runs.set_tags(self.run_id, {f"{TAG_PREFIX}all_jobs_generated": "true",
                                             f"{TAG_PREFIX}final_best_metric_update_retry_count": "0"})
        error = None
        if status == "Failed":
            first = next(c for c, s in self.finished.items() if s == "Failed")
            child_error = self.ctx.runs.error(first) or {}
            message = (child_error.get("error") or {}).get("message") or child_error.get("message") or ""
            error = error_dict(f"All {len(self.finished)} child runs of the HyperDrive run failed. The first one, "
                               f"{first}, failed with: {message}", code="UserError")
        self.ctx.runs.set_status(self.run_id, status, only_from=(*ACTIVE_STATES, "CancelRequested"), error=error)
        return self.ctx.runs.status(self.run_id)
