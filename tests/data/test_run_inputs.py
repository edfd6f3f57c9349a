"""The binder's data hooks (dict forms of a job spec's inputs/outputs): inputs materialised from the etag cache, outputs uploaded and registered."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from azureml.core import Dataset
from azureml.data import OutputFileDatasetConfig
from azureml_local.data import run_inputs
from azureml.exceptions import UserErrorException


def test_direct_input(ws, store, tmp_path):
    ds = Dataset.Tabular.from_delimited_files((store, "data/**/*.csv"))
    value, env = run_inputs.prepare_input(ws, ds.as_named_input("train")._to_definition(), tmp_path)
    assert value == ds.id and env == {"train": ds.id}
    assert Dataset.get_by_id(ws, value).to_pandas_dataframe().shape == (5, 3)


def test_download_and_mount_use_cache(ws, store, tmp_path, monkeypatch):
    ds = Dataset.File.from_files((store, "data"))
    calls = []
    blob_store = store._blob_store()
    original = type(blob_store).download_files

    def counting(self, container, items, *a, **k):
        calls.append(len(list(items)))
        return original(self, container, items, *a, **k)

    monkeypatch.setattr(type(blob_store), "download_files", counting)
    value, env = run_inputs.prepare_input(ws, ds.as_named_input("raw").as_download()._to_definition(), tmp_path / "r1")
    assert Path(value, "2023/02/b.csv").read_text().startswith("id,name")
    assert env == {"raw": value}
    value2, _ = run_inputs.prepare_input(ws, ds.as_named_input("raw").as_mount("mnt")._to_definition(), tmp_path / "r2")
    assert value2 == str(tmp_path / "r2" / "mnt") and os.path.isfile(os.path.join(value2, "readme.txt"))
    expected_downloads = [] if blob_store.kind == "folder" else [3]
    assert calls == expected_downloads  # second run served from the etag cache
    single = Dataset.File.from_files((store, "data/2023/01/a.csv")).as_named_input("one").as_download()._to_definition()
    value3, env3 = run_inputs.prepare_input(ws, single, tmp_path / "r3")
    assert value3.endswith("/a.csv") and env3["AZUREML_DATAREFERENCE_one"] == value3 and env3["ONE"] == value3


def test_changed_blob_changes_identity_and_content(ws, store, tmp_path):
    ds = Dataset.File.from_files((store, "data/readme.txt"))
    before = run_inputs.dataset_identity(ws, ds)
    path_before = run_inputs.datastore_path_identity(ws, "workspaceblobstore", "data")
    run_inputs.prepare_input(ws, ds.as_named_input("r").as_download()._to_definition(), tmp_path / "a")
    store._blob_store().upload_bytes(store._container(), "data/readme.txt", b"new content")
    assert run_inputs.dataset_identity(ws, ds) != before
    assert run_inputs.datastore_path_identity(ws, "workspaceblobstore", "data") != path_before
    value, _ = run_inputs.prepare_input(ws, ds.as_named_input("r").as_download()._to_definition(), tmp_path / "b")
    assert Path(value).read_text() == "new content"


def test_outputs_upload_and_register(ws, tmp_path):
    out = OutputFileDatasetConfig(name="prepped").register_on_complete("prepped_ds", tags={"k": "v"})._to_definition()
    folder, env = run_inputs.prepare_output(ws, out, "run-1", tmp_path)
    assert env == {"prepped": folder} and os.path.isdir(folder)
    Path(folder, "part.csv").write_text("a\n1\n")
    desc = run_inputs.finalize_output(ws, out, folder, "run-1")
    assert desc["path"] == "dataset/run-1/prepped" and desc["datastore"] == "workspaceblobstore"
    assert desc["registered"] == {"name": "prepped_ds", "version": 1}
    got = Dataset.get_by_name(ws, "prepped_ds")
    assert got.to_path() == ["/part.csv"] and got.tags == {"k": "v"}
    tab = OutputFileDatasetConfig(name="t", destination=("workspaceblobstore", "tab/{run-id}")).read_delimited_files()._to_definition()
    folder, _ = run_inputs.prepare_output(ws, tab, "run-2", tmp_path)
    Path(folder, "x.csv").write_text("a,b\n1,2\n")
    desc = run_inputs.finalize_output(ws, tab, folder, "run-2")
    assert Dataset.get_by_id(ws, desc["dataset_id"]).to_pandas_dataframe()["b"].tolist() == [2]


def test_failed_upload_registers_nothing(ws, tmp_path, monkeypatch):
    out = OutputFileDatasetConfig(name="o").register_on_complete("never")._to_definition()
    folder, _ = run_inputs.prepare_output(ws, out, "run-3", tmp_path)
    Path(folder, "f.txt").write_text("x")
    blob_store = ws._blobs

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(type(blob_store), "upload_files", broken)
    with pytest.raises(Exception, match="disk full"):
        run_inputs.finalize_output(ws, out, folder, "run-3")
    monkeypatch.undo()
    assert "never" not in ws.datasets
    assert not list(ws._blobs.list_blobs(ws.get_default_datastore()._container(), "dataset/run-3"))


def test_env_var_formats_and_hdfs():
    assert run_inputs.input_environment_variables([("a", "direct"), ("b", "mount")]) == "a:direct,b:mount"
    assert run_inputs.output_environment_variable(["o1", "o2"]) == "o1;o2"
    with pytest.raises(UserErrorException, match="HDFSOutputDatasetConfig"):
        from azureml.data import HDFSOutputDatasetConfig

        run_inputs.prepare_output(None, HDFSOutputDatasetConfig("h")._to_definition(), "r", Path("."))


def test_tabular_dataset_for_pipeline_output_specs(ws, store):
    spec = {"format": "delimited", "separator": ",", "include_path": False, "partition_format": None,
            "file_extension": ".csv", "header": "all_files_have_same_headers", "set_column_types": {},
            "keep_columns": ["id", "score"]}
    ds_id = run_inputs.tabular_dataset_for_output(ws, "workspaceblobstore", "data", spec)
    df = Dataset.get_by_id(ws, ds_id).to_pandas_dataframe()
    assert list(df.columns) == ["id", "score"] and len(df) == 5
    first = dict(spec, random_split={"percentage": 0.5, "seed": 3, "part": 1})
    second = dict(spec, random_split={"percentage": 0.5, "seed": 3, "part": 2})
    a = Dataset.get_by_id(ws, run_inputs.tabular_dataset_for_output(ws, "workspaceblobstore", "data", first))
    b = Dataset.get_by_id(ws, run_inputs.tabular_dataset_for_output(ws, "workspaceblobstore", "data", second))
    assert len(a.to_pandas_dataframe()) + len(b.to_pandas_dataframe()) == 5
    reg = run_inputs.register_output(ws, "workspaceblobstore", "data", {"name": "pipe_out"}, spec)
    assert reg.version == 1 and ws.datasets["pipe_out"].id == ds_id


def test_bad_output_destination_fails_before_the_script_runs(ws, tmp_path):
    ds = ws.get_default_datastore()
    for dest, message in [(("nosuch", "out"), "No datastore named 'nosuch'"), ("foo", "No datastore named 'f'"),
                          ((ds, "bad/../x"), "Invalid blob name")]:
        with pytest.raises(UserErrorException, match=message):
            run_inputs.prepare_output(ws, OutputFileDatasetConfig(name="o", destination=dest)._to_definition(), "run-9",
                                     tmp_path)
    assert not (tmp_path / run_inputs.OUTPUTS_FOLDER).exists()
    folder, _ = run_inputs.prepare_output(ws, OutputFileDatasetConfig(name="o", destination=(ds, "/"))._to_definition(), "r",
                                          tmp_path)
    assert os.path.isdir(folder)
