"""The service's own endpoints: ``GET /health`` and ``POST /wake``."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

router = APIRouter(tags=["system"])


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Which process serves which workspace, and its queued/active run counts."""
    ctx, dispatcher = request.app.state.ctx, request.app.state.dispatcher
    return {"pid": dispatcher.pid, "workspace": {"subscription_id": ctx.subscription_id,
                                                 "resource_group": ctx.resource_group, "name": ctx.workspace_name,
                                                 "folder": str(ctx.folder)},
            **dispatcher.counts()}


@router.post("/wake", status_code=202)
async def wake(request: Request) -> dict[str, bool]:
    """A run was queued (let the dispatcher claim it now) or a schedule changed (re-plan its next fire)."""
    request.app.state.dispatcher.wake()
    request.app.state.scheduler.wake()
    return {"woken": True}
