"""Bad names and paths given to datastores and datasets: the SDK's error, nothing written."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.exceptions import UserErrorException


@pytest.fixture
def store(ws):
    return ws.get_default_datastore()


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "src" / "f.txt"
    path.parent.mkdir()
    path.write_text("payload")
    return path


def blob_names(store) -> list[str]:
    return sorted(b.name for b in store._blob_store().list_blobs(store._container()))


@pytest.mark.parametrize("target", ["../../x", "a/../../b", "..", "a\\..\\b"])
def test_upload_refuses_traversal_in_target_path(store, a_file: Path, target: str) -> None:
    before = blob_names(store)
    with pytest.raises(UserErrorException, match="'..' segments are not allowed"):
        store.upload(str(a_file.parent), target_path=target, show_progress=False)
    with pytest.raises(UserErrorException, match="'..' segments are not allowed"):
        store.upload_files([str(a_file)], target_path=target, show_progress=False)
    assert blob_names(store) == before


def test_upload_keeps_the_sdks_leading_dot_slash_stripping(store, a_file: Path) -> None:
    store.upload_files([str(a_file)], target_path="./kept", show_progress=False)
    assert "kept/f.txt" in blob_names(store)


def test_upload_target_path_wrong_type_and_too_long(store, a_file: Path) -> None:
    before = blob_names(store)
    with pytest.raises(TypeError, match="target_path must be a string"):
        store.upload_files([str(a_file)], target_path=5, show_progress=False)
    with pytest.raises(UserErrorException, match="1 to 1024 characters"):
        store.upload_files([str(a_file)], target_path="a" * 1100, show_progress=False)
    assert blob_names(store) == before


def test_non_ascii_target_path_round_trips(store, a_file: Path, tmp_path: Path) -> None:
    store.upload_files([str(a_file)], target_path="données/日本", show_progress=False)
    assert store.download(str(tmp_path / "out"), prefix="données/", show_progress=False) == 1
    assert (tmp_path / "out" / "données" / "日本" / "f.txt").read_text() == "payload"


def test_download_with_a_traversal_prefix_finds_nothing_outside_the_container(store, a_file: Path,
                                                                               tmp_path: Path) -> None:
    store.upload_files([str(a_file)], target_path="in", show_progress=False)
    assert store.download(str(tmp_path / "dl"), prefix="../", show_progress=False) == 0
    assert store.download(str(tmp_path / "dl2"), prefix="in/../..", show_progress=False) == 0
    assert not any((tmp_path / "dl").rglob("*")) and not any((tmp_path / "dl2").rglob("*"))


@pytest.mark.parametrize("target", [None, 5])
def test_download_target_wrong_type(store, target) -> None:
    with pytest.raises(TypeError):
        store.download(target, show_progress=False)


@pytest.mark.parametrize("name", ["../x", "", "a" * 256, "naïve", "with space", 5])
def test_datastore_names_are_checked_on_register(ws, name) -> None:
    from azureml.core import Datastore

    before = set(ws.datastores)
    with pytest.raises(UserErrorException, match="Invalid datastore name"):
        Datastore.register_azure_blob_container(ws, name, "container-1", "account", account_key="key")
    assert set(ws.datastores) == before


@pytest.mark.parametrize("name", ["../x", "", "naïve", 5, None])
def test_datastore_get_of_a_bad_name_is_a_user_error(ws, name) -> None:
    from azureml.core import Datastore

    with pytest.raises(UserErrorException):
        Datastore.get(ws, name)


@pytest.mark.parametrize("name", ["", 5, None])
def test_dataset_register_needs_a_name(ws, store, a_file: Path, name) -> None:
    from azureml.core import Dataset

    store.upload_files([str(a_file)], target_path="ds", show_progress=False)
    dataset = Dataset.File.from_files((store, "ds/f.txt"))
    with pytest.raises(UserErrorException, match="dataset name must be a non-empty string"):
        dataset.register(ws, name)
    assert ws.datasets == {}


@pytest.mark.parametrize("name", ["../x", "données"])
def test_dataset_names_with_slashes_or_non_ascii_stay_names(ws, store, a_file: Path, name: str) -> None:
    """Azure accepts them; they are database keys here, never paths: nothing is created on disk."""
    from azureml.core import Dataset

    store.upload_files([str(a_file)], target_path="ds", show_progress=False)
    before = sorted(p.name for p in ws._local_folder.parent.iterdir())
    Dataset.File.from_files((store, "ds/f.txt")).register(ws, name)
    assert Dataset.get_by_name(ws, name).name == name
    assert sorted(p.name for p in ws._local_folder.parent.iterdir()) == before
