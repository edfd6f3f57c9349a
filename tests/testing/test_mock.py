"""``mock_workspace``: a fresh workspace in a temporary home, everything it started stopped, then removed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import azureml_local
from azureml_local.processes import pid_alive
from azureml_local.service.control import service_processes
from azureml_local.testing.mock import mock_workspace
from azureml_local.testing.runs import RunsStillActive
from azureml_local.workspace import CONFIG_ENV


def test_the_block_gets_its_own_workspace_and_leaves_nothing(tmp_path: Path) -> None:
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

    before = dict(os.environ)
    (tmp_path / "hello.py").write_text("print('hello from the mock')\n")
    with azureml_local.mock_workspace(blob_backend="folder") as ws:
        home = Path(os.environ["AZUREML_LOCAL_HOME"])
        assert Workspace.from_config() == ws and ws._local_folder.is_relative_to(home)
        config = ScriptRunConfig(str(tmp_path), "hello.py", compute_target="local",
                                 environment=Environment("user-managed-env"))
        config.run_config.environment.python.user_managed_dependencies = True
        run = Experiment(ws, "in-mock").submit(config)
        assert run.wait_for_completion()["status"] == "Completed"
        pids = [proc.pid for proc in service_processes(ws._local_folder)]
        assert pids and all(pid_alive(pid) for pid in pids)
    assert not any(pid_alive(pid) for pid in pids)
    assert not home.exists()
    assert dict(os.environ) == before
    assert Path.cwd() != home  # the current folder was never changed


def test_decorator_gives_each_call_a_fresh_workspace() -> None:
    seen = []

    @mock_workspace(blob_backend="folder", workspace_name="decorated")
    def job(label: str) -> str:
        from azureml.core import Workspace

        ws = Workspace.from_config()
        seen.append(ws._local_folder)
        return f"{label}:{ws.name}"

    assert job.__name__ == "job"
    assert job("a") == "a:decorated" and job("b") == "b:decorated"
    assert seen[0] != seen[1] and not any(folder.exists() for folder in seen)
    assert CONFIG_ENV not in os.environ


def test_runs_left_active_fail_the_block_when_asked_to_wait() -> None:
    from azureml.core import Experiment

    with pytest.raises(RunsStillActive, match=r"1 run\(s\) of workspace 'test-workspace' were still active"):
        with mock_workspace(blob_backend="folder", wait_for_runs=0.5) as ws:
            Experiment(ws, "forgotten").start_logging()  # never completed
    assert CONFIG_ENV not in os.environ


def test_logs_are_kept_when_asked(tmp_path: Path) -> None:
    from azureml.core import Experiment, ScriptRunConfig

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "say.py").write_text("print('KEEP ME')\n")
    with mock_workspace(blob_backend="folder", logs_dir=tmp_path / "logs") as ws:
        config = ScriptRunConfig(str(tmp_path / "src"), "say.py", compute_target="local")
        config.run_config.environment.python.user_managed_dependencies = True
        Experiment(ws, "kept").submit(config).wait_for_completion()
    logs = list((tmp_path / "logs").rglob("std_log.txt"))
    assert logs and "KEEP ME" in logs[0].read_text()


def test_an_active_mock_cannot_be_started_twice() -> None:
    mock = mock_workspace(blob_backend="folder")
    with mock:
        with pytest.raises(RuntimeError, match="already active"):
            mock.start()
