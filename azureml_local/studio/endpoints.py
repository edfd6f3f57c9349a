"""Page data: published pipelines, pipeline endpoints (REST URL, copyable curl/requests), schedules.

The examples are meant to be pasted as they are: they carry the URL of this workspace's
service and a bearer token signed for it (valid ``EXAMPLE_TOKEN_TTL``), and the body names the
pipeline's parameters with their defaults.
"""
from __future__ import annotations

import json
import shlex
from typing import Any

from azureml_local.context import WorkspaceContext
from azureml_local.pipeline.scheduling.manage import get_schedule
from azureml_local.pipeline.scheduling.report import next_due, trigger_of
from azureml_local.service import urls
from azureml_local.studio.formatting import short_time
from azureml_local.tokens import issue_token

EXAMPLE_TOKEN_TTL = 24 * 3600
EXAMPLE_EXPERIMENT = "from-rest"


def _defaults(definition: dict) -> dict[str, Any]:
    return {name: spec.get("default") for name, spec in (definition.get("parameters") or {}).items()
            if isinstance(spec.get("default"), (str, int, float, bool))}


def examples(url: str, token: str, parameters: dict[str, Any]) -> dict[str, str]:
    """``{"curl", "requests"}``: a POST that starts the pipeline, ready to paste in a shell / Python."""
    body: dict[str, Any] = {"ExperimentName": EXAMPLE_EXPERIMENT}
    if parameters:
        body["ParameterAssignments"] = parameters
    payload = json.dumps(body)
    curl = (f"curl -sS -X POST {shlex.quote(url)} \\\n  -H {shlex.quote('Authorization: Bearer ' + token)} \\\n"
            f"  -H 'Content-Type: application/json' \\\n  -d {shlex.quote(payload)}")
    python = (f"import requests\n\nresponse = requests.post(\n    {url!r},\n"
              f"    headers={{'Authorization': 'Bearer {token}'}},\n    json={payload},\n)\n"
              "response.raise_for_status()\nprint(response.json()['Id'])")
    return {"curl": curl, "requests": python}


def _token(ctx: WorkspaceContext) -> str:
    return issue_token(ctx, "azureml-local-studio-example", EXAMPLE_TOKEN_TTL)


def published_page(ctx: WorkspaceContext) -> dict[str, Any]:
    """Published pipelines (any status) and pipeline endpoints, each with its REST URL and examples."""
    token = _token(ctx)
    pipelines = []
    for row in ctx.published.list_pipelines(active_only=False):
        url = urls.published_pipeline_url(ctx, row["id"])
        params = _defaults(row["definition"])
        pipelines.append({"id": row["id"], "name": row.get("name") or "", "description": row.get("description") or "",
                          "version": row.get("version") or "", "status": row["status"], "url": url,
                          "steps": row.get("total_run_steps"), "created": short_time(row.get("created_utc")),
                          "parameters": params, "runs": len(ctx.pipeline_runs.of_published_pipeline(row["id"])),
                          "examples": examples(url, token, params)})
    by_id = {p["id"]: p for p in pipelines}
    endpoints = []
    for row in ctx.published.list_endpoints(active_only=False, max_results=1000):
        url = urls.pipeline_endpoint_url(ctx, row["id"])
        default = next((v["pipeline_id"] for v in row["versions"] if v["version"] == row["default_version"]), None)
        params = (by_id.get(default) or {}).get("parameters") or {}
        endpoints.append({"id": row["id"], "name": row["name"], "description": row.get("description") or "",
                          "status": row["status"], "default_version": row["default_version"], "url": url,
                          "versions": row["versions"], "default_pipeline_id": default,
                          "examples": examples(url, token, params)})
    return {"pipelines": pipelines, "endpoints": endpoints}


def schedule_summaries(ctx: WorkspaceContext) -> list[dict[str, Any]]:
    """Every schedule with its trigger, next fire, fire counts and latest error (``schedules list --json``)."""
    counts = ctx.schedules.fire_counts()
    out = []
    for row in ctx.schedules.list(active_only=False):
        last_error = next((f["error"] for f in ctx.schedules.history(row["id"], 20) if f.get("error")), None)
        out.append({"id": row["id"], "name": row["name"], "status": row["status"],
                    "pipeline_id": row.get("pipeline_id"), "pipeline_endpoint_id": row.get("pipeline_endpoint_id"),
                    "experiment_name": row["experiment_name"], "trigger": trigger_of(row), "next": next_due(row),
                    "fires": counts.get(row["id"], {}), "last_error": last_error})
    return out


def schedule_history(ctx: WorkspaceContext, schedule_id: str, limit: int | None = 100) -> dict[str, Any]:
    """One schedule and its fires, newest first: due time, trigger, state, run id or error."""
    get_schedule(ctx, schedule_id)  # the service's 404 naming the id when there is none
    summary = next(s for s in schedule_summaries(ctx) if s["id"] == schedule_id)
    fires = [{"due": f["due_utc"], "kind": f["kind"], "blob": f.get("blob_name"), "state": f["state"],
              "run_id": f.get("run_id"), "error": f.get("error"), "finished": f.get("finished_utc")}
             for f in ctx.schedules.history(schedule_id, limit)]
    return {"schedule": summary, "fires": fires}
