"""data/stores.py: datastore names resolved to ``(BlobStore, container)`` from registry rows, on a plain context."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Datastore
from azureml.exceptions import UserErrorException
from azureml_local.context import WorkspaceContext
from azureml_local.data import stores
from azureml_local.store.blobs.base import BlobExistsError


@pytest.fixture
def ctx(ws) -> WorkspaceContext:
    """A context built from the folder alone: what a worker or the service holds (no SDK object)."""
    return WorkspaceContext.for_folder(Path(ws._local_folder))


def test_workspace_datastores_exist_and_resolve_on_a_fresh_context(ctx):
    assert stores.default_name(ctx) == "workspaceblobstore"
    row = stores.datastore_row(ctx, "WorkspaceBlobStore")  # names are case-insensitive, as registered
    assert row["name"] == "workspaceblobstore" and row["config"].get("workspace_managed")
    store, container = stores.resolve(ctx, "workspaceblobstore")  # a workspace container is created on first use
    assert container == row["container_name"] and store.container_exists(container)


def test_unknown_datastore_names_the_registered_ones(ctx):
    with pytest.raises(UserErrorException, match=r"No datastore named 'nosuch'.*registered: workspaceblobstore, "
                                                 r"workspacefilestore.*register_azure_blob_container"):
        stores.datastore_row(ctx, "nosuch")


def test_missing_registered_container_fails_unless_created(ws, ctx):
    Datastore.register_azure_blob_container(ws, "later", "created-later", "acct", account_key="k")
    with pytest.raises(UserErrorException, match="container 'created-later' of datastore 'later' does not exist"):
        stores.resolve(ctx, "later")
    store, container = stores.resolve(ctx, "later", create=True)
    assert container == "created-later" and store.container_exists(container)
    assert Datastore.get(ws, "later")._container() == "created-later"  # the SDK object agrees


def test_container_for_is_cached_until_the_registry_changes(ws, ctx):
    Datastore.register_azure_blob_container(ws, "moving", "first-home", "acct", account_key="k",
                                            create_if_not_exists=True)
    assert stores.container_for(ctx, "moving")[1] == "first-home"
    assert stores.container_for(ctx, None) == stores.container_for(ctx, "workspaceblobstore")
    Datastore.register_azure_blob_container(ws, "moving", "second-home", "acct", account_key="k", overwrite=True)
    assert stores.container_for(ctx, "moving")[1] == "second-home"  # created on the way (outputs land there)


def test_upload_folder_and_download_prefix_round_trip(ctx, tmp_path):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "a.csv").write_text("a")
    (out / "sub" / "b.csv").write_text("b")
    (out / "sub" / "skip.txt").write_text("no")
    assert stores.upload_folder(ctx, "workspaceblobstore", "rt/run-1", tmp_path / "empty") == 0
    assert stores.upload_folder(ctx, "workspaceblobstore", "rt/run-1", out, source_globs=["*.csv"]) == 2
    back = stores.download_prefix(ctx, "workspaceblobstore", "rt/run-1", tmp_path / "back")
    assert sorted(str(p.relative_to(back)) for p in back.rglob("*") if p.is_file()) == ["a.csv", "sub/b.csv"]
    one = stores.download_prefix(ctx, "workspaceblobstore", "rt/run-1/sub/b.csv", tmp_path / "one")
    assert one.read_text() == "b"
    with pytest.raises(BlobExistsError):  # overwrite=False fails on an existing blob, as the SDK's upload does
        stores.upload_folder(ctx, "workspaceblobstore", "rt/run-1", out, overwrite=False)


def test_set_default_and_unregister_work_on_a_plain_context(ws, ctx):
    """What ``Datastore.set_as_default``/``unregister`` call: plain-value functions, no datastore object."""
    Datastore.register_azure_blob_container(ws, "Plain", "plain-home", "acct", account_key="k")
    stores.set_default(ctx, "PLAIN")  # names are case-insensitive
    assert stores.default_name(ctx) == "plain" and ws.get_default_datastore().name == "plain"
    with pytest.raises(UserErrorException, match="No datastore named 'nosuch'"):
        stores.set_default(ctx, "nosuch")
    assert stores.default_name(ctx) == "plain"  # a failed switch changes nothing
    stores.set_default(ctx, "workspaceblobstore")
    stores.unregister(ctx, "plain")
    assert "plain" not in ws.datastores
    with pytest.raises(UserErrorException, match="No datastore named 'plain' .* cannot be unregistered"):
        stores.unregister(ctx, "plain")
    with pytest.raises(UserErrorException, match="'workspacefilestore' is a workspace datastore"):
        stores.unregister(ctx, "workspacefilestore")
