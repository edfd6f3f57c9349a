"""Registration management on datasets behaves as the SDK's (in-place updates, unregistered datasets)."""
from __future__ import annotations

from azureml.core import Dataset
from azureml.exceptions import UserErrorException


def test_update_and_tags_refresh_the_dataset_itself(ws, store):
    ds = Dataset.Tabular.from_delimited_files((store, "data/2023/01/a.csv")).register(ws, "scores")
    ds.update(description="new")
    assert ds.description == "new"
    ds.add_tags({"a": "1"})
    assert ds.tags == {"a": "1"}
    ds.remove_tags(["a"])
    assert ds.tags == {}
    ds.unregister_all_versions()
    assert ds.name is None and "scores" not in ws.datasets


def test_unregistered_dataset_management_returns_the_sdk_error(ws, store):
    ds = Dataset.Tabular.from_delimited_files((store, "data/2023/01/a.csv"))
    # The SDK returns (does not raise) these errors, and unregistering is a no-op.
    for result, action in [(ds.update(description="x"), "update this dataset"),
                           (ds.add_tags({"a": "b"}), "add tags to this dataset"),
                           (ds.remove_tags(["a"]), "remove tags from this dataset")]:
        assert isinstance(result, UserErrorException)
        assert result.message == f"To {action} it must be registered."
    assert ds.unregister_all_versions() is None
