"""ScheduleStore (``ctx.schedules``): schedules, fire history, datastore watermarks.

Skeleton: the owner of issue 8's schedules fills it in (tables in ``store/migrations/schedules.py``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azureml_local.store.db import Database


class ScheduleStore:
    def __init__(self, db: "Database"):
        self.db = db

    def has_active(self) -> bool:
        """Whether any schedule is Active (keeps the service up)."""
        return False
