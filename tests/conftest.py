"""Fixtures of the unit/integration tests (isolation fixtures live in the root conftest.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def config_json(local_home: Path) -> Path:
    """A cloud-style config.json in the current folder."""
    path = Path("config.json")
    path.write_text(json.dumps({"subscription_id": "sub-1", "resource_group": "rg-1",
                                "workspace_name": "ws1"}))
    return path.resolve()


@pytest.fixture
def ws(config_json: Path):
    from azureml.core import Workspace

    return Workspace.from_config()
