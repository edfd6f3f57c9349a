"""The workspace service's scheduler: fires time and datastore schedules.

Skeleton: the owner of issue 8's schedules fills it in. The service starts it in the app's
lifespan (``service/app.py``) and stops it at shutdown.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


class Scheduler:
    """Fires the workspace's due schedules; ``on_fire()`` tells the dispatcher a run was queued."""

    def __init__(self, ctx: "WorkspaceContext", on_fire: Callable[[], None]):
        self.ctx = ctx
        self.on_fire = on_fire
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start the scheduling task on the running loop."""

    def wake(self) -> None:
        """A schedule was created or changed: recompute the next fire now."""

    async def stop(self) -> None:
        """Stop the task (idempotent)."""
