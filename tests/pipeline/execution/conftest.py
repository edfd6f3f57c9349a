"""Fixtures for pipeline execution tests: hand-written definitions run by the real runner."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def runner_ws(ws):
    """The test workspace; its runner (started by the first submit) is stopped afterwards."""
    yield ws
    from azureml_local.service import control as service_control

    service_control.stop_service(ws)


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    return folder
