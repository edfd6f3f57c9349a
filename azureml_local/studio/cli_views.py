"""What the ``azureml-local`` listings print: the Studio's page data as JSON-able dicts and text tables.

The CLI commands (``azureml_local/cli_commands``) only parse arguments and call these, so a run
looks the same in the browser, in ``runs show`` and in ``runs list --json``.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from azureml_local.context import WorkspaceContext
from azureml_local.service import urls
from azureml_local.studio import endpoints, experiments, files, run_view
from azureml_local.studio.experiments import RunFilter

RUN_COLUMNS = (("run_id", "RUN ID"), ("experiment", "EXPERIMENT"), ("status", "STATUS"), ("run_type", "TYPE"),
               ("submitted_text", "SUBMITTED"), ("duration", "DURATION"))


def table(rows: Sequence[dict], columns: Iterable[tuple[str, str]]) -> str:
    """A plain text table with a header row, columns as wide as their widest cell."""
    columns = list(columns)
    cells = [[str(r.get(key) if r.get(key) is not None else "") for key, _ in columns] for r in rows]
    widths = [max([len(head)] + [len(c[i]) for c in cells]) for i, (_, head) in enumerate(columns)]
    lines = ["  ".join(head.ljust(widths[i]) for i, (_, head) in enumerate(columns)).rstrip()]
    lines += ["  ".join(c[i].ljust(widths[i]) for i in range(len(columns))).rstrip() for c in cells]
    return "\n".join(lines)


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, default=str)


def runs_list(ctx: WorkspaceContext, flt: RunFilter, experiment: str | None, include_children: bool) -> dict:
    return experiments.list_runs(ctx, flt, experiment=experiment, top_level=not include_children)


def runs_list_text(listing: dict) -> str:
    if not listing["runs"]:
        return "No runs match."
    footer = f"\n{len(listing['runs'])} of {listing['total']} run(s), page {listing['page']} of {listing['pages']}"
    return table(listing["runs"], RUN_COLUMNS) + footer


def run_show(ctx: WorkspaceContext, run_id: str) -> dict[str, Any]:
    """A run as ``runs show --json`` gives it: details, properties, tags, metrics, files, children, error."""
    page = run_view.run_page(ctx, run_id)
    metrics: dict[str, list] = {}
    for name, _, value in ctx.runs.metrics(run_id):
        metrics.setdefault(name, []).append(value)
    return {**page["run"], "created": page["created"], "started": page["started"], "ended": page["ended"],
            "description": page["description"], "properties": page["properties"], "error": page["error"],
            "warnings": page["warnings"], "metrics": {k: v[0] if len(v) == 1 else v for k, v in metrics.items()},
            "files": [f["path"] for f in page["files"]["outputs"] + page["files"]["logs"]],
            "children": [{k: c[k] for k in ("run_id", "display_name", "status", "run_type", "duration")}
                         for c in page["children"]],
            "step": page["step"], "studio_url": urls.run_studio_url(ctx, run_id)}


def run_show_text(shown: dict[str, Any]) -> str:
    lines = [f"Run {shown['run_id']}  [{shown['status']}]",
             f"  experiment: {shown['experiment']}   type: {shown['run_type']}   target: {shown['target']}",
             f"  submitted: {shown['created']}   started: {shown['started']}   ended: {shown['ended']}"
             f"   duration: {shown['duration']}"]
    if shown["step"] and (shown["step"]["reused_run_id"] or shown["step"]["reason"]):
        lines.append(f"  reuse: {shown['step']['reason'] or 'reused ' + shown['step']['reused_run_id']}")
    for title, values in (("tags", shown["tags"]), ("properties", shown["properties"])):
        if values:
            lines.append(f"  {title}: " + ", ".join(f"{k}={v}" for k, v in values.items()))
    if shown["error"]:
        lines += ["", f"Error ({shown['error']['code']}):", shown["error"]["message"]]
    if shown["metrics"]:
        lines += ["", "Metrics:"] + [f"  {k}: {json.dumps(v, default=str)[:200]}" for k, v in shown["metrics"].items()]
    if shown["children"]:
        lines += ["", "Child runs:", table(shown["children"], (("run_id", "  RUN ID"), ("display_name", "NAME"),
                                                              ("status", "STATUS"), ("duration", "DURATION")))]
    if shown["files"]:
        lines += ["", "Files:"] + [f"  {f}" for f in shown["files"]]
    lines += ["", f"Studio: {shown['studio_url']}"]
    return "\n".join(lines)


def run_log(ctx: WorkspaceContext, run_id: str, name: str | None = None) -> tuple[str | None, str]:
    """``(log name, text)`` of a run's log (default: the one the run page follows)."""
    chosen = name or files.default_log(files.run_files(ctx, run_id))
    if chosen is None:
        return None, ""
    return chosen, files.read_run_file(ctx, run_id, chosen).decode(errors="replace")


def pipelines_list(ctx: WorkspaceContext) -> list[dict[str, Any]]:
    return [{k: p[k] for k in ("id", "name", "version", "status", "steps", "runs", "parameters", "url")}
            for p in endpoints.published_page(ctx)["pipelines"]]


def endpoints_list(ctx: WorkspaceContext) -> list[dict[str, Any]]:
    return [{k: e[k] for k in ("id", "name", "status", "default_version", "default_pipeline_id", "versions", "url")}
            for e in endpoints.published_page(ctx)["endpoints"]]
