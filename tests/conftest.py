"""Fixtures of the unit/integration tests (isolation fixtures live in the root conftest.py)."""
from __future__ import annotations

import errno
import json
import shutil
import time
from pathlib import Path
from typing import Callable

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


@pytest.fixture(scope="session", autouse=True)
def _no_process_left_behind(azurite_session, azureml_session_guard):
    """At the end of the session: no workspace service or Azurite started from a test's folder is alive.

    Each test's services are stopped after it (the plugin's ``azureml_local_home``); the plugin's
    ``azureml_session_guard`` proves that held, and stops and names whatever did not, so a leak fails
    the run instead of idling for ten minutes. Requested here too so that it holds for every test.
    """
    yield


# -- published pipelines to schedule (tests/pipeline/scheduling, tests/service/test_scheduler.py) --
@pytest.fixture
def published(ws, tmp_path: Path):
    """A published one-step pipeline whose step prints its arguments (a ``rate`` parameter)."""
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    folder = tmp_path / "scheduled"
    folder.mkdir()
    (folder / "show.py").write_text("import sys\nprint('ARGV', sys.argv[1:])\n")
    rate = PipelineParameter("rate", default_value=0.5)
    step = PythonScriptStep("show.py", name="show", source_directory=str(folder), compute_target="local",
                            arguments=["--rate", rate], allow_reuse=False)
    return Pipeline(ws, steps=[step]).publish(name="scheduled", description="for schedules")


@pytest.fixture
def landing_pipeline(ws, tmp_path: Path):
    """A published pipeline with a DataPath parameter ``input_path`` whose step prints the file it got."""
    from azureml.data.datapath import DataPath, DataPathComputeBinding
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    folder = tmp_path / "landing"
    folder.mkdir()
    (folder / "read.py").write_text("import sys\nprint('GOT', open(sys.argv[1]).read())\n")
    store = ws.get_default_datastore()
    path = PipelineParameter("input_path", default_value=DataPath(store, "landing/seed.csv"))
    path_input = (path, DataPathComputeBinding(mode="download"))
    step = PythonScriptStep("read.py", name="read", source_directory=str(folder), compute_target="local",
                            arguments=[path_input], inputs=[path_input], allow_reuse=False)
    return Pipeline(ws, steps=[step]).publish(name="on-landing")


@pytest.fixture
def delete_in_use() -> Callable[[Path], None]:
    """Delete a folder a process may still write into (a service, Azurite's 5 s autosave), as ``rm -rf``
    does: what the process removed meanwhile is not an error, and when a file appeared between listing
    and removing ("Directory not empty") the user runs it again."""

    def skip_vanished(function, path, exc_info) -> None:
        if not issubclass(exc_info[0], FileNotFoundError):
            raise exc_info[1]

    def delete(folder: Path, timeout: float = 5) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                shutil.rmtree(folder, onerror=skip_vanished)
                return
            except OSError as exc:
                if exc.errno != errno.ENOTEMPTY or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    return delete
