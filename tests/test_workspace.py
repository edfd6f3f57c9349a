import json
import os
from pathlib import Path

import pytest

from azureml.core import Workspace
from azureml.exceptions import UserErrorException, WorkspaceException


def test_from_config_in_current_folder(config_json):
    ws = Workspace.from_config()
    assert (ws.name, ws.subscription_id, ws.resource_group) == ("ws1", "sub-1", "rg-1")
    assert ws.location == "local"
    assert (ws._local_folder / "workspace.json").is_file()


def test_from_config_searches_dot_azureml_in_parents(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / ".azureml").mkdir(parents=True)
    (root / ".azureml" / "config.json").write_text(json.dumps(
        {"subscription_id": "s", "resource_group": "r", "workspace_name": "deep"}))
    nested = root / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert Workspace.from_config().name == "deep"


def test_from_config_explicit_file_path(tmp_path):
    f = tmp_path / "my.json"
    f.write_text(json.dumps({"subscription_id": "s", "resource_group": "r", "workspace_name": "byfile"}))
    assert Workspace.from_config(path=str(f)).name == "byfile"


def test_from_config_missing_says_how_to_create(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    with pytest.raises(UserErrorException) as info:
        Workspace.from_config()
    assert "could not be found" in info.value.message
    assert "azureml-local init" in info.value.message


def test_from_config_bad_json(tmp_path):
    f = tmp_path / "config.json"
    f.write_text("{not json")
    with pytest.raises(UserErrorException, match="not valid JSON"):
        Workspace.from_config(str(f))


def test_identity_persists_across_opens(config_json):
    a = Workspace.from_config()
    b = Workspace("sub-1", "rg-1", "ws1")
    assert a == b and a._workspace_id == b._workspace_id


def test_create_twice_raises_sdk_message():
    Workspace.create("dup", subscription_id="s", resource_group="r", show_output=False)
    with pytest.raises(WorkspaceException, match="Workspace with name 'dup' already exists under resource group"):
        Workspace.create("dup", subscription_id="s", resource_group="r")
    assert Workspace.create("dup", subscription_id="s", resource_group="r", exist_ok=True).name == "dup"


def test_strict_mode_refuses_unknown(monkeypatch):
    monkeypatch.setenv("AZUREML_LOCAL_STRICT_WORKSPACES", "1")
    with pytest.raises(WorkspaceException, match="Workspace not found"):
        Workspace("s", "r", "nope")


def test_write_config_round_trip(tmp_path):
    ws = Workspace.create("wcfg", subscription_id="s", resource_group="r", show_output=False)
    ws.write_config(path=str(tmp_path))
    data = json.loads((tmp_path / ".azureml" / "config.json").read_text())
    assert data == {"subscription_id": "s", "resource_group": "r", "workspace_name": "wcfg"}
    assert Workspace.from_config(str(tmp_path)) == ws


def test_home_env_moves_workspaces(local_home, config_json):
    ws = Workspace.from_config()
    assert str(ws._local_folder).startswith(str(local_home))


def test_repr_matches_sdk(config_json):
    assert repr(Workspace.from_config()) == "Workspace.create(name='ws1', subscription_id='sub-1', resource_group='rg-1')"


def test_bad_argument_types():
    with pytest.raises(UserErrorException):
        Workspace("s", None, "x")  # type: ignore[arg-type]


def test_list_finds_local_workspaces():
    Workspace.create("one", subscription_id="s", resource_group="r", show_output=False)
    Workspace.create("two", subscription_id="s", resource_group="r2", show_output=False)
    assert set(Workspace.list("s")) == {"one", "two"}
    assert set(Workspace.list("s", resource_group="r2")) == {"two"}


def test_default_compute_target_lookup(monkeypatch):
    from azureml.core.compute import AmlCompute, ComputeTarget

    ws = Workspace.create("dflt", subscription_id="s", resource_group="r", show_output=False)
    assert ws.get_default_compute_target("CPU") is None
    with pytest.raises(ValueError, match="Accepted values are CPU and GPU"):
        ws.get_default_compute_target("TPU")
    ComputeTarget.create(ws, "cpu-cluster", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=2))
    assert ws.get_default_compute_target("cpu").name == "cpu-cluster"
    monkeypatch.setenv("AZUREML_LOCAL_AUTO_CREATE_COMPUTE", "1")
    assert ws.get_default_compute_target("GPU").name == "gpu-cluster"


_SDK_NAME_MESSAGE = ("Workspace name must be between 3 and 33 characters long. Its first character has to be "
                     "alphanumeric, and the rest may contain hyphens and underscores. No whitespace is allowed.")


@pytest.mark.parametrize("make", [
    lambda: Workspace.create("bad name!", subscription_id="s", resource_group="r", show_output=False),
    lambda: Workspace.get("bad name!", subscription_id="s", resource_group="r"),
    lambda: Workspace("s", "r", "../x"),
])
def test_invalid_workspace_names_get_the_sdk_message_and_create_nothing(local_home, make):
    from azureml_local.home import workspace_folder

    with pytest.raises(UserErrorException) as info:
        make()
    assert info.value.message == _SDK_NAME_MESSAGE
    assert not workspace_folder("s", "r", "bad name!").exists() and not workspace_folder("s", "r", "../x").exists()
