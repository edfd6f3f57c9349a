"""Registry generations: one counter per registry area, bumped on every write.

Caches in long-lived processes (``WorkspaceContext.cached``) compare the counter they
were filled under with the current one, so a change made by any process is seen at the
next lookup.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azureml_local.store.db import Database


def current(db: "Database", area: str) -> int:
    row = db.query_one("SELECT n FROM registry_generations WHERE area=?", (area,))
    return int(row["n"]) if row is not None else 0


def bump(db: "Database", area: str) -> None:
    """Increment ``area``'s generation (call inside or after the registry write's transaction)."""
    db.execute("INSERT INTO registry_generations(area, n) VALUES (?, 1) "
               "ON CONFLICT(area) DO UPDATE SET n = registry_generations.n + 1", (area,))
