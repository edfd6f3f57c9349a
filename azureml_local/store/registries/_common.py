"""What every registry area shares: the timestamp format and the generation bump."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from azureml_local.store import generations


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


def row_dict(row: Any) -> dict[str, Any] | None:
    return dict(row) if row is not None else None


def bump(db: Any, area: str) -> None:
    """Bump ``area``'s generation (called inside the write's transaction, on the same connection)."""
    generations.bump(db, area)
