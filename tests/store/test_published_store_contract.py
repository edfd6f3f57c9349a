"""PublishedStore contract: what every backend of ``ctx.published`` must do (rows as plain dicts)."""
from __future__ import annotations

import threading

import pytest

from azureml_local.store.published import EndpointNameTaken, PipelineAlreadyInEndpoint

DEFINITION = {"version": 1, "parameters": {}, "steps": [{"node_id": "a"}, {"node_id": "b"}]}


def test_published_pipeline_rows(backend):
    store = backend.published
    assert store.has_active() is False and store.get_pipeline("missing") is None
    row = store.create_pipeline(DEFINITION, "p", "desc", "1.0", None)
    assert (row["name"], row["description"], row["version"], row["status"]) == ("p", "desc", "1.0", "Active")
    assert row["definition"] == DEFINITION and row["total_run_steps"] == 2
    assert row["continue_on_step_failure"] is None and row["graph_id"] and row["id"] != row["graph_id"]
    other = store.create_pipeline(DEFINITION, "q", None, None, True, source_run_id="run-1")
    assert other["continue_on_step_failure"] is True and other["source_run_id"] == "run-1"
    assert store.has_active() is True
    assert store.set_pipeline_status(row["id"], "Disabled") is True
    assert store.set_pipeline_status("missing", "Disabled") is False
    with pytest.raises(ValueError, match="status must be one of"):
        store.set_pipeline_status(row["id"], "Paused")
    assert [p["id"] for p in store.list_pipelines()] == [other["id"]]
    assert [p["id"] for p in store.list_pipelines(active_only=False)] == [row["id"], other["id"]]
    store.set_pipeline_status(other["id"], "Deprecated")
    assert store.has_active() is False


def test_endpoints_and_versions(backend):
    store = backend.published
    p0, p1, p2 = (store.create_pipeline(DEFINITION, f"p{i}", None, None, None)["id"] for i in range(3))
    endpoint = store.create_endpoint("ep", "d", p0)
    assert (endpoint["name"], endpoint["status"], endpoint["default_version"]) == ("ep", "Active", "0")
    assert endpoint["versions"] == [{"version": "0", "pipeline_id": p0}]
    with pytest.raises(EndpointNameTaken):
        store.create_endpoint("ep", None, p1)
    assert store.add_endpoint_version(endpoint["id"], p1)["default_version"] == "0"
    row = store.add_endpoint_version(endpoint["id"], p2, make_default=True)
    assert row["default_version"] == "2" and [v["version"] for v in row["versions"]] == ["0", "1", "2"]
    with pytest.raises(PipelineAlreadyInEndpoint):
        store.add_endpoint_version(endpoint["id"], p1)
    assert store.add_endpoint_version("missing", p1) is None
    assert store.get_endpoint_by_name("ep")["id"] == endpoint["id"]
    assert store.update_endpoint(endpoint["id"], default_version="1")["default_version"] == "1"
    with pytest.raises(ValueError, match="version 9 does not exist"):
        store.update_endpoint(endpoint["id"], default_version="9")
    assert store.update_endpoint("missing", name="x") is None
    second = store.create_endpoint("two", None, p0)
    with pytest.raises(EndpointNameTaken):
        store.update_endpoint(second["id"], name="ep")
    store.update_endpoint(endpoint["id"], name="renamed", status="Disabled", description="new")
    assert store.get_endpoint_by_name("ep") is None
    assert [e["id"] for e in store.list_endpoints()] == [second["id"]]
    assert [e["id"] for e in store.list_endpoints(active_only=False, max_results=1)] == [endpoint["id"]]
    store.set_pipeline_status(p1, "Disabled")
    assert [p["id"] for p in store.endpoint_pipelines(endpoint["id"])] == [p0, p2]
    assert [p["id"] for p in store.endpoint_pipelines(endpoint["id"], active_only=False)] == [p0, p1, p2]


def test_concurrent_adds_get_distinct_versions(backend):
    store = backend.published
    endpoint = store.create_endpoint("ep", None, store.create_pipeline(DEFINITION, "p", None, None, None)["id"])
    ids = [store.create_pipeline(DEFINITION, f"p{i}", None, None, None)["id"] for i in range(8)]
    threads = [threading.Thread(target=store.add_endpoint_version, args=(endpoint["id"], pid)) for pid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = [v["version"] for v in store.get_endpoint(endpoint["id"])["versions"]]
    assert versions == [str(i) for i in range(9)]


def test_drafts(backend):
    store = backend.published
    draft = store.create_draft(DEFINITION, name="d", experiment_name="e", tags={"dev": "true"}, parameters={"n": 1})
    assert (draft["name"], draft["tags"], draft["parameters"], draft["properties"]) == ("d", {"dev": "true"},
                                                                                       {"n": 1}, {})
    assert draft["parent_step_run_ids"] == [] and draft["continue_on_step_failure"] is None
    other = store.create_draft(DEFINITION, name="o")
    assert [d["id"] for d in store.list_drafts({"dev": "true"})] == [draft["id"]]
    assert [d["id"] for d in store.list_drafts()] == [draft["id"], other["id"]]
    updated = store.update_draft(draft["id"], name="new", continue_on_step_failure=True, description=None)
    assert (updated["name"], updated["experiment_name"], updated["continue_on_step_failure"]) == ("new", "e", True)
    with pytest.raises(ValueError, match="no field"):
        store.update_draft(draft["id"], bogus=1)
    assert store.delete_draft(draft["id"]) is True and store.delete_draft(draft["id"]) is False
    assert store.get_draft(draft["id"]) is None and store.update_draft(draft["id"], name="x") is None
