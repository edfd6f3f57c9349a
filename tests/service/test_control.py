"""Starting, waking, inspecting and stopping a workspace's service from a user process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from azureml_local.processes import pid_alive
from azureml_local.status import TERMINAL_STATES
from azureml_local.store.runs import new_run_id
from azureml_local.service import control
from service_helpers import sleeper, wait_gone, wait_running_with_pid, wait_status


def test_ensure_service_starts_one_and_status_reports_it(ws) -> None:
    assert control.service_status(ws)["running"] is False
    info = control.ensure_service(ws, wait=True)
    status = control.service_status(ws)
    assert status["running"] and status["responding"]
    assert (status["pid"], status["url"]) == (info["pid"], info["url"])
    assert (status["queued_runs"], status["active_runs"]) == (0, 0)
    assert not (ws._local_folder / "service.starting").exists()  # the service withdrew the start marker


def test_one_service_per_workspace(ws) -> None:
    first = control.ensure_service(ws, wait=True)
    extra = subprocess.run([sys.executable, "-m", "azureml_local.service", str(ws._local_folder)], timeout=30,
                           env=os.environ)
    assert extra.returncode == 0  # saw a live service and left
    assert control.service_info(ws)["pid"] == first["pid"]
    assert len(control.service_processes(ws._local_folder)) == 1


def test_the_entry_point_refuses_a_folder_without_a_workspace(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "azureml_local.service", str(tmp_path)], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2 and "workspace.json" in result.stderr


def test_wake_runs_a_queued_run_whose_handler_the_queue_row_names(ws, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    control.ensure_service(ws, wait=True)  # already serving: only the wake gets the run claimed at once
    (tmp_path / "tests_handler_module.py").write_text(
        "import json\n"
        "def handle(ctx, run_id):\n"
        "    row = ctx.runs.run(run_id)\n"
        "    open(json.loads(row['definition'])['marker'], 'w').write(type(ctx).__name__)\n"
        "    ctx.runs.set_status(run_id, 'Completed')\n")
    marker = tmp_path / "handled.txt"
    monkeypatch.setenv("PYTHONPATH", str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    control.stop_service(ws)  # the service imports the handler module: start it with the new path
    control.ensure_service(ws, wait=True)
    run_id = ws._context.runs.create_run("custom", new_run_id(), run_type="test.CustomRun", status="Queued",
                                         definition={"marker": str(marker)},
                                         enqueue_handler="tests_handler_module:handle")
    start = time.monotonic()
    control.wake(ws)
    assert wait_status(ws, run_id, TERMINAL_STATES) == "Completed"
    assert time.monotonic() - start < 0.9  # woken, not found by the 1 s queue scan
    assert marker.read_text() == "WorkspaceContext"


def test_a_run_of_an_unknown_type_fails_with_a_clear_error(ws) -> None:
    run_id = ws._context.runs.create_run("custom", new_run_id(), run_type="nobody.Handles", status="Queued",
                                         enqueue_handler="")
    control.wake(ws)
    assert wait_status(ws, run_id, TERMINAL_STATES) == "Failed"
    error = ws._context.runs.error(run_id)
    assert "No handler is registered for run type 'nobody.Handles'" in error["error"]["message"]


def test_a_refused_published_token_falls_back_to_a_signed_one(ws) -> None:
    info = control.ensure_service(ws, wait=True)
    status, body = control.request(ws, "GET", "/health", {**info, "token": "expired-or-garbage"})
    assert status == 200 and body["pid"] == info["pid"]


def test_stop_service_fails_running_runs(ws, tmp_path: Path) -> None:
    from azureml.core import Experiment, ScriptRunConfig

    run = Experiment(ws, "stop").submit(ScriptRunConfig(str(sleeper(tmp_path)), "train.py"))
    wait_running_with_pid(ws, run.id)
    control.ensure_service(ws, wait=True)
    assert control.service_status(ws)["active_runs"] == 1
    assert control.stop_service(ws) is True
    assert ws._context.runs.status(run.id) == "Failed"
    assert control.service_status(ws)["running"] is False
    assert not (ws._local_folder / "service.json").exists()
    assert control.stop_service(ws) is False


def test_exits_when_idle(ws, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZUREML_LOCAL_SERVICE_IDLE_SECONDS", "0.3")
    info = control.ensure_service(ws, wait=True)
    assert wait_gone(info["pid"])
    assert control.service_info(ws) is None


def test_restart_right_after_stop(ws) -> None:
    first = control.ensure_service(ws, wait=True)
    control.stop_service(ws)
    second = control.ensure_service(ws, wait=True, timeout=10)
    assert second is not None and second["pid"] != first["pid"]


def test_workspace_delete_stops_the_service(ws) -> None:
    info = control.ensure_service(ws, wait=True)
    ws.delete()
    assert not pid_alive(info["pid"])


def test_stop_services_under_finds_services_still_starting(ws, local_home: Path) -> None:
    control.ensure_service(ws)  # no wait: it may not have published service.json yet
    deadline = time.monotonic() + 10
    while not control.service_processes(ws._local_folder) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert control.stop_services_under(local_home) == 1
    assert control.service_processes(ws._local_folder) == []


def test_cli_service_start_status_stop(ws, capsys: pytest.CaptureFixture) -> None:
    from azureml_local.cli import main

    ws.write_config()
    assert main(["service", "start"]) == 0
    started = json.loads(capsys.readouterr().out)
    assert started["running"] and started["responding"]
    assert main(["service", "status"]) == 0
    assert json.loads(capsys.readouterr().out)["pid"] == started["pid"]
    assert main(["service", "stop"]) == 0
    assert capsys.readouterr().out.strip() == "stopped"
    assert not pid_alive(started["pid"])


def test_ensure_listening_makes_a_cold_endpoint_url_answer_at_once(ws, tmp_path: Path) -> None:
    import requests

    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml_local.service import urls
    from rest_helpers import publish_echo

    published = publish_echo(ws, tmp_path / "echo")
    control.stop_service(ws)
    assert control.service_info(ws) is None
    control.ensure_listening(ws)  # what handing out an endpoint URL should call
    response = requests.post(urls.published_pipeline_url(ws, published.id), json={"ExperimentName": "cold"},
                             headers=InteractiveLoginAuthentication().get_authentication_header(), timeout=60)
    assert response.status_code == 200, response.text
    started = time.monotonic()
    control.ensure_listening(ws)  # a running service: returns at once
    assert time.monotonic() - started < 0.5
