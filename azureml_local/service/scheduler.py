"""The workspace service's scheduler: fires time and datastore schedules.

A task on the service's event loop. Each pass (database and blob work, in a worker thread)
claims the fires due at the clock's "now", submits them and returns when the next one is due
(``pipeline/scheduling/firing.py``); the task then sleeps until that instant, a ``wake()``
(a schedule was created or changed: ``POST /wake``), or ``RESCAN_SECONDS`` of real time, whichever
comes first. The clock is ``clock.current_clock()``: the system's, or the instant in
``AZUREML_LOCAL_CLOCK_FILE`` that tests drive (a change of it ends the sleep within 0.05 s).
Started and stopped by the app's lifespan (``service/app.py``).
"""
from __future__ import annotations

import asyncio
import traceback
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from azureml_local.clock import Clock, current_clock
from azureml_local.pipeline.scheduling.firing import run_pass

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

RESCAN_SECONDS = 5.0  # a schedule written without a wake (another tool, a lost request) is seen within this


class Scheduler:
    """Fires the workspace's due schedules; ``on_fire()`` tells the dispatcher a run was queued."""

    def __init__(self, ctx: "WorkspaceContext", on_fire: Callable[[], None], clock: Clock | None = None):
        self.ctx = ctx
        self.on_fire = on_fire
        self.clock = clock or current_clock()
        self.next_wake: datetime | None = None
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self._stopping = False

    def start(self) -> None:
        """Start the scheduling task on the running loop."""
        if self._task is None:
            self._loop = asyncio.get_running_loop()
            self._event = asyncio.Event()
            self._task = self._loop.create_task(self._run(), name="scheduler")

    def wake(self) -> None:
        """A schedule was created or changed: recompute the next fire now (thread-safe)."""
        if self._loop is not None and self._event is not None:
            self._loop.call_soon_threadsafe(self._event.set)

    async def stop(self) -> None:
        """Stop the task (idempotent): a pass in progress finishes first, so no claim is left half-done."""
        self._stopping = True
        self.wake()
        if self._task is not None:
            try:
                await self._task
            except Exception:  # noqa: BLE001 - report in the service log; stopping goes on
                traceback.print_exc()

    async def _run(self) -> None:
        assert self._event is not None
        while not self._stopping:
            self._event.clear()  # before the pass: a wake arriving during it makes another pass
            try:
                started, self.next_wake = await asyncio.to_thread(self._pass)
            except Exception:  # noqa: BLE001 - a failing pass (database busy, folder gone) is retried
                traceback.print_exc()
                started, self.next_wake = [], None
            if started:
                self.on_fire()
            if self._stopping:
                break
            await self.clock.sleep_until(self.next_wake, self._event, RESCAN_SECONDS)

    def _pass(self) -> tuple[list[str], datetime | None]:
        if not self.ctx.exists():
            return [], None  # the dispatcher ends the service
        return run_pass(self.ctx, self.clock.now())
