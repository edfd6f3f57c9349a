"""The schedule store's contract: rows, status, claims that happen once, outcomes, history, baselines."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from azureml_local.store.db import Database
from azureml_local.store.schedules import ScheduleStore

T0 = "2026-03-02T18:00:00.000000Z"


@pytest.fixture
def backend(make_db):
    db = make_db()
    yield ScheduleStore(db)
    db.close()


def _row(schedule_id: str = "s1", **extra) -> dict:
    row = {"id": schedule_id, "name": "nightly", "description": None, "pipeline_id": "p1",
           "pipeline_endpoint_id": None, "experiment_name": "exp", "status": "Active", "schedule_type": "Recurrence",
           "recurrence": {"frequency": "Day", "interval": 1}, "continue_on_step_failure": None,
           "submission": {"parameter_assignments": {"rate": 0.5}}, "anchor_utc": T0, "fired_through_utc": T0,
           "created_utc": T0}
    row.update(extra)
    return row


def test_create_get_list_update(backend):
    assert backend.has_active() is False and backend.get("s1") is None
    created = backend.create(_row())
    assert created["recurrence"] == {"frequency": "Day", "interval": 1}
    assert created["submission"] == {"parameter_assignments": {"rate": 0.5}}
    assert created["continue_on_step_failure"] is None and created["updated_utc"] == T0
    backend.create(_row("s2", pipeline_id=None, pipeline_endpoint_id="e1", created_utc="2026-03-02T19:00:00.000000Z",
                        continue_on_step_failure=True))
    assert backend.has_active() is True
    assert [r["id"] for r in backend.list()] == ["s1", "s2"]
    assert [r["id"] for r in backend.list(pipeline_endpoint_id="e1")] == ["s2"]
    assert backend.get("s2")["continue_on_step_failure"] is True
    updated = backend.update("s1", {"status": "Disabled", "name": "renamed", "id": "ignored"})
    assert (updated["status"], updated["name"], updated["id"]) == ("Disabled", "renamed", "s1")
    assert [r["id"] for r in backend.list(active_only=True)] == ["s2"]
    assert [r["id"] for r in backend.list(active_only=False, pipeline_id="p1")] == ["s1"]
    backend.update("s2", {"status": "Disabled"})
    assert backend.has_active() is False


def test_time_claims_move_fired_through_by_compare_and_set(backend):
    backend.create(_row())
    due = ["2026-03-03T18:00:00.000000Z", "2026-03-04T18:00:00.000000Z"]
    claimed = backend.claim_time_fires("s1", T0, due[-1], due, ("2026-03-01T18:00:00.000000Z", "why"))
    assert [(f["fire_key"], f["state"], f["kind"]) for f in claimed] == [(d, "Claimed", "Time") for d in due]
    assert backend.get("s1")["fired_through_utc"] == due[-1]
    # a second scheduler that read the old fired_through claims nothing
    assert backend.claim_time_fires("s1", T0, due[-1], due, None) == []
    history = backend.history("s1")
    assert [(f["due_utc"], f["state"]) for f in history] == [(due[1], "Claimed"), (due[0], "Claimed"),
                                                             ("2026-03-01T18:00:00.000000Z", "Skipped")]
    assert history[-1]["error"] == "why"
    backend.update("s1", {"status": "Disabled"})
    assert backend.claim_time_fires("s1", due[-1], "2026-03-05T18:00:00.000000Z", [], None) == []  # not Active


def test_take_and_fail_happen_once(backend):
    backend.create(_row())
    first, second = backend.claim_time_fires("s1", T0, "b", ["a", "b"], None)
    assert [f["id"] for f in backend.claimed()] == [first["id"], second["id"]]
    assert backend.take(first["id"], "run-1") is True
    assert backend.take(first["id"], "run-2") is False and backend.fail(first["id"], "late") is False
    assert backend.fail(second["id"], "PipelineNotActive: disabled") is True
    assert backend.is_claimed(second["id"]) is False and backend.claimed() == []
    states = {f["fire_key"]: (f["state"], f["run_id"], f["error"]) for f in backend.history("s1")}
    assert states == {"a": ("Submitted", "run-1", None), "b": ("Failed", None, "PipelineNotActive: disabled")}
    assert backend.fire_counts() == {"s1": {"Submitted": 1, "Failed": 1}}


def test_take_rolls_back_with_the_surrounding_transaction(backend):
    backend.create(_row())
    [fire] = backend.claim_time_fires("s1", T0, "a", ["a"], None)
    with pytest.raises(RuntimeError):
        with backend.db.transaction():
            backend.take(fire["id"], "run-1")
            raise RuntimeError("the submit failed after the mark")
    assert backend.is_claimed(fire["id"]) is True  # the fire is not lost: the next pass submits it


def test_blob_claims_skip_the_baseline_and_fire_each_version_once(backend):
    backend.create(_row(schedule_type="DataStore", recurrence=None, datastore_name="workspaceblobstore",
                        polling_interval=5, next_poll_utc=T0), baseline=[("in/old.csv", '"e1"')])
    assert backend.baseline("s1") == {("in/old.csv", '"e1"')}
    blobs = [("in/old.csv", '"e1"'), ("in/new.csv", '"e2"')]
    claimed = backend.claim_blob_fires("s1", blobs, T0, "2026-03-02T18:05:00.000000Z")
    assert [(f["blob_name"], f["fire_key"]) for f in claimed] == [("in/new.csv", 'in/new.csv@"e2"')]
    assert backend.get("s1")["next_poll_utc"] == "2026-03-02T18:05:00.000000Z"
    assert backend.claim_blob_fires("s1", blobs, T0, "x") == []
    changed = backend.claim_blob_fires("s1", [("in/old.csv", '"e3"')], T0, "x")  # rewritten: a new etag fires
    assert [f["fire_key"] for f in changed] == ['in/old.csv@"e3"']
    backend.update("s1", {}, baseline=[("in/other.csv", '"e4"')])
    assert backend.baseline("s1") == {("in/other.csv", '"e4"')}


def test_concurrent_claims_of_one_instant_give_one_fire(backend, make_db):
    backend.create(_row())
    results = []

    def claim():
        store = ScheduleStore(make_db())  # another process's view, own connection
        results.append(store.claim_time_fires("s1", T0, "a", ["a"], None))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert len(backend.history("s1")) == 1
