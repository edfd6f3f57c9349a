"""Page data of the Studio, built from real stores (SQLite run history, pipeline rows, blobs)."""
from __future__ import annotations

import json

import pytest

from azureml_local.exceptions import UserErrorException
from azureml_local.store.run_queries import RunQueries
from azureml_local.studio import endpoints, experiments, graph, run_view
from azureml_local.studio.errors import NotFound
from azureml_local.studio.experiments import RunFilter


def _runs(ctx, experiment: str, n: int, **kw) -> list[str]:
    ids = []
    for i in range(n):
        run_id = ctx.runs.create_run(experiment, f"{experiment}_{i:04d}", **kw)
        ctx.runs.set_tags(run_id, {"fold": str(i % 3)})
        ids.append(run_id)
    return ids


def test_experiment_page_pages_sorts_and_filters_in_sql(ws) -> None:
    ctx = ws._context
    ids = _runs(ctx, "many", 120)
    for run_id in ids[:7]:
        ctx.runs.set_status(run_id, "Failed")
    first = experiments.experiment_page(ctx, "many", RunFilter(page_size=50))
    assert (first["total"], first["pages"], len(first["runs"])) == (120, 3, 50)
    assert first["runs"][0]["run_id"] == ids[-1]  # newest first
    last = experiments.experiment_page(ctx, "many", RunFilter(page=3, page_size=50))
    assert len(last["runs"]) == 20 and last["runs"][-1]["run_id"] == ids[0]
    failed = experiments.list_runs(ctx, RunFilter(status="Failed"), "many")
    assert failed["total"] == 7 and all(r["status"] == "Failed" for r in failed["runs"])
    tagged = experiments.list_runs(ctx, RunFilter(tag="fold=1"), "many")
    assert tagged["total"] == 40 and all(r["tags"]["fold"] == "1" for r in tagged["runs"])
    found = experiments.list_runs(ctx, RunFilter(search="many_0042"), "many")
    assert [r["run_id"] for r in found["runs"]] == ["many_0042"]
    by_number = experiments.list_runs(ctx, RunFilter(sort="number", descending=False, page_size=3), "many")
    assert [r["number"] for r in by_number["runs"]] == [1, 2, 3]
    by_status = experiments.list_runs(ctx, RunFilter(sort="status", page_size=120), "many")
    assert by_status["runs"][-1]["status"] == "Failed"  # NotStarted > Failed, descending


def test_child_runs_stay_off_the_experiment_page_but_show_on_their_parent(ws) -> None:
    ctx = ws._context
    parent = ctx.runs.create_run("fam", "parent-run")
    ctx.runs.create_run("fam", "child-run", parent_run_id=parent, run_type="azureml.StepRun")
    listing = experiments.list_runs(ctx, RunFilter(), "fam")
    assert [r["run_id"] for r in listing["runs"]] == ["parent-run"]
    assert experiments.list_runs(ctx, RunFilter(), "fam", top_level=False)["total"] == 2
    page = run_view.run_page(ctx, "parent-run")
    assert [c["run_id"] for c in page["children"]] == ["child-run"]


def test_bad_filters_and_unknown_experiments_say_what_exists(ws) -> None:
    ctx = ws._context
    _runs(ctx, "known", 1)
    with pytest.raises(UserErrorException, match="use one of submitted"):
        experiments.list_runs(ctx, RunFilter(sort="; DROP TABLE runs"), "known")
    with pytest.raises(UserErrorException, match="Unknown run status"):
        experiments.list_runs(ctx, RunFilter(status="Done"), "known")
    with pytest.raises(NotFound, match="experiments: known"):
        experiments.experiment_page(ctx, "nope", RunFilter())


def test_workspace_page_lists_experiments_with_counts_and_latest_status(ws) -> None:
    ctx = ws._context
    ids = _runs(ctx, "alpha", 3)
    ctx.runs.set_status(ids[-1], "Completed")
    page = experiments.workspace_page(ctx)
    alpha = next(e for e in page["experiments"] if e["name"] == "alpha")
    assert (alpha["runs"], alpha["last_status"], alpha["last_status_class"]) == (3, "Completed", "ok")


def test_run_page_groups_metrics_into_values_charts_tables_and_images(ws) -> None:
    ctx = ws._context
    run_id = ctx.runs.create_run("metrics", "m-run", status="Running", start=True)
    for i in range(5):
        ctx.runs.log_metric(run_id, "loss", "scalar", json.dumps(1 / (i + 1)))
    ctx.runs.log_metric(run_id, "accuracy", "scalar", "0.9")
    ctx.runs.log_metric(run_id, "lr", "list", json.dumps([0.1, 0.01]))
    for epoch in range(3):
        ctx.runs.log_metric(run_id, "epochs", "row", json.dumps({"epoch": epoch, "acc": 0.5 + epoch / 10}))
    ctx.runs.log_metric(run_id, "plot", "image", json.dumps(f"aml://artifactId/ExperimentRun/dcid.{run_id}/plot.png"))
    ctx.runs.log_metric(run_id, "cm", "confusion_matrix", json.dumps({"data": [[1, 0], [0, 1]]}))
    page = run_view.run_page(ctx, run_id)
    m = page["metrics"]
    assert m["scalars"] == [{"name": "accuracy", "value": 0.9}]
    charts = {c["name"]: c["svg"] for c in m["charts"]}
    assert set(charts) == {"loss", "lr", "epochs"}
    assert charts["loss"].startswith("<svg") and "<polyline" in charts["loss"]
    assert charts["epochs"].count("<polyline") == 2  # one line per numeric column
    assert m["images"] == [{"name": "plot", "path": "plot.png", "url": f"/studio/runs/{run_id}/files/plot.png"}]
    assert m["other"][0]["name"] == "cm"
    epochs = next(t for t in m["tables"] if t["name"] == "epochs")
    assert epochs["columns"] == ["epoch", "acc"] and epochs["rows"][2] == [2, 0.7]
    assert page["active"] is True


def test_run_page_shows_the_error_with_its_traceback(ws) -> None:
    ctx = ws._context
    run_id = ctx.runs.create_run("errors", "bad-run")
    message = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: boom'
    ctx.runs.set_status(run_id, "Failed", error={"error": {"code": "UserError", "message": message}})
    page = run_view.run_page(ctx, run_id)
    assert page["error"]["message"] == message and page["status_class"] == "bad" and page["active"] is False


def test_pipeline_graph_has_data_edges_status_colours_and_reuse_reasons(ws) -> None:
    ctx = ws._context
    definition = {"steps": [
        {"node_id": "a", "name": "prep", "inputs": [], "outputs": [{"name": "out"}]},
        {"node_id": "b", "name": "train", "inputs": [{"kind": "step_output", "producer": "a", "output": "out",
                                                      "name": "out"}]},
        {"node_id": "c", "name": "report", "inputs": [], "run_after": ["b"]}]}
    ctx.runs.create_run("pipe", "p-run", run_type="azureml.PipelineRun", status="Running", start=True)
    ctx.pipeline_runs.create("p-run", "pipe", definition, {})
    ctx.runs.create_run("pipe", "s-a", parent_run_id="p-run", run_type="azureml.StepRun", status="Completed")
    ctx.pipeline_runs.insert_step("s-a", "p-run", "a", "prep", reused_run_id="old-a",
                                  reason="Reused: same script, arguments and inputs as run old-a")
    ctx.runs.create_run("pipe", "s-b", parent_run_id="p-run", run_type="azureml.StepRun", status="Failed")
    ctx.pipeline_runs.insert_step("s-b", "p-run", "b", "train", reason="Re-run: script changed")
    shown = graph.pipeline_graph(ctx, "p-run")
    steps = {s["name"]: s for s in shown["steps"]}
    assert steps["prep"]["reused"] and "Reused" in steps["prep"]["reason"]
    assert (steps["train"]["status_class"], steps["report"]["status"], steps["report"]["run_id"]) == \
        ("bad", "NotStarted", None)
    assert {(e["from"], e["to"], e["data"]) for e in shown["edges"]} == {("a", "b", True), ("b", "c", False)}
    svg = shown["svg"]
    assert 'href="/studio/runs/s-a"' in svg and 'href="/studio/runs/s-b"' in svg
    assert "#fadadd" in svg and "stroke-dasharray=\"6,3\"" in svg and "Re-run: script changed" in svg
    assert ">out</text>" in svg  # the data edge is labelled with the output
    with pytest.raises(UserErrorException, match="not a pipeline run"):
        graph.pipeline_graph(ctx, "s-a")


def test_examples_carry_the_url_a_valid_token_and_the_parameter_defaults() -> None:
    shown = endpoints.examples("http://127.0.0.1:1/x", "tok.en.sig", {"rate": 0.5})
    assert shown["curl"].startswith("curl -sS -X POST http://127.0.0.1:1/x")
    assert "'Authorization: Bearer tok.en.sig'" in shown["curl"]
    assert '"ParameterAssignments": {"rate": 0.5}' in shown["curl"]
    assert "requests.post(" in shown["requests"] and "'Bearer tok.en.sig'" in shown["requests"]
    compile(shown["requests"], "example", "exec")


def test_run_queries_tags_of_a_page_in_one_query(ws) -> None:
    ctx = ws._context
    ids = _runs(ctx, "tags", 4)
    assert RunQueries(ctx.db).tags_of(ids[:2]) == {ids[0]: {"fold": "0"}, ids[1]: {"fold": "1"}}
    assert RunQueries(ctx.db).tags_of([]) == {}
