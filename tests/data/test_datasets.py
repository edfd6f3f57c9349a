"""data/datasets.py: dataset references -> plain definitions, saved and registered rows, on a plain context."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Dataset
from azureml.exceptions import UserErrorException
from azureml_local.context import WorkspaceContext
from azureml_local.data import datasets, run_inputs


@pytest.fixture
def ctx(ws) -> WorkspaceContext:
    """A context built from the folder alone: what a worker or the service holds (no SDK object)."""
    return WorkspaceContext.for_folder(Path(ws._local_folder))


def test_every_reference_shape_gives_the_sdk_objects_identity(ws, ctx, store):
    files = Dataset.File.from_files((store, "data/**/*.csv"))
    unsaved = {"id": files._definition_id(), "name": None, "version": None, "definition": files._definition}
    entry = datasets.entry(ctx, unsaved)
    assert entry == {"id": files.id, "name": None, "version": None, "definition": files._definition}
    assert Dataset.get_by_id(ws, entry["id"]) == files  # saved on the way: the script's run can look it up
    assert datasets.entry(ctx, {"id": files.id})["definition"] == files._definition

    v1 = files.register(ws, "csvs")
    v2 = files.skip(1).register(ws, "csvs", create_new_version=True)
    by_version = datasets.entry(ctx, {"id": v1.id, "name": "csvs", "version": 1})
    assert (by_version["id"], by_version["name"], by_version["version"]) == (v1.id, "csvs", 1)
    latest = datasets.entry(ctx, {"id": v1.id, "name": "csvs", "version": 1, "consume_latest": True})
    assert (latest["id"], latest["version"]) == (v2.id, 2)
    assert datasets.entry(ctx, {"id": v2.id})["version"] == 2  # an id finds its registration
    assert datasets.entry(ctx, Dataset.get_by_name(ws, "csvs", 1))["version"] == 1  # an SDK object, as a caller holds


def test_bad_references_say_what_is_wrong(ctx):
    with pytest.raises(UserErrorException, match='Cannot find dataset registered with name "nope" \\(version: 3\\)'):
        datasets.entry(ctx, {"id": "x", "name": "nope", "version": 3})
    with pytest.raises(UserErrorException, match='Invalid value two for version'):
        datasets.row_by_name(ctx, "nope", "two")
    with pytest.raises(UserErrorException, match='Cannot find dataset with id "no-such-id"'):
        datasets.entry(ctx, {"id": "no-such-id"})
    with pytest.raises(UserErrorException, match="Cannot consume int as a dataset input here"):
        datasets.entry(ctx, 42)


def test_register_follows_the_versioning_rules(ctx):
    first = {"kind": "file", "paths": [{"datastore": "workspaceblobstore", "path": "a"}], "reader": None,
             "partition_format": None, "transforms": []}
    second = dict(first, paths=[{"datastore": "workspaceblobstore", "path": "b"}])
    registered = datasets.register(ctx, first, "plain", "d", {"k": "v"}, create_new_version=False)
    assert registered == datasets.Registered(datasets.save(ctx, first), "plain", 1)
    assert datasets.register(ctx, first, "plain", None, None, create_new_version=False).version == 1  # same: kept
    with pytest.raises(UserErrorException, match='already a dataset registered under name "plain"'):
        datasets.register(ctx, second, "plain", None, None, create_new_version=False)
    assert datasets.register(ctx, second, "plain", None, None, create_new_version=True).version == 2
    with pytest.raises(UserErrorException, match="non-empty string"):
        datasets.register(ctx, first, " ", None, None, create_new_version=True)


def test_files_apply_the_definition_transforms(ws, ctx, store):
    files = Dataset.File.from_files((store, "data/**/*.csv"))
    assert [f.rel for f in datasets.files(ctx, files._definition)] == ["2023/01/a.csv", "2023/02/b.csv"]
    assert [f.rel for f in datasets.files(ctx, files.skip(1)._definition)] == ["2023/02/b.csv"]
    assert ["/" + f.rel for f in datasets.files(ctx, files.take(1)._definition)] == files.take(1).to_path()


def test_only_file_datasets_download_and_the_message_names_the_sdk_class(ctx, store, tmp_path):
    from azureml.data import TabularDataset

    tabular = Dataset.Tabular.from_delimited_files((store, "data/**/*.csv"))
    config = {"name": "t", "kind": "dataset", "mode": "download", "dataset": tabular._to_definition()}
    with pytest.raises(UserErrorException) as info:
        run_inputs.prepare_input(ctx, config, tmp_path)
    assert info.value.message == f"{TabularDataset} does not support download. Only FileDataset supports download"
