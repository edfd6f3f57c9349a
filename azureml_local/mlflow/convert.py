"""Run-history rows -> MLflow entities (one place for the mapping, docs/mlflow.md)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from mlflow.entities import (Experiment, ExperimentTag, LifecycleStage, Metric, Param, Run, RunData, RunInfo,
                             RunInputs, RunStatus, RunTag)
from mlflow.entities.logged_model import LoggedModel
from mlflow.entities.logged_model_output import LoggedModelOutput
from mlflow.entities.logged_model_status import LoggedModelStatus
from mlflow.entities.run_outputs import RunOutputs
from mlflow.store.entities.paged_list import PagedList
from mlflow.utils.search_utils import SearchUtils

from azureml_local.context import WorkspaceContext
from azureml_local.mlflow import uri as uris

# Azure ML run status -> MLflow run status (and back for the statuses MLflow sets).
TO_MLFLOW = {"Completed": "FINISHED", "Failed": "FAILED", "Canceled": "KILLED", "Running": "RUNNING",
             "Finalizing": "RUNNING", "CancelRequested": "RUNNING"}
FROM_MLFLOW = {"FINISHED": "Completed", "FAILED": "Failed", "KILLED": "Canceled", "RUNNING": "Running",
               "SCHEDULED": "NotStarted"}
RUN_NAME, PARENT, USER = "mlflow.runName", "mlflow.parentRunId", "mlflow.user"


def ms(utc: str | None) -> int | None:
    """Run-history ISO time -> epoch milliseconds."""
    if not utc:
        return None
    return int(datetime.fromisoformat(utc.replace("Z", "+00:00")).timestamp() * 1000)


def experiment(ctx: WorkspaceContext, row: dict) -> Experiment:
    tags = json.loads(row.get("tags") or "{}")
    created = ms(row["created_utc"])
    return Experiment(row["id"], row["name"], uris.tracking_uri(ctx.folder) + "/ExperimentRun",
                      LifecycleStage.DELETED if row.get("archived_time") else LifecycleStage.ACTIVE,
                      [ExperimentTag(k, v) for k, v in tags.items()], created, created)


def run_info(ctx: WorkspaceContext, row: dict) -> RunInfo:
    return RunInfo(run_id=row["run_id"], experiment_id=row["experiment_id"], user_id=row.get("submitted_by") or "",
                   status=TO_MLFLOW.get(row["status"], "SCHEDULED"),
                   start_time=ms(row.get("start_time_utc")) or ms(row["created_utc"]),
                   end_time=ms(row.get("end_time_utc")), lifecycle_stage=LifecycleStage.ACTIVE,
                   artifact_uri=uris.run_artifact_uri(ctx.folder, row["run_id"]),
                   run_name=row.get("display_name") or row["run_id"])


def metrics(run_id: str, entries: list[dict]) -> list[Metric]:
    """Numeric run-history metric entries as MLflow metrics (step, timestamp in ms)."""
    out = []
    for e in entries:
        value = e["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue  # run.log of a string: no MLflow equivalent
        out.append(Metric(e["name"], float(value), int(e["created"] * 1000), e["step"] or 0, run_id=run_id))
    return out


def latest(history: list[Metric]) -> list[Metric]:
    """MLflow's latest value per key: the highest step, then the newest timestamp."""
    best: dict[str, Metric] = {}
    for m in history:
        cur = best.get(m.key)
        if cur is None or (m.step, m.timestamp) >= (cur.step, cur.timestamp):
            best[m.key] = m
    return list(best.values())


def run(ctx: WorkspaceContext, row: dict) -> Run:
    run_id = row["run_id"]
    tags = dict(ctx.runs.tags(run_id))
    tags[RUN_NAME] = row.get("display_name") or run_id
    if row.get("parent_run_id"):
        tags[PARENT] = row["parent_run_id"]
    tags.setdefault(USER, row.get("submitted_by") or "")
    data = RunData(metrics=latest(metrics(run_id, ctx.runs.metric_entries(run_id, kind="scalar"))),
                   params=[Param(k, v) for k, v in ctx.mlflow.params(run_id).items()],
                   tags=[RunTag(k, "" if v is None else v) for k, v in tags.items()])
    outputs = RunOutputs(model_outputs=[LoggedModelOutput(m["model_id"], 0)
                                        for m in ctx.mlflow.logged_models(run_id=run_id)])
    return Run(run_info(ctx, row), data, RunInputs(dataset_inputs=[]), outputs)


def logged_model(row: dict) -> LoggedModel:
    return LoggedModel(experiment_id=row["experiment_id"], model_id=row["model_id"], name=row["name"],
                       artifact_location=row["artifact_location"], creation_timestamp=row["created_ms"],
                       last_updated_timestamp=row["updated_ms"], model_type=row["model_type"],
                       source_run_id=row["run_id"], status=LoggedModelStatus(row["status"]),
                       tags=row["tags"], params=row["params"])


def is_terminal(mlflow_status: str) -> bool:
    return RunStatus.is_terminated(RunStatus.from_string(mlflow_status))


def kv(items: Any) -> dict:
    """MLflow tag/param entities (or a dict) as ``{key: str value}``."""
    if not items:
        return {}
    if isinstance(items, dict):
        return {str(k): str(v) for k, v in items.items()}
    return {i.key: i.value for i in items}


def page(items: list, page_token: str | None, max_results: int | None) -> PagedList:
    """One page of ``items`` with MLflow's offset page token."""
    start = SearchUtils.parse_start_offset_from_page_token(page_token)
    end = start + max_results if max_results else len(items)
    token = SearchUtils.create_page_token(end) if end < len(items) else None
    return PagedList(items[start:end], token)
