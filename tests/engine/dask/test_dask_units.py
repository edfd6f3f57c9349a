"""Dask-backed targets: address resolution, what is shipped to a worker, path rewriting, the journal."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from azureml_local.engine import dask_clusters, dask_task
from azureml_local.engine.dask_launcher import ship_units
from azureml_local.exceptions import UserErrorException
from azureml_local.runs.journal import _JournalRun


def test_env_variable_and_compute_tag_name_the_scheduler(ws, monkeypatch):
    from azureml.core.compute import AmlCompute, ComputeTarget

    ctx = ws._context
    assert dask_clusters.scheduler_address(ctx, "local") is None
    assert dask_clusters.env_name("cpu-cluster.1") == "AZUREML_LOCAL_DASK_CPU_CLUSTER_1"
    monkeypatch.setenv("AZUREML_LOCAL_DASK_CPU_CLUSTER", "tcp://10.0.0.5:8786")
    assert dask_clusters.scheduler_address(ctx, "cpu-cluster") == "tcp://10.0.0.5:8786"
    config = AmlCompute.provisioning_configuration(max_nodes=3, tags={"azureml-local-dask": "dask://local"})
    ComputeTarget.create(ws, "tagged", config).wait_for_completion(show_output=False)
    assert dask_clusters.scheduler_address(ctx, "tagged") == "dask://local"
    assert dask_clusters.max_nodes(ctx, "tagged") == 3
    plain = AmlCompute.provisioning_configuration(max_nodes=2)
    ComputeTarget.create(ws, "plain", plain).wait_for_completion(show_output=False)
    assert dask_clusters.launcher_for(ws, "plain") is None


def test_unknown_dask_scheme_is_refused_with_the_forms_to_use():
    pytest.importorskip("distributed")
    with pytest.raises(UserErrorException, match="tcp://host:port"):
        dask_clusters._client("dask://elsewhere", "t", 1)


def test_folder_blob_store_is_refused_for_dask(tmp_path, monkeypatch):
    from azureml_local.store.blobs.folder import FolderBlobStore

    monkeypatch.delenv("AZUREML_LOCAL_STORAGE_CONNECTION_STRING", raising=False)
    with pytest.raises(UserErrorException, match="Azurite"):
        dask_clusters.connection_string(FolderBlobStore(tmp_path / "blobs"))


def test_ship_units_maps_workspace_folders_named_by_argv_and_env(tmp_path):
    root = tmp_path / "ws"
    work = root / "runs" / "r1" / "wd"
    (work / "inputs" / "a").mkdir(parents=True)
    data_in = root / "runs" / "p" / "data" / "s0" / "out"
    data_in.mkdir(parents=True)
    (data_in / "x.txt").write_text("1")
    out = root / "runs" / "p" / "data" / "s1" / "res"
    out.mkdir(parents=True)
    units, mapping = ship_units(work, ["--in", str(data_in), f"--out={out}/file.csv", str(work / "inputs/a")],
                                [str(root)], roots=[root])
    assert units["wd"] == work and sorted(p for u, p in units.items() if u != "wd") == sorted([data_in, out])
    worker = {u: f"/w/{u}" for u in units}
    rewritten = dask_task.rewrite(f"--out={out}/file.csv", [(p, worker[u]) for p, u in mapping])
    assert rewritten.startswith("--out=/w/p") and rewritten.endswith("/file.csv")
    data = dask_task.pack(units)
    back = tmp_path / "back"
    dask_task.unpack(data, {u: back / u for u in units})
    assert (back / [u for u, p in units.items() if p == data_in][0] / "x.txt").read_text() == "1"


def test_journal_run_writes_what_the_launcher_replays(tmp_path):
    run = _JournalRun("run_1", str(tmp_path / "j"))
    run.log("acc", 0.5, step=1)
    run.tag("k", "v")
    (tmp_path / "f.txt").write_text("f")
    run.upload_file("outputs/f.txt", str(tmp_path / "f.txt"))
    with pytest.raises(UserErrorException, match="run.log does not support list type"):
        run.log("bad", [1])
    ops = [json.loads(line) for line in (tmp_path / "j" / "journal.jsonl").read_text().splitlines()]
    assert [o["op"] for o in ops] == ["metric", "tags", "file"]
    assert ops[0]["value"] == "0.5" and ops[0]["step"] == 1
    assert (tmp_path / "j" / ops[2]["file"]).read_text() == "f"
