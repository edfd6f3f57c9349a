"""The workspace service's side of deployed web services: start, replace and stop scoring processes.

The service calls :meth:`ScoringSupervisor.tick` on every dispatcher pass: each service whose row
wants it running (``Transitioning``/``Healthy``/``Unhealthy``) gets a scoring process of its
current generation, a replaced generation's process is stopped first, and a process that died is
reaped (and started again unless it reported ``Failed``). So a deployment survives the deploying
script (the service owns the process), comes back when the service restarts (its first pass),
and keeps its port (recorded in the row). :meth:`stop_all` runs at the service's shutdown.
"""
from __future__ import annotations

import subprocess
import sys
import traceback
from typing import TYPE_CHECKING

from azureml_local.processes import terminate
from azureml_local.store.webservices import RUNNING_STATES
from azureml_local.webservice.layout import generation_dir, log_path, remove_older_generations, scoring_environment

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

SERVER_MODULE = "azureml_local.webservice.server"


class ScoringSupervisor:
    """The scoring processes one workspace service started (name -> (generation, process))."""

    def __init__(self, ctx: "WorkspaceContext"):
        self.ctx = ctx
        self.procs: dict[str, tuple[int, subprocess.Popen]] = {}

    def tick(self) -> None:
        """Bring the processes in line with the rows (never raises: the dispatcher must go on)."""
        try:
            self._reconcile()
        except Exception:  # noqa: BLE001 - report in service.log, retry on the next pass
            traceback.print_exc()

    def _reconcile(self) -> None:
        rows = {r["name"]: r for r in self.ctx.webservices.list()}
        for name, (generation, proc) in list(self.procs.items()):
            row = rows.get(name)
            wanted = row is not None and row["state"] in RUNNING_STATES and row["generation"] == generation
            if proc.poll() is not None:
                del self.procs[name]
            elif not wanted:
                terminate(proc.pid, timeout=5)
                del self.procs[name]
        for name, row in rows.items():
            if row["state"] in RUNNING_STATES and name not in self.procs:
                self._start(row)

    def _start(self, row: dict) -> None:
        name, generation = row["name"], row["generation"]
        gen_dir = generation_dir(self.ctx.folder, name, generation)
        if not gen_dir.is_dir():
            self.ctx.webservices.set_state(name, generation, "Failed", {
                "code": "DeploymentFilesMissing", "message": f"The deployment's files are gone ({gen_dir})."})
            return
        remove_older_generations(self.ctx.folder, name, generation)
        if row["state"] != "Transitioning":  # a restart: Healthy again once its init() has run
            self.ctx.webservices.set_state(name, generation, "Transitioning")
        with open(log_path(self.ctx.folder, name, generation), "ab") as log:
            proc = subprocess.Popen([sys.executable, "-m", SERVER_MODULE, str(self.ctx.folder), name, str(generation)],
                                    cwd=gen_dir, env=scoring_environment(gen_dir, row), stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=log, start_new_session=True, close_fds=True)
        self.procs[name] = (generation, proc)
        self.ctx.webservices.set_pid(name, generation, proc.pid)  # the process also records it with Healthy

    def stop_all(self) -> None:
        """At the service's shutdown: stop every scoring process it started (rows keep their state)."""
        for _generation, proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for _generation, proc in self.procs.values():
            terminate(proc.pid, timeout=5)
        self.procs.clear()
