"""The pipeline store's contract (reuse entries, data sources), parametrised over ``backend``."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.store.db import Database
from azureml_local.store.pipelines import PipelineStore


@pytest.fixture
def backend(make_db):
    db = make_db()
    yield PipelineStore(db)
    db.close()


def _record(store: PipelineStore, key: str, step_run: str, outputs: dict | None = None) -> None:
    store.record_reuse(key, "fp-1", {"definition": "d1"}, "train", step_run, "prun-1", "node-1",
                       outputs or {"model": {"datastore": "workspaceblobstore", "path": "p"}})


def test_reuse_entry_find_record_forget(backend):
    assert backend.find_reuse("key-1") is None and backend.has_fingerprint("fp-1") is False
    _record(backend, "key-1", "step-1")
    entry = backend.find_reuse("key-1")
    assert entry["step_run_id"] == "step-1" and entry["fingerprint"] == "fp-1"
    assert entry["outputs"] == {"model": {"datastore": "workspaceblobstore", "path": "p"}}
    assert entry["key_parts"] == {"definition": "d1"}
    assert backend.has_fingerprint("fp-1") is True
    _record(backend, "key-1", "step-2", {"model": {"path": "q"}})  # the newer run replaces the entry
    assert backend.find_reuse("key-1")["step_run_id"] == "step-2"
    _record(backend, "key-2", "step-2")
    assert backend.forget_step_run("step-2") == 2
    assert backend.find_reuse("key-1") is None and backend.find_reuse("key-2") is None
    assert backend.has_fingerprint("fp-1") is False


def test_previous_key_parts_reads_the_latest_earlier_step_run(backend):
    assert backend.previous_key_parts("train", "prun-2") is None
    for step_run, prun, created, reused in (("s1", "prun-1", "2026-01-01", None), ("s2", "prun-2", "2026-01-02", "s1")):
        backend.db.execute("INSERT INTO pipeline_step_runs(step_run_id, pipeline_run_id, node_id, name, key_parts,"
                           " reused_run_id, created_utc) VALUES (?,?,?,?,?,?,?)",
                           (step_run, prun, "n", "train", '{"definition": "%s"}' % step_run, reused, created))
    assert backend.previous_key_parts("train", "prun-3") == ("s1", {"definition": "s2"})  # a reuse names its origin
    assert backend.previous_key_parts("train", "prun-2") == ("s1", {"definition": "s1"})


def test_datasource_first_id_stays(backend):
    assert backend.datasource_id("fp") is None
    backend.add_datasource("fp", "id-1", "raw")
    backend.add_datasource("fp", "id-2", "raw")
    assert backend.datasource_id("fp") == "id-1"
