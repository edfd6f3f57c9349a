"""A pipeline run's graph: steps and data edges laid out top-down, coloured by status, as inline SVG.

The layout is layered (a step sits one row below the deepest step it consumes from), which is
what the cloud Studio shows for SDK pipelines. Reused steps are marked and carry the reuse or
re-run reason recorded at submit (``pipeline_step_runs.reason``); each step links to its run page.
"""
from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote

from azureml_local.context import WorkspaceContext
from azureml_local.exceptions import UserErrorException
from azureml_local.store.run_queries import RunQueries
from azureml_local.studio.formatting import (STATUS_FILL, STATUS_STROKE, duration_seconds, duration_text,
                                             status_class)

NODE_W, NODE_H, H_GAP, V_GAP, MARGIN = 210, 58, 40, 56, 16


def _edges(definition: dict) -> list[tuple[str, str, str, bool]]:
    """``(producer, consumer, label, is_data)``: data edges from step outputs, plus run_after ordering."""
    edges = []
    for step in definition.get("steps") or []:
        for port in step.get("inputs") or []:
            if port.get("kind") == "step_output":
                edges.append((port["producer"], step["node_id"], str(port.get("output") or port.get("name")), True))
        for before in step.get("run_after") or []:
            edges.append((before, step["node_id"], "", False))
    return edges


def _layers(node_ids: list[str], edges: list[tuple[str, str, str, bool]]) -> dict[str, int]:
    parents: dict[str, set[str]] = {n: set() for n in node_ids}
    for src, dst, _, _ in edges:
        if src in parents and dst in parents:
            parents[dst].add(src)
    depth: dict[str, int] = {}

    def visit(node: str, trail: frozenset = frozenset()) -> int:
        if node not in depth:
            seen = trail | {node}
            depth[node] = 1 + max((visit(p, seen) for p in parents[node] if p not in seen), default=-1)
        return depth[node]

    for node in node_ids:
        visit(node)
    return depth


def pipeline_graph(ctx: WorkspaceContext, run_id: str) -> dict[str, Any]:
    """``{"steps": [...], "edges": [...], "svg": "<svg ...>"}`` of a pipeline run (UserErrorException if none)."""
    row = ctx.pipeline_runs.get(run_id)
    if row is None:
        raise UserErrorException(f"Run {run_id} is not a pipeline run.")
    definition = json.loads(row["definition"]) if isinstance(row["definition"], str) else row["definition"]
    step_rows = {s["node_id"]: s for s in ctx.pipeline_runs.steps(run_id)}
    children = {c["run_id"]: c for c in RunQueries(ctx.db).children(run_id)}
    steps = []
    for spec in definition.get("steps") or []:
        srow = step_rows.get(spec["node_id"]) or {}
        run = children.get(srow.get("step_run_id") or "") or {}
        status = run.get("status") or ("NotStarted" if not srow else ctx.runs.status(srow["step_run_id"]))
        steps.append({"node_id": spec["node_id"], "name": spec.get("name") or spec["node_id"],
                      "run_id": srow.get("step_run_id"), "status": status, "status_class": status_class(status),
                      "reused": bool(srow.get("reused_run_id")), "reused_run_id": srow.get("reused_run_id"),
                      "reason": srow.get("reason") or "",
                      "duration": duration_text(duration_seconds(run.get("start_time_utc"), run.get("end_time_utc")))})
    edges = _edges(definition)
    return {"steps": steps, "edges": [{"from": a, "to": b, "label": label, "data": data} for a, b, label, data in edges],
            "svg": render_svg(steps, edges)}


def render_svg(steps: list[dict], edges: list[tuple[str, str, str, bool]]) -> str:
    depth = _layers([s["node_id"] for s in steps], edges)
    rows: dict[int, list[dict]] = {}
    for step in steps:
        rows.setdefault(depth[step["node_id"]], []).append(step)
    widest = max((len(r) for r in rows.values()), default=1)
    width = 2 * MARGIN + widest * NODE_W + (widest - 1) * H_GAP
    height = 2 * MARGIN + len(rows) * NODE_H + max(0, len(rows) - 1) * V_GAP
    pos: dict[str, tuple[float, float]] = {}
    for level, members in rows.items():
        span = len(members) * NODE_W + (len(members) - 1) * H_GAP
        x0 = (width - span) / 2
        for i, step in enumerate(members):
            pos[step["node_id"]] = (x0 + i * (NODE_W + H_GAP), MARGIN + level * (NODE_H + V_GAP))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             'fill="#555"/></marker></defs>']
    for src, dst, label, data in edges:
        if src not in pos or dst not in pos:
            continue
        x1, y1 = pos[src][0] + NODE_W / 2, pos[src][1] + NODE_H
        x2, y2 = pos[dst][0] + NODE_W / 2, pos[dst][1]
        mid = (y1 + y2) / 2
        dash = "" if data else ' stroke-dasharray="5,4"'
        parts.append(f'<path class="edge" d="M{x1:.1f},{y1:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} '
                     f'{x2:.1f},{y2 - 2:.1f}" fill="none" stroke="#555" stroke-width="1.4"{dash} '
                     f'marker-end="url(#arrow)"/>')
        if label:
            parts.append(f'<text class="edge-label" x="{(x1 + x2) / 2 + 4:.1f}" y="{mid + 4:.1f}">'
                         f'{html.escape(label)}</text>')
    for step in steps:
        x, y = pos[step["node_id"]]
        cls = step["status_class"]
        name = step["name"] if len(step["name"]) <= 26 else step["name"][:25] + "…"
        line2 = step["status"] + (" · reused" if step["reused"] else "") + (f" · {step['duration']}"
                                                                           if step["duration"] else "")
        dashed = ' stroke-dasharray="6,3"' if step["reused"] else ""
        tip = f"{step['name']}: {step['status']}" + (f"\n{step['reason']}" if step["reason"] else "")
        node = (f'<g class="node node-{cls}{" reused" if step["reused"] else ""}" data-step="{html.escape(step["name"])}">'
                f'<title>{html.escape(tip)}</title>'
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H}" rx="8" fill="{STATUS_FILL[cls]}" '
                f'stroke="{STATUS_STROKE[cls]}" stroke-width="{2.5 if cls == "run" else 1.5}"'
                f'{dashed}/>'
                f'<text x="{x + 12:.1f}" y="{y + 23:.1f}" class="node-name">{html.escape(name)}</text>'
                f'<text x="{x + 12:.1f}" y="{y + 43:.1f}" class="node-status">{html.escape(line2)}</text></g>')
        if step["run_id"]:
            node = f'<a href="/studio/runs/{quote(step["run_id"], safe="")}">{node}</a>'
        parts.append(node)
    parts.append("</svg>")
    return "".join(parts)
