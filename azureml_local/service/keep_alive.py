"""Why a workspace service must not exit when it has nothing queued.

A published endpoint or a deployed web service must answer when called and an enabled schedule
must fire, so the service stays up while the workspace has any; it still exits when its folder goes or on
``azureml-local service stop``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


def reasons_to_stay(ctx: "WorkspaceContext") -> list[str]:
    """What keeps the service up (empty: it may exit idle)."""
    reasons = []
    if ctx.schedules.has_active():
        reasons.append("an enabled schedule")
    if ctx.published.has_active():
        reasons.append("an active published pipeline or pipeline endpoint")
    if ctx.webservices.has_active():
        reasons.append("a deployed web service")
    return reasons
