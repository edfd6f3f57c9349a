"""Datastores: defaults, registration, upload/download against the workspace's real blob storage."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from azureml.core import Datastore
from azureml.data.azure_storage_datastore import AzureBlobDatastore, AzureFileDatastore
from azureml.data.data_reference import DataReference
from azureml.exceptions import UserErrorException


def _tree(root: Path, n: int = 3) -> Path:
    for i in range(n):
        p = root / ("sub" if i % 2 else "") / f"f{i}.csv"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"a,b\n{i},{i * 2}\n")
    return root


def test_default_datastores(ws):
    ds = ws.get_default_datastore()
    assert isinstance(ds, AzureBlobDatastore) and ds.name == "workspaceblobstore"
    assert set(ws.datastores) >= {"workspaceblobstore", "workspacefilestore"}
    assert isinstance(ws.datastores["workspacefilestore"], AzureFileDatastore)
    assert Datastore(ws).name == "workspaceblobstore"
    assert Datastore(ws, "workspacefilestore").datastore_type == "AzureFile"
    assert Datastore.get_default(ws).container_name.startswith("azureml-blobstore-")
    assert '"name": "workspaceblobstore"' in repr(ds)


def test_upload_download_roundtrip(ws, tmp_path, capsys):
    src = _tree(tmp_path / "src")
    ds = ws.get_default_datastore()
    ref = ds.upload(str(src), target_path="data/in", overwrite=True, show_progress=True)
    assert isinstance(ref, DataReference) and ref.path_on_datastore == "data/in"
    out = capsys.readouterr().out
    assert "Uploading an estimated of 3 files" in out and "Uploaded 3 files" in out
    names = sorted(b.name for b in ws._blobs.list_blobs(ds.container_name, "data/in"))
    assert names == ["data/in/f0.csv", "data/in/f2.csv", "data/in/sub/f1.csv"]
    # without overwrite existing blobs are skipped
    (src / "f0.csv").write_text("changed")
    ds.upload(str(src), target_path="data/in", overwrite=False, show_progress=True)
    assert "Target already exists. Skipping upload for data/in/f0.csv" in capsys.readouterr().out
    assert ws._blobs.download_bytes(ds.container_name, "data/in/f0.csv") == b"a,b\n0,0\n"
    n = ds.download(str(tmp_path / "dl"), prefix="data/in", show_progress=False)
    assert n == 3 and (tmp_path / "dl" / "data/in/sub/f1.csv").read_text() == "a,b\n1,2\n"


def test_upload_files_flat_and_relative_root(ws, tmp_path):
    src = _tree(tmp_path / "src")
    ds = ws.get_default_datastore()
    ds.upload_files([str(src / "f0.csv"), str(src / "sub" / "f1.csv")], target_path="flat", overwrite=True,
                    show_progress=False)
    names = sorted(b.name for b in ws._blobs.list_blobs(ds.container_name, "flat"))
    assert names == ["flat/f0.csv", "flat/sub/f1.csv"]
    ds.upload_files([str(src / "sub" / "f1.csv")], relative_root=str(src), target_path="rr", show_progress=False)
    assert ws._blobs.exists(ds.container_name, "rr/sub/f1.csv")
    with pytest.raises(UserErrorException, match="is not part of the file_path"):
        ds.upload_files([str(src / "f0.csv")], relative_root="/elsewhere", show_progress=False)
    with pytest.raises(UserErrorException, match="does not point to a file"):
        ds.upload_files([str(src / "missing.csv")], show_progress=False)


def test_register_blob_container_and_errors(ws, tmp_path):
    with pytest.raises(UserErrorException, match="Invalid container name"):
        Datastore.register_azure_blob_container(ws, "bad", "Bad_Name", "acct", account_key="k")
    with pytest.raises(UserErrorException, match="Invalid datastore name"):
        Datastore.register_azure_blob_container(ws, "bad-name!", "good", "acct", account_key="k")
    assert "bad" not in ws.datastores
    ds = Datastore.register_azure_blob_container(ws, "MyStore", "my-container", "acct", account_key="k",
                                                 create_if_not_exists=True)
    assert ds.name == "mystore" and ds.credential_type == "AccountKey"
    assert Datastore.get(ws, "mystore").container_name == "my-container"
    ds.upload(str(_tree(tmp_path / "s", 1)), show_progress=False)
    assert ws._blobs.exists("my-container", "f0.csv")
    # the missing container is reported on use
    missing = Datastore.register_azure_blob_container(ws, "missing", "no-such-container", "acct", sas_token="sv=1")
    with pytest.raises(UserErrorException, match="does not exist"):
        missing.download(str(tmp_path / "x"))
    with pytest.raises(UserErrorException, match="already exists"):
        Datastore.register_azure_blob_container(ws, "mystore", "other-container", "acct", account_key="k")
    Datastore.register_azure_blob_container(ws, "mystore", "other-container", "acct", account_key="k",
                                            overwrite=True)
    assert Datastore.get(ws, "mystore").container_name == "other-container"


def test_missing_datastore_and_default_switch(ws):
    with pytest.raises(UserErrorException, match="No datastore named 'nope'"):
        Datastore.get(ws, "nope")
    fs = Datastore.register_azure_file_share(ws, "share", "myshare", "acct", account_key="k",
                                             create_if_not_exists=True)
    fs.set_as_default()
    assert ws.get_default_datastore().name == "share"
    ws.set_default_datastore("workspaceblobstore")
    assert Datastore.get_default(ws).name == "workspaceblobstore"
    fs.unregister()
    assert "share" not in ws.datastores
    assert len(Datastore.list(ws)) == 2


def test_data_lake_datastores(ws, tmp_path):
    g1 = Datastore.register_azure_data_lake(ws, "lake1", "mystore", tenant_id="t", client_id="c", client_secret="s")
    g2 = Datastore.register_azure_data_lake_gen2(ws, "lake2", "fsname", "acct")
    assert g1.datastore_type == "AzureDataLake" and g2.datastore_type == "AzureDataLakeGen2"
    g2.upload(str(_tree(tmp_path / "s", 1)), target_path="x", show_progress=False)
    assert ws._blobs.exists("fsname", "x/f0.csv")
    with pytest.raises(UserErrorException, match="defined together"):
        Datastore.register_azure_data_lake(ws, "lake3", "s", tenant_id="t")


def test_invalid_target_path_uploads_nothing(ws, tmp_path):
    ds = ws.get_default_datastore()
    with pytest.raises(UserErrorException, match="Invalid target_path .a/../...: .... segments are not allowed"):
        ds.upload(str(_tree(tmp_path / "s", 1)), target_path="a/../..", show_progress=False)
    assert not list(ws._blobs.list_blobs(ds._container(), ""))


def test_paths_and_references(ws):
    from azureml.data.datapath import DataPath, DataPathComputeBinding

    ds = ws.get_default_datastore()
    ref = ds.path("data/x").as_download(path_on_compute="inp")
    assert ref.mode == "download" and str(ref).startswith("$AZUREML_DATAREFERENCE_")
    assert str(ds.as_mount()) == "$AZUREML_DATAREFERENCE_workspaceblobstore"
    dp = DataPath(ds, "data/x")
    dref = dp.create_data_reference("ref1", DataPathComputeBinding(mode="download"))
    assert dref.data_reference_name == "ref1" and dref.path_on_datastore == "data/x" and dref.mode == "download"
    with pytest.raises(UserErrorException, match="Invalid mode"):
        DataReference(ds, mode="copy")
    assert DataPath._from_definition(ws, dp._to_definition()).path_on_datastore == "data/x"
    assert os.path.basename(str(dref)) == "$AZUREML_DATAREFERENCE_ref1"


def test_external_account_by_endpoint(ws, tmp_path):
    """A datastore whose endpoint is a full URL reaches that account (here: the session's Azurite)."""
    from azureml_local.store.azurite_testing import require_azurite
    from azureml_local.store.blobs.azure import parse_connection_string
    from azureml_local.store.blobs.factory import connect

    conn = require_azurite()
    parts = parse_connection_string(conn)
    ds = Datastore.register_azure_blob_container(ws, "external", "ext-container", parts["AccountName"],
                                                 account_key=parts["AccountKey"], endpoint=parts["BlobEndpoint"],
                                                 create_if_not_exists=True)
    ds.upload(str(_tree(tmp_path / "s", 1)), target_path="x", show_progress=False)
    assert ds._blob_store().kind == "azurite"
    assert connect(conn).download_bytes("ext-container", "x/f0.csv") == b"a,b\n0,0\n"


def test_interrupted_upload_reports_and_keeps_blobs_whole(ws, tmp_path, monkeypatch):
    from azureml.exceptions import AzureMLException

    src = _tree(tmp_path / "s", 4)
    ds = ws.get_default_datastore()
    store = ds._blob_store()
    original = type(store).upload_file
    calls = []

    def flaky(self, container, name, path, *a, **k):
        calls.append(name)
        if len(calls) == 3:
            raise ConnectionError("connection reset")
        return original(self, container, name, path, *a, **k)

    monkeypatch.setattr(type(store), "upload_file", flaky)
    with pytest.raises(AzureMLException, match="connection reset"):
        ds.upload(str(src), target_path="part", show_progress=False)
    monkeypatch.undo()
    for blob in store.list_blobs(ds._container(), "part/"):
        local = src / blob.name[len("part/"):]
        assert store.download_bytes(ds._container(), blob.name) == local.read_bytes()


def test_workspace_datastores_cannot_be_unregistered(ws):
    with pytest.raises(UserErrorException, match="cannot be unregistered"):
        ws.get_default_datastore().unregister()


def test_download_target_path_must_be_a_path(ws, tmp_path):
    ds = ws.get_default_datastore()
    ds.upload(str(_tree(tmp_path / "s", 1)), target_path="dl", show_progress=False)
    for bad in (None, 5):
        with pytest.raises(TypeError):
            ds.download(bad, prefix="dl", show_progress=False)
    assert not os.path.exists("None") and not os.path.exists("5")


def test_conflicting_reregistration_creates_no_container(ws):
    Datastore.register_azure_blob_container(ws, "x6", "cont-six", "acct", account_key="k", create_if_not_exists=True)
    with pytest.raises(UserErrorException, match="already exists in the workspace with different settings"):
        Datastore.register_azure_blob_container(ws, "x6", "cont-seven", "acct", account_key="k",
                                                create_if_not_exists=True)
    assert ws._blobs.container_exists("cont-six")
    assert not ws._blobs.container_exists("cont-seven")
    assert Datastore.get(ws, "x6").container_name == "cont-six"


def test_data_lake_gen1_store_name_rule_names_the_given_value(ws):
    with pytest.raises(UserErrorException, match="Invalid data lake store name 'My Store'.*3-24"):
        Datastore.register_azure_data_lake(ws, "adl", "My Store", tenant_id="t", client_id="c", client_secret="s")
    assert "adl" not in ws.datastores
