"""Dataset.File.upload_directory targets and argument types (the SDK's parse_target/_check_type rules)."""
from __future__ import annotations

import pytest

from azureml.core import Dataset


def test_upload_directory_to_bare_datastore(ws, csv_dir):
    ds = ws.get_default_datastore()
    fds = Dataset.File.upload_directory(str(csv_dir), ds, show_progress=False)
    assert "/readme.txt" in fds.to_path()


def test_upload_directory_bad_target_and_pattern_upload_nothing(ws, csv_dir):
    ds = ws.get_default_datastore()
    with pytest.raises(ValueError, match="The target type is not supported, target: foo"):
        Dataset.File.upload_directory(str(csv_dir), "foo", show_progress=False)
    with pytest.raises(ValueError, match="Expected pattern of type <class 'str'> but received <class 'int'>"):
        Dataset.File.upload_directory(str(csv_dir), (ds, "ud"), pattern=5, show_progress=False)
    assert list(ds._blob_store().list_blobs(ds._container(), "ud")) == []


def test_paths_the_sdk_rejects(ws):
    from azureml.exceptions import UserErrorException

    ds = ws.get_default_datastore()
    with pytest.raises(UserErrorException, match="Invalid argument type for `path`"):
        Dataset.File.from_files(["https://example.com/a.csv", (ds, "a.csv")], validate=False)
    with pytest.raises(UserErrorException, match="Invalid tuple for path"):
        Dataset.File.from_files((ds, ["a.csv", "b.csv"]), validate=False)
    assert len(Dataset.File.from_files([(ds, "a.csv"), (ds, "b.csv")], validate=False)._definition["paths"]) == 2


def test_from_files_is_file_skips_validation_with_the_sdk_warning(ws):
    ds = ws.get_default_datastore()
    with pytest.warns(UserWarning, match="No validation will be performed because `is_file` is set to True."):
        fds = Dataset.File.from_files((ds, "not/there.csv"), is_file=True)
    assert fds._definition["paths"] == [{"datastore": ds.name, "path": "not/there.csv"}]
