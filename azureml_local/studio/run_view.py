"""Page data: one run (details, properties, tags, metrics as charts/tables/images, files, children)."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from azureml_local.context import WorkspaceContext
from azureml_local.store.run_queries import RunQueries
from azureml_local.studio import files
from azureml_local.studio.charts import is_chartable, line_chart
from azureml_local.studio.formatting import (duration_seconds, duration_text, is_active, run_summary, short_time,
                                             status_class)

IMAGE_PREFIX = "aml://artifactId/"


def _error_text(error: Any) -> dict | None:
    """``{"code", "message", "details"}`` of a run's error (message keeps its traceback lines)."""
    if not error:
        return None
    inner = error.get("error") or {}
    extra = {k: v for k, v in inner.items() if k not in ("code", "message")}
    return {"code": inner.get("code", ""), "message": inner.get("message", ""),
            "details": json.dumps(extra, indent=2, default=str) if extra else ""}


def _image_path(run_id: str, value: Any) -> str | None:
    """The artifact path inside an image metric's ``aml://artifactId/ExperimentRun/dcid.<run>/<path>``."""
    if not isinstance(value, str) or not value.startswith(IMAGE_PREFIX):
        return None
    rest = value[len(IMAGE_PREFIX):]
    marker = f"dcid.{run_id}/"
    return rest.split(marker, 1)[1] if marker in rest else rest.split("/", 2)[-1]


def metrics_view(run_id: str, entries: list[tuple[str, str, Any]]) -> dict[str, list]:
    """Group raw metric rows: ``scalars`` (one value), ``charts`` (SVG), ``tables``, ``images``, ``other``."""
    grouped: dict[str, list[tuple[str, Any]]] = {}
    for name, kind, value in entries:
        grouped.setdefault(name, []).append((kind, value))
    view: dict[str, list] = {"scalars": [], "charts": [], "tables": [], "images": [], "other": []}
    for name, items in grouped.items():
        kind, values = items[-1][0], [v for _, v in items]
        if kind == "scalar" and len(values) == 1:
            view["scalars"].append({"name": name, "value": values[0]})
        elif kind in ("scalar", "list"):
            series = values if kind == "scalar" else [x for v in values for x in (v if isinstance(v, list) else [v])]
            if is_chartable(series):
                view["charts"].append({"name": name, "svg": line_chart({name: series}, name)})
            view["tables"].append({"name": name, "columns": ["index", name],
                                   "rows": [[i, v] for i, v in enumerate(series)]})
        elif kind in ("row", "table"):
            columns: dict[str, list] = {}
            for v in values:
                for col, cell in (v or {}).items():
                    columns.setdefault(col, []).extend(cell if kind == "table" and isinstance(cell, list) else [cell])
            numeric = {c: vs for c, vs in columns.items() if is_chartable(vs)}
            if numeric and (len(values) > 1 or kind == "table"):
                view["charts"].append({"name": name, "svg": line_chart(numeric, name)})
            length = max((len(v) for v in columns.values()), default=0)
            view["tables"].append({"name": name, "columns": list(columns),
                                   "rows": [[vs[i] if i < len(vs) else "" for vs in columns.values()]
                                            for i in range(length)]})
        elif kind == "image":
            for value in values:
                path = _image_path(run_id, value)
                if path:
                    view["images"].append({"name": name, "path": path,
                                           "url": f"/studio/runs/{quote(run_id, safe='')}/files/{quote(path)}"})
        else:
            view["other"].append({"name": name, "kind": kind,
                                  "json": json.dumps(values[-1], indent=2, default=str)[:20000]})
    return view


def run_page(ctx: WorkspaceContext, run_id: str) -> dict[str, Any]:
    """Everything the run page shows (ServiceException 404 for an unknown run)."""
    row = ctx.runs.run(run_id)
    summary = run_summary(row, ctx.runs.tags(run_id))
    run_files = files.run_files(ctx, run_id)
    children = [run_summary(c) for c in RunQueries(ctx.db).children(run_id)]
    parent = ctx.runs.run(row["parent_run_id"]) if row.get("parent_run_id") else None
    is_pipeline = ctx.pipeline_runs.get(run_id) is not None
    step_row = ctx.pipeline_runs.step(run_id)
    return {
        "run": summary, "row": row, "properties": ctx.runs.properties(run_id),
        "description": row.get("description") or "", "error": _error_text(ctx.runs.error(run_id)),
        "warnings": [w.get("message") for w in json.loads(row.get("warnings") or "[]") if isinstance(w, dict)],
        "created": short_time(row.get("created_utc")), "started": short_time(row.get("start_time_utc")),
        "ended": short_time(row.get("end_time_utc")),
        "duration": duration_text(duration_seconds(row.get("start_time_utc"), row.get("end_time_utc"))),
        "active": is_active(row.get("status")), "status_class": status_class(row.get("status")),
        "metrics": metrics_view(run_id, ctx.runs.metrics(run_id)), "files": run_files,
        "log": files.default_log(run_files), "children": children,
        "parent": run_summary(parent) if parent else None, "is_pipeline": is_pipeline,
        "step": {"reused_run_id": step_row.get("reused_run_id"), "reason": step_row.get("reason") or ""}
        if step_row else None,
        "snapshot": files.snapshot_files(ctx, run_id),
    }
