"""The dispatcher: claims a workspace's queued runs and executes each in a worker thread.

A task on the service's event loop. It sleeps until woken (``POST /wake``, a run ending)
or until its tick, claims queued runs (``ctx.queue.claim``), and calls each run's handler
(plugin table, ``handler(ctx, run_id)``) in a thread of its own: handlers block on the
processes they start, a run may last hours, and the loop must stay free for requests.

It ends the service when there is nothing left to do:

* idle: nothing queued or running for ``idle`` seconds
  (``AZUREML_LOCAL_SERVICE_IDLE_SECONDS``, default 600);
* folder gone: the workspace folder was deleted (a test's or CI's temporary folder); checked
  every tick, so the service never outlives its workspace by more than a second or two.

Stopping (SIGTERM, ``azureml-local service stop``) fails what it still runs and kills
those runs' processes: nothing is left Running without an executor. No HTTP here.
"""
from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING

from azureml_local import plugins
from azureml_local.engine.recovery import recover_orphans
from azureml_local.faults import pause_point
from azureml_local.processes import kill_process_group
from azureml_local.status import ACTIVE_STATES
from azureml_local.service.keep_alive import reasons_to_stay
from azureml_local.store.runs import error_dict
from azureml_local.webservice.supervisor import ScoringSupervisor

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext
    from azureml_local.service.info import ServiceInfo

TICK_SECONDS = 1.0  # folder check and queue re-scan (a lost wake costs at most this)
STARTING_TICK_SECONDS = 0.05  # before the HTTP side is up, wakes cannot arrive: scan the queue often
HANDLER_GRACE_SECONDS = 5.0  # at a stop, how long handlers get to record their killed runs
STOPPED_MESSAGE = "The azureml-local service was stopped while the run was executing."


def idle_seconds() -> float:
    return float(os.environ.get("AZUREML_LOCAL_SERVICE_IDLE_SECONDS", "600"))


class Dispatcher:
    """Queue claiming and run execution of one workspace."""

    def __init__(self, ctx: "WorkspaceContext", idle: float | None = None, info: "ServiceInfo | None" = None):
        self.ctx = ctx
        self.idle = idle_seconds() if idle is None else idle
        self.info = info
        self.pid = os.getpid()
        self.active: dict[str, threading.Thread] = {}
        self.reason: str | None = None  # why run() returned: "idle", "folder-gone" or "stopped"
        self._tick = STARTING_TICK_SECONDS
        self._serving = False  # the idle countdown starts when wakes can arrive
        self._last_busy = time.monotonic()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._first_claims: list[str] | None = None  # what the first queue scan claimed
        self._stopping = False
        self._shut_down = False
        self.scoring = ScoringSupervisor(ctx)  # deployed web services' processes (docs/deployment.md)

    # -- control (called on the event loop, wake() from any thread) ------------------------------
    def start(self) -> asyncio.Task:
        """Start ``run()`` as a task of the running loop (once)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="dispatcher")
        return self._task

    def serving(self) -> None:
        """Wakes can arrive now: publish ``service.json`` and slow the queue scan to the normal tick."""
        self._tick = TICK_SECONDS
        self._serving = True
        self._last_busy = time.monotonic()
        if self.info is not None:
            self.info.publish()

    def wake(self) -> None:
        """There may be queued work (thread-safe)."""
        if self._loop is not None and self._event is not None:
            self._loop.call_soon_threadsafe(self._event.set)

    def stop(self) -> None:
        self._stopping = True
        self.wake()

    async def first_runs_launched(self, limit: float = 1.0) -> None:
        """Return once the runs of the first queue scan have their processes (or ended), at most ``limit`` s.

        The service imports its web stack after this: that is ~0.5 s of CPU which would otherwise
        compete with starting the run that made a cold submit start the service.
        """
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and not (self._task and self._task.done()):
            if self._first_claims is not None and not self.ctx.queue.unlaunched(self._first_claims):
                return
            await asyncio.sleep(0.02)

    def counts(self) -> dict[str, int]:
        """Queued runs of the workspace and runs this service executes (``GET /health``)."""
        return {"queued": self.ctx.queue.queued_count(), "active": self.ctx.queue.active_count(self.pid)}

    # -- the loop -----------------------------------------------------------------------------------
    async def run(self) -> str:
        """Claim and execute until idle, folder gone or stopped; returns which."""
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()
        recover_orphans(self.ctx, self.pid)
        while True:
            if self._stopping:
                self.reason = "stopped"
                break
            if not self.ctx.exists():
                self.reason = "folder-gone"
                break
            self._event.clear()  # before the scan: a wake arriving during it makes another pass
            claimed = self.dispatch()
            self.scoring.tick()
            if self._first_claims is None:
                self._first_claims = claimed
            self.active = {run_id: t for run_id, t in self.active.items() if t.is_alive()}
            if self.active or not self._serving:
                self._last_busy = time.monotonic()
            elif time.monotonic() - self._last_busy >= self.idle and self._may_exit():
                self.reason = "idle"
                break
            remaining = self.idle - (time.monotonic() - self._last_busy)
            try:
                await asyncio.wait_for(self._event.wait(), max(0.01, min(self._tick, remaining)))
            except TimeoutError:
                pass
        return self.reason

    def dispatch(self) -> list[str]:
        """Claim what is queued and start a worker thread per run; returns the claimed ids."""
        if not self.ctx.queue.has_queued():
            return []
        pause_point("run.queued")  # queued, not claimed yet
        claimed = self.ctx.queue.claim(self.pid)
        for row in claimed:
            thread = threading.Thread(target=self._execute, args=(row["run_id"], row["handler"]),
                                      name=f"run-{row['run_id']}", daemon=True)
            self.active[row["run_id"]] = thread
            thread.start()
        return [row["run_id"] for row in claimed]

    def _execute(self, run_id: str, queued_handler: str | None) -> None:
        """One run's worker thread: its handler must give it a final status; anything else fails it."""
        try:
            row = self.ctx.runs.run(run_id)
            if row["status"] not in ACTIVE_STATES:
                return  # cancelled while it was queued
            pause_point("run.claimed")  # claimed by this service, its handler not started yet
            plugins.run_handler(row["run_type"], queued_handler)(self.ctx, run_id)
        except Exception as exc:  # noqa: BLE001 - a handler crash must still end the run
            self._fail(run_id, f"The azureml-local runner could not execute the run: {exc}\n"
                               f"{traceback.format_exc()}")
        else:
            self._fail(run_id, "The run's handler returned without giving the run a final status.")
        finally:
            self.wake()

    def _may_exit(self) -> bool:
        """Withdraw ``service.json``, then re-check the queue (closes the submit/exit race).

        Never while the workspace has an enabled schedule or an active published endpoint
        (``service/keep_alive.py``).
        """
        if reasons_to_stay(self.ctx):
            return False
        if self.info is not None:
            self.info.withdraw()
        if not self.ctx.queue.has_queued():
            return True
        if self.info is not None:
            self.info.publish()
        return False

    def _fail(self, run_id: str, message: str) -> None:
        self.ctx.runs.set_status(run_id, "Failed", only_from=ACTIVE_STATES,
                                 error=error_dict(message, code="SystemError"))

    # -- shutdown -----------------------------------------------------------------------------------
    async def shutdown(self) -> None:
        """Stop the loop, then fail what still runs here and kill its processes; withdraw ``service.json``."""
        if self._shut_down:
            return
        self._shut_down = True
        self.stop()
        if self._task is not None:
            try:
                await self._task
            except Exception:  # noqa: BLE001 - the loop broke: still fail what runs here, say why in the log
                traceback.print_exc()
        if self.info is not None:
            self.info.withdraw()
        self.scoring.stop_all()
        if self.reason == "folder-gone" or not self.ctx.exists():
            self._kill_active_processes()  # their workspace is gone: nothing to record
            return
        rows = self.ctx.queue.active_for_runner(self.pid)
        for row in rows:
            if row["pid"]:
                kill_process_group(row["pid"], signal.SIGKILL)
        deadline = time.monotonic() + HANDLER_GRACE_SECONDS
        for thread in self.active.values():  # let handlers record what they saw (logs, outputs)
            thread.join(max(0.0, deadline - time.monotonic()))
        stopped = error_dict(STOPPED_MESSAGE, code="SystemError")
        for row in rows:  # ... then say why it ended, over the handler's "killed by signal 9"
            self.ctx.runs.set_status(row["run_id"], "Failed", error=stopped, only_from=(*ACTIVE_STATES, "Failed"))

    def _kill_active_processes(self) -> None:
        try:
            rows = self.ctx.queue.active_for_runner(self.pid)
        except Exception as exc:  # noqa: BLE001 - the database went with the folder; report, then exit
            print(f"azureml-local service: workspace folder gone, could not list its runs: {exc}", file=sys.stderr)
            return
        for row in rows:
            if row["pid"]:
                kill_process_group(row["pid"], signal.SIGKILL)
