"""Fixtures of the compat tests: the project's own pytest plugin's (dogfooding; docs/testing.md).

Isolation is the root conftest.py's (the plugin's ``azureml_local_home``); the workspace is the plugin's
``azureml_workspace`` under the compat ids below, whose ``config.json`` ``Workspace.from_config()`` finds
from the test's current folder as a notebook would.
"""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def azureml_workspace_identity() -> dict:
    """The compat tests' workspace ids (published endpoint URLs name them: test_seed_publish.py)."""
    return {"subscription_id": "sub-compat", "resource_group": "rg-compat", "workspace_name": "compat"}


@pytest.fixture
def ws(azureml_workspace):
    """The workspace of the test's config.json, as a notebook would have it."""
    return azureml_workspace


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow(reason): a test that waits in real time on purpose (the reason says why)")
