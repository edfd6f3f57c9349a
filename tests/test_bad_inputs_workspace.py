"""Bad workspace ids are refused with the SDK's UserErrorException before any folder is made."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml_local.exceptions import UserErrorException


def folders(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for p in home.rglob("*")) if home.exists() else []


@pytest.mark.parametrize("group", ["../x", "..", ".", "ok.", "a" * 91, "a/b", "a\\b", "sp ace", "x\x00"])
def test_invalid_resource_group_is_refused_before_anything_is_written(local_home: Path, group: str) -> None:
    from azureml.core import Workspace

    with pytest.raises(UserErrorException, match="Invalid resource group name"):
        Workspace.get("wsx", subscription_id="sub-1", resource_group=group)
    with pytest.raises(UserErrorException, match="Invalid resource group name"):
        Workspace.create("wsx", subscription_id="sub-1", resource_group=group, show_output=False)
    assert folders(local_home) == []


@pytest.mark.parametrize("group", ["rg-1", "a" * 90, "my.group_(1)", "grüppe", "群组"])
def test_valid_resource_groups_are_accepted_and_never_share_a_folder(local_home: Path, group: str) -> None:
    from azureml.core import Workspace

    ws = Workspace.get("wsx", subscription_id="sub-1", resource_group=group)
    assert ws.resource_group == group
    other = Workspace.get("wsx", subscription_id="sub-1", resource_group="b" + group[1:])
    assert other._local_folder != ws._local_folder


@pytest.mark.parametrize("sub", ["..", "../x", "a/b", "", "x" * 101])
def test_invalid_subscription_ids_are_refused(local_home: Path, sub: str) -> None:
    from azureml.core import Workspace

    with pytest.raises(UserErrorException, match="subscription"):
        Workspace(sub, "rg", "wsx")
    assert folders(local_home) == []


@pytest.mark.parametrize("name", ["../x", "", "a" * 34, "ééé", 5, None])
def test_invalid_workspace_names_are_refused(local_home: Path, name) -> None:
    from azureml.core import Workspace

    with pytest.raises(UserErrorException, match="Workspace name|non-empty string"):
        Workspace.get(name, subscription_id="sub-1")
    assert folders(local_home) == []


def test_wrong_type_resource_group(local_home: Path) -> None:
    from azureml.core import Workspace

    with pytest.raises(UserErrorException, match="resource_group must be a non-empty string"):
        Workspace.get("wsx", subscription_id="sub-1", resource_group=5)
