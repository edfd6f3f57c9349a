"""File datasets: to_path, download, download-backed mount, consumption configs."""
from __future__ import annotations

import os

import pytest

from azureml.core import Dataset
from azureml.data import FileDataset
from azureml.exceptions import UserErrorException


def test_to_path_download_mount(ws, store, tmp_path):
    ds = Dataset.File.from_files((store, "data"))
    assert isinstance(ds, FileDataset)
    assert ds.to_path() == ["/2023/01/a.csv", "/2023/02/b.csv", "/readme.txt"]
    assert Dataset.File.from_files((store, "data/**/*.csv")).to_path() == ["/2023/01/a.csv", "/2023/02/b.csv"]
    assert Dataset.File.from_files((store, "data/2023/01/a.csv")).to_path() == ["/a.csv"]
    paths = ds.download(str(tmp_path / "dl"))
    assert sorted(os.path.relpath(p, tmp_path / "dl") for p in paths) == ["2023/01/a.csv", "2023/02/b.csv",
                                                                          "readme.txt"]
    with pytest.raises(UserErrorException, match="already exists"):
        ds.download(str(tmp_path / "dl"))
    assert len(ds.download(str(tmp_path / "dl"), overwrite=True)) == 3
    with ds.mount() as ctx:
        assert open(os.path.join(ctx.mount_point, "2023/01/a.csv")).read().startswith("id,name")
        mp = ctx.mount_point
    assert not os.path.exists(mp)
    assert ds.take(1).to_path() == ["/2023/01/a.csv"]


def test_consumption_configs(ws, store):
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig

    ds = Dataset.File.from_files((store, "data"))
    cfg = ds.as_named_input("raw")
    assert isinstance(cfg, DatasetConsumptionConfig) and cfg.mode == "direct"
    assert cfg.arg_val == "DatasetConsumptionConfig:raw"
    dl = cfg.as_download(path_on_compute="x")
    assert (dl.name, dl.mode, dl.path_on_compute) == ("raw", "download", "x")
    auto = ds.as_mount()
    assert auto.name.startswith("input__") and auto.mode == "mount"
    with pytest.raises(UserErrorException, match="as_hdfs"):
        ds.as_hdfs()
    with pytest.raises(UserErrorException, match="Invalid input name"):
        ds.as_named_input("1bad")
    tab = Dataset.Tabular.from_delimited_files((store, "data/**/*.csv"))
    with pytest.raises(UserErrorException, match="does not support download"):
        tab.as_named_input("t").as_download()
    with pytest.raises(UserErrorException, match="Invalid mode 'copy'"):
        DatasetConsumptionConfig("x", ds, mode="copy")
    reg = ds.register(ws, "files")
    latest = DatasetConsumptionConfig("f", (ws, "files"))
    assert latest.dataset.name == "files" and latest.dataset._consume_latest
    assert reg.as_named_input("f")._to_definition()["dataset"]["name"] == "files"
