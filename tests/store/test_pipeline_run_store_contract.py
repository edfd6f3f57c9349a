"""PipelineRunStore semantics every backend must keep: rows without status (runs against each ``backend``)."""
from __future__ import annotations

import pytest


def test_pipeline_run_rows(backend) -> None:
    store = backend.pipeline_runs
    store.create("p1", "exp", {"steps": []}, {"alpha": 1}, regenerate_outputs=True, continue_on_step_failure=True,
                 pipeline_id="pub", reuse_mode="content")
    store.create("p2", "exp", {"steps": []}, {}, pipeline_id="pub")
    store.create("p3", "exp", {"steps": []}, {})
    row = store.get("p1")
    assert row["experiment_name"] == "exp" and row["definition"] == '{"steps": []}'
    assert row["parameters"] == '{"alpha": 1}' and row["reuse_mode"] == "content"
    assert (row["regenerate_outputs"], row["continue_on_step_failure"]) == (1, 1)
    assert store.get("p2")["regenerate_outputs"] == 0 and store.get("missing") is None
    assert [r["run_id"] for r in store.of_published_pipeline("pub")] == ["p1", "p2"]
    assert store.of_published_pipeline("other") == []


def test_step_rows_hold_what_only_they_know(backend) -> None:
    store = backend.pipeline_runs
    store.create("p", "exp", {"steps": []}, {})
    store.insert_step("s1", "p", "n1", "prep", reason="first run", reuse_key="k", key_parts={"script": "abc"})
    store.insert_step("s2", "p", "n2", "train", reason="reused", reused_run_id="old", reused_node_id="n2",
                      reused_pipeline_run_id="p0", outputs={"out": {"datastore": "ds", "path": "x"}})
    store.update_step("s1", outputs={"model": {"datastore": "ds", "path": "m"}})
    steps = store.steps("p")
    assert [s["step_run_id"] for s in steps] == ["s1", "s2"]  # start order
    assert steps[0]["node_id"] == "n1" and steps[0]["reason"] == "first run" and steps[0]["reuse_key"] == "k"
    assert steps[0]["key_parts"] == '{"script": "abc"}'
    assert steps[0]["outputs"] == '{"model": {"datastore": "ds", "path": "m"}}'
    assert store.step("s2")["reused_run_id"] == "old" and store.step("missing") is None
    assert store.steps("other") == []


def test_step_rows_refuse_status(backend) -> None:
    store = backend.pipeline_runs
    store.create("p", "exp", {"steps": []}, {})
    with pytest.raises(ValueError, match="run history"):
        store.insert_step("s", "p", "n", "step", status="Running")
    store.insert_step("s", "p", "n", "step")
    with pytest.raises(ValueError, match="run history"):
        store.update_step("s", status="Completed")
