"""A minimal run base used only while ``azureml_local.run.Run`` is not available.

PipelineRun/StepRun subclass the real ``Run`` (see :func:`run_base`); this shim
keeps them usable (ids, details, metrics, tags, children) from the run history
alone, so pipeline execution does not depend on that class being finished.
"""
from __future__ import annotations

import json
from typing import Any, Iterator


def run_base() -> type:
    """``azureml_local.run.Run`` when it exists, else :class:`MiniRun`."""
    try:
        from azureml_local.run import Run
    except ImportError:
        return MiniRun
    return Run


class MiniRun:
    """Read-only view of one run-history row (the subset pipelines need)."""

    def __init__(self, experiment: Any, run_id: str, outputs: Any = None, **kwargs: Any):
        self._experiment = experiment
        self._run_id = run_id

    # identity
    @property
    def id(self) -> str:
        return self._run_id

    @property
    def experiment(self) -> Any:
        return self._experiment

    @property
    def _ws(self) -> Any:
        return self._experiment.workspace

    def _row(self) -> Any:
        from azureml_local.runs import records

        return records.get_run_row(self._ws, self._run_id)

    @property
    def name(self) -> str | None:
        return self._row()["name"]

    @property
    def display_name(self) -> str | None:
        return self._row()["display_name"]

    @property
    def type(self) -> str:
        return self._row()["run_type"]

    @property
    def status(self) -> str:
        return self._row()["status"]

    @property
    def parent(self) -> Any:
        parent = self._row()["parent_run_id"]
        return MiniRun(self._experiment, parent) if parent else None

    def get_portal_url(self) -> str:
        return (self._ws._local_folder / "runs" / self._run_id).as_uri()

    # tags / properties
    def get_tags(self) -> dict:
        from azureml_local.runs import records

        return records.get_kv(self._ws, "run_tags", self._run_id)

    @property
    def tags(self) -> dict:
        return self.get_tags()

    def get_properties(self) -> dict:
        from azureml_local.runs import records

        return records.get_kv(self._ws, "run_properties", self._run_id)

    @property
    def properties(self) -> dict:
        return self.get_properties()

    def set_tags(self, tags: dict) -> None:
        from azureml_local.runs import records

        records.set_tags(self._ws, self._run_id, tags)

    def tag(self, key: str, value: Any = None) -> None:
        self.set_tags({key: value})

    # details / metrics
    def get_details(self) -> dict:
        from azureml_local.engine import log_paths

        row = self._row()
        details = {"runId": self._run_id, "target": row["target"], "status": row["status"],
                   "startTimeUtc": row["start_time_utc"], "services": {},
                   "properties": self.get_properties(), "inputDatasets": [], "outputDatasets": [],
                   "runDefinition": json.loads(row["definition"] or "{}"),
                   "logFiles": {name: path.as_uri() for name, path in log_paths(self._ws, self._run_id).items()
                                if path.exists()},
                   "submittedBy": row["submitted_by"]}
        if row["end_time_utc"]:
            details["endTimeUtc"] = row["end_time_utc"]
        if row["error"]:
            details["error"] = json.loads(row["error"])
        warnings = json.loads(row["warnings"] or "[]")
        if warnings:
            details["warnings"] = warnings
        return details

    def get_metrics(self, name: str | None = None, recursive: bool = False, run_type: str | None = None,
                    populate: bool = False) -> dict:
        rows = self._ws._store.query("SELECT name, value FROM run_metrics WHERE run_id = ? ORDER BY id",
                                     (self._run_id,))
        metrics: dict[str, Any] = {}
        for r in rows:
            if name is not None and r["name"] != name:
                continue
            value = json.loads(r["value"])
            if r["name"] in metrics:
                prev = metrics[r["name"]]
                metrics[r["name"]] = (prev if isinstance(prev, list) else [prev]) + [value]
            else:
                metrics[r["name"]] = value
        return metrics

    def get_children(self, recursive: bool = False, tags: Any = None, properties: Any = None, type: Any = None,
                     status: Any = None, _rehydrate_runs: bool = True) -> Iterator[Any]:
        from azureml_local.runs import records

        for row in reversed(records.list_runs(self._ws, parent_run_id=self._run_id, tags=tags,
                                              properties=properties, run_type=type, status=status)):
            yield MiniRun(self._experiment, row["run_id"])

    def __repr__(self) -> str:
        row = self._row()
        return "Run(Experiment: %s,\nId: %s,\nType: %s,\nStatus: %s)" % (
            self._experiment.name, self._run_id, row["run_type"], row["status"])
