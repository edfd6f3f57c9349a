"""Fixtures for data tests: a workspace with CSV files uploaded to its default datastore."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True, params=["default", "folder"])
def storage_backend(request, monkeypatch):
    """Every data test runs on the default backend (Azurite when available) and on the plain folder."""
    if request.param == "folder":
        from azureml_local.store.blobs.factory import CONNECTION_STRING_ENV, STORAGE_ENV

        monkeypatch.delenv(CONNECTION_STRING_ENV, raising=False)
        monkeypatch.setenv(STORAGE_ENV, "folder")
    return request.param


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    root = tmp_path / "csvs"
    (root / "2023" / "01").mkdir(parents=True)
    (root / "2023" / "02").mkdir(parents=True)
    (root / "2023" / "01" / "a.csv").write_text("id,name,score\n1,ann,3.5\n2,bob,4.0\n")
    (root / "2023" / "02" / "b.csv").write_text("id,name,score\n3,cy,1.5\n4,dee,5.0\n5,ed,2.0\n")
    (root / "readme.txt").write_text("not a csv")
    return root


@pytest.fixture
def store(ws, csv_dir):
    ds = ws.get_default_datastore()
    ds.upload(str(csv_dir), target_path="data", overwrite=True, show_progress=False)
    return ds
