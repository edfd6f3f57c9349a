"""Fixtures of the compat tests (isolation fixtures live in the root conftest.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def ws(local_home: Path):
    """The workspace of a config.json in the current folder, as a notebook would have it."""
    from azureml.core import Workspace

    Path("config.json").write_text(json.dumps({"subscription_id": "sub-compat", "resource_group": "rg-compat",
                                               "workspace_name": "compat"}))
    return Workspace.from_config()


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow(reason): a test that waits in real time on purpose (the reason says why)")
