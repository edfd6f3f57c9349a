"""Which backend a workspace gets, and what the user is told when Azurite is not there."""
import json

import pytest

from azureml_local.exceptions import UserErrorException
from azureml_local.store import azurite
from azureml_local.store.azurite_testing import require_azurite
from azureml_local.store.blobs import factory
from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV, open_blob_store
from azureml_local.store.blobs.folder import FolderBlobStore


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "wsf"
    f.mkdir()
    (f / "workspace.json").write_text(json.dumps({"workspace_id": "x"}))
    return f


@pytest.fixture
def no_conn(monkeypatch):
    monkeypatch.delenv(CONNECTION_STRING_ENV, raising=False)


def test_session_workspaces_use_the_shared_azurite(ws):
    require_azurite()
    assert ws._blobs.kind == "azurite"
    from azureml_local.store.containers import default_blob_container

    c = default_blob_container(ws)
    ws._blobs.create_container(c)
    ws._blobs.upload_bytes(c, "hello.txt", b"hi")
    assert ws._blobs.download_bytes(c, "hello.txt") == b"hi"


def test_connection_string_wins_over_everything(folder, monkeypatch):
    monkeypatch.setenv(CONNECTION_STRING_ENV, require_azurite())
    monkeypatch.setenv("AZUREML_LOCAL_STORAGE", "folder")
    assert open_blob_store(folder).kind == "azurite"
    assert not (folder / "azurite").exists()


@pytest.mark.parametrize("bad", ["garbage", "AccountName", ";=;"])
def test_malformed_connection_string(folder, monkeypatch, bad):
    monkeypatch.setenv(CONNECTION_STRING_ENV, bad)
    with pytest.raises(UserErrorException, match=CONNECTION_STRING_ENV):
        open_blob_store(folder)


def test_forced_folder_and_unknown_backend(folder, no_conn, monkeypatch):
    monkeypatch.setenv("AZUREML_LOCAL_STORAGE", "folder")
    store = open_blob_store(folder)
    assert isinstance(store, FolderBlobStore) and store.root == folder / "blobs"
    monkeypatch.setenv("AZUREML_LOCAL_STORAGE", "s3")
    with pytest.raises(UserErrorException, match="Unknown blob storage backend 's3'"):
        open_blob_store(folder)


def test_workspace_json_setting(folder, no_conn):
    (folder / "workspace.json").write_text(json.dumps({"storage": "folder"}))
    assert open_blob_store(folder).kind == "folder"
    (folder / "workspace.json").write_text(json.dumps({"storage": {"connection_string": require_azurite()}}))
    assert open_blob_store(folder).kind == "azurite"
    (folder / "workspace.json").write_text(json.dumps({"storage": {"connection_string": "nope"}}))
    with pytest.raises(UserErrorException, match="workspace.json"):
        open_blob_store(folder)


def test_default_starts_the_workspaces_own_azurite(folder, no_conn):
    require_azurite()
    try:
        store = open_blob_store(folder)
        assert store.kind == "azurite"
        inst = azurite.azurite_status(folder)
        assert inst is not None and str(inst.port) in store.account_url
        store.create_container("own")
        assert store.container_exists("own")
    finally:
        azurite.stop_azurite(folder)


def test_missing_azurite_falls_back_to_folder_with_one_notice(folder, no_conn, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(factory, "_fallback_noticed", False)
    monkeypatch.setenv("AZUREML_LOCAL_AZURITE", str(tmp_path / "no-such-azurite"))
    assert open_blob_store(folder).kind == "folder"
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "plain folder" in err and "azureml-local setup" in err
    assert open_blob_store(folder).kind == "folder"
    assert capsys.readouterr().err == ""


def test_one_shared_client_per_account_and_process(folder, tmp_path, monkeypatch):
    monkeypatch.setenv(CONNECTION_STRING_ENV, require_azurite())
    other = tmp_path / "other"
    other.mkdir()
    first = open_blob_store(folder)
    assert open_blob_store(other) is first
    first.close()  # a no-op on the shared store: other workspaces keep using it
    first.create_container("still-open")
    assert first.container_exists("still-open")
