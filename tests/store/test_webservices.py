"""WebserviceStore: the one row per deployed service (real SQLite)."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.store.db import IntegrityError
from azureml_local.store.webservices import WebserviceStore


@pytest.fixture
def store(make_db):
    db = make_db()
    yield WebserviceStore(db)
    db.close()


def _row(name="svc", generation=1, port=21000, **extra):
    return {"name": name, "compute_type": "ACI", "generation": generation, "port": port, "primary_key": "p",
            "secondary_key": "s", "config": {"auth_enabled": True}, "models": [{"name": "m", "version": 1}],
            "inference": {"entry_script": "score.py"}, "description": None, "tags": {}, "properties": {}, **extra}


def test_deploy_redeploy_keeps_port_and_creation(store):
    first = store.deploy(_row())
    assert first["state"] == "Transitioning" and first["config"] == {"auth_enabled": True}
    assert store.has_active() and store.next_generation("svc") == 2 and store.next_generation("other") == 1
    again = store.deploy(_row(generation=2, port=29999))
    assert again["port"] == 21000 and again["created_utc"] == first["created_utc"] and again["generation"] == 2
    assert store.used_ports() == {21000}


def test_only_the_current_generation_reports_state(store):
    store.deploy(_row())
    store.update("svc", {"generation": 2}, redeploy=True)
    assert not store.set_state("svc", 1, "Healthy")  # the replaced process
    assert store.get("svc")["state"] == "Transitioning"
    assert store.set_state("svc", 2, "Failed", {"code": "X", "message": "boom"})
    assert store.get("svc")["error"] == {"code": "X", "message": "boom"}
    assert not store.has_active()


def test_deleting_is_final_for_the_scoring_process(store):
    store.deploy(_row())
    store.mark_deleting("svc")
    assert not store.set_state("svc", 1, "Healthy")
    assert not store.has_active()
    store.delete("svc")
    assert store.get("svc") is None and store.list() == []


def test_ports_are_unique(store):
    store.deploy(_row())
    with pytest.raises(IntegrityError):  # the same exception on SQLite and PostgreSQL
        store.deploy(_row(name="other"))
    assert [r["name"] for r in store.list()] == ["svc"]
