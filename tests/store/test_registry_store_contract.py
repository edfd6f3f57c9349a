"""The registry store's contract: what any RegistryStore (SQLite today, an HTTP client later) must do.

Every test takes the ``backend`` fixture; add a backend by adding a param.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.store import generations
from azureml_local.store.db import Database
from azureml_local.store.registries import RegistryStore
from azureml_local.store.registries.computes import ComputeTypeConflict
from azureml_local.store.registries.datasets import DatasetVersionConflict
from azureml_local.store.registries.datastores import CHECKED, CONFLICT, SAVED, UNCHANGED
from azureml_local.store.registries.environments import EnvironmentVersionConflict


@pytest.fixture
def backend(make_db):
    db = make_db()
    yield RegistryStore(db)
    db.close()


def generation(store: RegistryStore, area: str) -> int:
    return generations.current(store.db, area)


# -- datastores and the default datastore -------------------------------------------------------
def test_builtin_datastores_are_added_once(backend):
    backend.datastores.ensure_builtin("blob-c", "file-c")
    after_first = generation(backend, "datastores")
    backend.datastores.ensure_builtin("blob-c", "file-c")
    assert backend.datastores.names() == ["workspaceblobstore", "workspacefilestore"]
    assert backend.datastores.get("workspaceblobstore")["container_name"] == "blob-c"
    assert backend.datastores.get("workspacefilestore")["datastore_type"] == "AzureFile"
    assert after_first == 1 and generation(backend, "datastores") == 1  # nothing new, no bump


def test_datastore_register_conflict_and_overwrite(backend):
    ds = backend.datastores
    config = {"account_name": "acc", "account_key": "k"}
    assert ds.save("mystore", "AzureBlob", "first", "acc", config, overwrite=False) == SAVED
    assert generation(backend, "datastores") == 1
    assert ds.save("mystore", "AzureBlob", "first", "acc", dict(config), overwrite=False) == UNCHANGED
    assert ds.save("mystore", "AzureBlob", "second", "acc", config, overwrite=False) == CONFLICT
    assert ds.get("mystore")["container_name"] == "first"
    assert generation(backend, "datastores") == 1  # neither wrote
    assert ds.save("mystore", "AzureBlob", "second", "acc", config, overwrite=True) == SAVED
    row = ds.get("mystore")
    assert (row["container_name"], row["config"]) == ("second", config)
    assert generation(backend, "datastores") == 2
    assert ds.save("newstore", "AzureBlob", "c", "acc", config, overwrite=False, check_only=True) == CHECKED
    assert ds.get("newstore") is None
    assert ds.get("missing") is None


def test_default_datastore_and_delete(backend):
    ds = backend.datastores
    assert ds.default_name() == "workspaceblobstore"
    ds.save("mystore", "AzureBlob", "c", "acc", {}, overwrite=False)
    ds.set_default("mystore")
    assert ds.default_name() == "mystore"
    assert generation(backend, "settings") == 1
    assert ds.delete("mystore") is True
    assert ds.default_name() == "workspaceblobstore"  # deleting the default clears the setting
    assert ds.delete("mystore") is False
    assert [r["name"] for r in ds.list()] == []
    assert generation(backend, "datastores") == 2 and generation(backend, "settings") == 2


# -- datasets -------------------------------------------------------------------------------------
def _definition(path: str) -> dict:
    return {"kind": "file", "paths": [path]}


def test_dataset_versions_and_latest(backend):
    sets = backend.datasets
    assert sets.register("d", "id-1", _definition("a"), "first", {"k": "v"}, create_new_version=False) == 1
    assert sets.register("d", "id-1", _definition("a"), None, None, create_new_version=False) == 1
    assert generation(backend, "datasets") == 1  # same definition: same registration, no write
    with pytest.raises(DatasetVersionConflict):
        sets.register("d", "id-2", _definition("b"), None, None, create_new_version=False)
    assert sets.version("d")["version"] == 1
    assert sets.register("d", "id-2", _definition("b"), None, None, create_new_version=True) == 2
    latest = sets.version("d")
    assert (latest["version"], latest["saved_id"]) == (2, "id-2")
    first = sets.version("d", 1)
    assert (first["description"], first["tags"], first["definition"]) == ("first", '{"k": "v"}',
                                                                          '{"kind": "file", "paths": ["a"]}')
    assert sets.version("d", 3) is None and sets.version("other") is None
    assert sets.registration_of("id-1")["version"] == 1
    assert sets.definition("id-2") == '{"kind": "file", "paths": ["b"]}' and sets.definition("nope") is None
    assert [(r["name"], r["version"]) for r in sets.latest_versions()] == [("d", 2)]
    assert generation(backend, "datasets") == 2


def test_dataset_update_unregister_and_lineage(backend):
    sets = backend.datasets
    sets.save_definition("id-0", _definition("z"))
    assert sets.definition("id-0") is not None and sets.registration_of("id-0") is None
    sets.register("d", "id-1", _definition("a"), None, None, create_new_version=False)
    sets.update("d", 1, "new description", {"t": "1"})
    row = sets.version("d", 1)
    assert (row["description"], row["tags"]) == ("new description", '{"t": "1"}')
    sets.record_lineage(["id-1", "id-0"], "run", "run-1", "input")
    sets.record_lineage(["id-1"], "run", "run-1", "input")  # idempotent
    assert sorted(sets.lineage("run", "run-1")) == [("input", "id-0"), ("input", "id-1")]
    assert sets.lineage("model", "m:1") == []
    sets.unregister_all_versions("d")
    assert sets.version("d") is None and sets.latest_versions() == []
    assert generation(backend, "datasets") == 3


# -- environments ---------------------------------------------------------------------------------
def test_environment_versions(backend):
    envs = backend.environments
    assert envs.register("env", "h1", {"python": 1}) == 1
    assert envs.register("env", "h1", {"python": 1}) == 1
    assert generation(backend, "environments") == 1
    assert envs.register("env", "h2", {"python": 2}) == 2
    assert envs.register("env", "h3", {"python": 3}, version=5) == 5
    assert envs.register("env", "h3", {"python": 3}, version=5) == 5
    with pytest.raises(EnvironmentVersionConflict):
        envs.register("env", "other", {"python": 0}, version=1)
    assert envs.get("env")["version"] == 5
    assert envs.get("env", 2)["definition"] == '{"python": 2}'
    assert envs.get("env", 4) is None and envs.get("nope") is None
    assert [(r["name"], r["version"]) for r in envs.latest_versions()] == [("env", 5)]
    assert generation(backend, "environments") == 3


def test_environment_labels(backend):
    envs = backend.environments
    envs.register("env", "h1", {"v": 1})
    envs.register("env", "h2", {"v": 2})
    assert envs.set_labels("env", 1, ["stable", "old"]) is True
    assert envs.get("env", label="stable")["version"] == 1
    assert envs.set_labels("env", 2, ["stable"]) is True  # a label moves
    assert envs.get("env", label="stable")["version"] == 2
    assert envs.get("env", label="old")["version"] == 1
    assert envs.get("env", label="missing") is None
    assert envs.set_labels("env", 9, ["x"]) is False
    assert generation(backend, "environments") == 4


# -- compute targets ------------------------------------------------------------------------------
def _compute(name: str, kind: str, created: str, state: str = "Succeeded") -> dict:
    return {"name": name, "properties": {"computeType": kind, "provisioningState": state, "createdOn": created}}


def test_compute_records(backend):
    computes = backend.computes
    computes.put(_compute("cpu", "AmlCompute", "t1", "Creating"))
    computes.put(_compute("cpu", "AmlCompute", "t2"))
    stored = computes.get("cpu")
    assert stored["properties"]["provisioningState"] == "Succeeded"
    assert stored["properties"]["createdOn"] == "t1"  # the first creation time stays
    with pytest.raises(ComputeTypeConflict) as conflict:
        computes.put(_compute("cpu", "ComputeInstance", "t3"))
    assert conflict.value.args == ("cpu", "AmlCompute")
    computes.put(_compute("aks", "AKS", "t4"))
    assert [c["name"] for c in computes.list()] == ["aks", "cpu"]
    assert computes.delete("aks") is True and computes.delete("aks") is False
    assert computes.get("aks") is None
    assert generation(backend, "computes") == 4  # three puts and one delete; the refused put wrote nothing


# -- models ---------------------------------------------------------------------------------------
def test_model_versions(backend):
    models = backend.models
    version, stored = models.reserve_version("m", {"name": "m", "runId": "run-1"})
    assert (version, stored["id"], stored["version"]) == (1, "m:1", 1)
    assert models.get("m") is None and models.query() == []  # uploading: not listed yet
    models.mark_ready("m", 1)
    assert models.get("m")["id"] == "m:1"
    assert models.reserve_version("m", {"name": "m"})[0] == 2
    models.mark_ready("m", 2)
    assert models.get("m")["version"] == 2 and models.get("m", 1)["version"] == 1
    assert [d["version"] for d in models.query(name="m")] == [2, 1]
    assert [d["version"] for d in models.query(run_id="run-1")] == [1]
    assert [d["version"] for d in models.query(latest=True)] == [2]
    assert models.update("m", 1, {"tags": {"a": "b"}})["tags"] == {"a": "b"}
    assert models.get("m", 1)["tags"] == {"a": "b"}
    assert models.update("m", 9, {"tags": {}}) == {}
    models.delete("m", 2)
    assert models.get("m")["version"] == 1
    assert generation(backend, "models") == 6
