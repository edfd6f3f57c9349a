"""``RunDto``: the attribute bag handed to run type factories (the SDK's RunDto shape, subset)."""
from __future__ import annotations

import json
from typing import Any


class RunDto:
    """A run row as the SDK's RunDto: ``run_dto.run_id``, ``.run_type``, ``.status``, ``dto["name"]``..."""

    _KEYS = {"runId": "run_id", "runType": "run_type", "status": "status", "parentRunId": "parent_run_id",
             "rootRunId": "root_run_id", "name": "name", "displayName": "display_name",
             "description": "description", "target": "target", "experimentId": "experiment_id",
             "createdUtc": "created_utc", "startTimeUtc": "start_time_utc", "endTimeUtc": "end_time_utc",
             "runNumber": "run_number"}

    def __init__(self, row: Any, properties: dict | None = None, tags: dict | None = None):
        data = dict(row)
        self.run_id: str = data["run_id"]
        self.run_type: str = data["run_type"]
        self.status: str = data["status"]
        self.parent_run_id: str | None = data.get("parent_run_id")
        self.root_run_id: str = data.get("root_run_id") or self.run_id
        self.name: str | None = data.get("name")
        self.display_name: str | None = data.get("display_name")
        self.description: str | None = data.get("description")
        self.target: str = data.get("target") or "local"
        self.experiment_id: str = data.get("experiment_id")
        self.experiment_name: str | None = data.get("experiment_name")
        self.created_utc: str = data.get("created_utc")
        self.start_time_utc: str | None = data.get("start_time_utc")
        self.end_time_utc: str | None = data.get("end_time_utc")
        self.run_number: int = data.get("run_number")
        self.snapshot_id: str | None = data.get("snapshot_id")
        self.definition: dict = json.loads(data.get("definition") or "{}")
        self.error: dict | None = json.loads(data["error"]) if data.get("error") else None
        self.warnings: list = json.loads(data.get("warnings") or "[]")
        self.submitted_by: str | None = data.get("submitted_by")
        self.properties = properties if properties is not None else {}
        self.tags = tags if tags is not None else {}

    def __getitem__(self, key: str) -> Any:
        return getattr(self, self._KEYS.get(key, key))

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except AttributeError:
            return default
