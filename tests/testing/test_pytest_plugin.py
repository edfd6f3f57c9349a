"""The pytest plugin, used the way a user's project uses it: inner pytest sessions in subprocesses.

Each inner session runs from a temporary project folder (not this repository's conftest files) with
only the ``pytest11`` entry point loading the plugin, so what is proven is what installing the
package gives a user.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from azureml_local.processes import pid_alive


def run_pytest(project: Path, files: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    project.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (project / name).write_text(textwrap.dedent(text))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZUREML_LOCAL") and not k.startswith("PYTEST")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA",
                           "--basetemp", str(project / "basetemp"), *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_entry_point_loads_the_plugin_once(request: pytest.FixtureRequest) -> None:
    import azureml_local.testing.pytest_plugin as plugin

    manager = request.config.pluginmanager
    assert manager.get_plugin("azureml_local") is plugin
    assert [p for p in manager.get_plugins() if p is plugin] == [plugin]


def test_workspace_fixtures_isolate_and_clean_up(tmp_path: Path) -> None:
    result = run_pytest(tmp_path / "project", {
        "conftest.py": """
            import pytest

            @pytest.fixture(scope="session")
            def azureml_workspace_identity():
                return {"workspace_name": "ci-ws"}
        """,
        "test_user.py": """
            import os
            from pathlib import Path

            import pytest
            from azureml.core import Workspace

            HOMES = []

            def test_function_workspace(azureml_workspace, azureml_local_home):
                assert azureml_workspace.name == "ci-ws"
                assert Workspace.from_config() == azureml_workspace
                assert azureml_workspace._local_folder.is_relative_to(azureml_local_home)
                assert os.environ["AZUREML_LOCAL_HOME"] == str(azureml_local_home)
                HOMES.append(azureml_local_home)

            def test_previous_home_was_removed():
                assert HOMES and not HOMES[0].exists()

            def test_session_workspace_is_shared(azureml_session_workspace):
                assert azureml_session_workspace.name == "ci-ws"
                HOMES.append(azureml_session_workspace)

            def test_same_session_workspace(azureml_session_workspace):
                assert azureml_session_workspace is HOMES[-1]

            @pytest.mark.azureml_blob_backend("folder")
            def test_marker_selects_the_folder_backend(azureml_workspace):
                from azureml_local.store.blobs.folder import FolderBlobStore
                assert isinstance(azureml_workspace._context.blobs, FolderBlobStore)
        """,
    }, "--azureml-blob-backend", "folder")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


def test_runs_finished_fails_a_test_that_leaves_a_run_active(tmp_path: Path) -> None:
    result = run_pytest(tmp_path / "project", {"test_runs.py": """
        from azureml.core import Experiment

        def test_forgets_to_complete(azureml_workspace, azureml_runs_finished):
            Experiment(azureml_workspace, "forgotten").start_logging()

        def test_completes(azureml_workspace, azureml_runs_finished):
            run = Experiment(azureml_workspace, "done").start_logging()
            run.complete()
            azureml_runs_finished()  # waiting mid-test works too
    """}, "--azureml-blob-backend", "folder", "--azureml-run-timeout", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed, 1 error" in result.stdout  # the test body passed, its teardown failed
    assert "ERROR at teardown of test_forgets_to_complete" in result.stdout
    assert "were still active after 1 s" in result.stdout and "experiment 'forgotten'" in result.stdout


def test_a_process_left_behind_fails_the_session_and_is_stopped(tmp_path: Path) -> None:
    pid_file = tmp_path / "leaked.pid"
    result = run_pytest(tmp_path / "project", {"test_leak.py": f"""
        import subprocess, sys

        def test_leaks(azureml_local_home):
            # looks like a workspace service of a folder that is not a workspace: nothing stops it
            folder = azureml_local_home.parent / "not-a-workspace"
            proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "-m",
                                     "azureml_local.service", str(folder)], start_new_session=True)
            open({str(pid_file)!r}, "w").write(str(proc.pid))
    """}, "--azureml-blob-backend", "folder")
    pid = int(pid_file.read_text())
    assert not pid_alive(pid)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The tests left 1 process(es) running under" in result.stdout
    assert f"pid {pid} [azureml_local.service]" in result.stdout


def test_logs_dir_keeps_run_logs_and_azurite_backend_works(tmp_path: Path) -> None:
    result = run_pytest(tmp_path / "project", {"test_logs.py": """
        import os
        from pathlib import Path
        from azureml.core import Experiment, ScriptRunConfig

        def test_submits(azureml_workspace, azureml_runs_finished, tmp_path):
            assert os.environ["AZUREML_LOCAL_STORAGE_CONNECTION_STRING"]  # the session's Azurite
            (tmp_path / "say.py").write_text("print('LOGGED LINE')")
            config = ScriptRunConfig(str(tmp_path), "say.py", compute_target="local")
            config.run_config.environment.python.user_managed_dependencies = True
            run = Experiment(azureml_workspace, "logs").submit(config)
            assert run.wait_for_completion()["status"] == "Completed"
            azureml_workspace.get_default_datastore().upload_files([str(tmp_path / "say.py")], target_path="x")
    """}, "--azureml-logs-dir", str(tmp_path / "artifacts"))
    assert result.returncode == 0, result.stdout + result.stderr
    logs = list((tmp_path / "artifacts").rglob("std_log.txt"))
    assert len(logs) == 1 and "LOGGED LINE" in logs[0].read_text()
    assert "test_logs.py_test_submits" in str(logs[0])  # one folder per test id
    assert list((tmp_path / "artifacts").rglob("service.log"))
