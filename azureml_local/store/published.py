"""PublishedStore (``ctx.published``): published pipelines, pipeline endpoints, drafts.

Skeleton: the owner of issue 8's published pipelines fills it in (tables in
``store/migrations/published.py``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azureml_local.store.db import Database


class PublishedStore:
    def __init__(self, db: "Database"):
        self.db = db

    def has_active(self) -> bool:
        """Whether any published pipeline or pipeline endpoint is Active (keeps the service up)."""
        return False
