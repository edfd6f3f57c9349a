"""Every Studio template renders the page data of a real workspace, escaping user text."""
from __future__ import annotations

import json

from azureml_local.studio import assets, endpoints, experiments, graph, render, run_view
from azureml_local.studio.experiments import RunFilter


def test_every_page_renders_and_escapes_user_text(ws) -> None:
    ctx = ws._context
    evil = "<script>alert('x')</script>"
    run_id = ctx.runs.create_run("render", "r-1", status="Failed", tags={"note": evil}, display_name=evil)
    ctx.runs.log_metric(run_id, "loss", "scalar", json.dumps(0.5))
    ctx.runs.log_metric(run_id, "loss", "scalar", json.dumps(0.25))
    ctx.pipeline_runs.create(run_id, "render", {"steps": [{"node_id": "a", "name": evil, "inputs": []}]}, {})
    pages = {
        "workspace.html": experiments.workspace_page(ctx),
        "experiment.html": experiments.experiment_page(ctx, "render", RunFilter()),
        "run.html": {**run_view.run_page(ctx, run_id), "graph": graph.pipeline_graph(ctx, run_id)},
        "published.html": endpoints.published_page(ctx),
        "schedules.html": {"schedules": endpoints.schedule_summaries(ctx)},
        "datastores.html": assets.datastores_page(ctx),
        "datasets.html": assets.datasets_page(ctx),
        "error.html": {"status": 404, "message": evil},
    }
    pages.update({f"listing.html#{kind}": assets.listing(ctx, kind) for kind in assets.LISTINGS})
    for template, data in pages.items():
        html = render.page(template.split("#")[0], ctx.workspace_name, **data)
        assert html.startswith("<!doctype html>") and "</html>" in html, template
        assert evil not in html, template
        assert "https://" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), \
            template  # nothing from a CDN
    run_html = render.page("run.html", ctx.workspace_name, **pages["run.html"])
    assert "&lt;script&gt;" in run_html and "<svg" in run_html and 'id="graph"' in run_html


def test_static_files_are_shipped_and_only_those() -> None:
    css, kind = render.static_file("studio.css")
    assert kind.startswith("text/css") and b"@import" not in css and b"url(" not in css
    js, kind = render.static_file("studio.js")
    assert kind.startswith("text/javascript") and b"http" not in js
    for name in ("../render.py", "..", ".hidden", "sub/x.css", "missing.css"):
        assert render.static_file(name) is None
