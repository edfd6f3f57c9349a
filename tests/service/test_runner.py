"""The workspace runner process: one per workspace, orphan recovery, stop, handler registry."""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from azureml.core import Experiment, ScriptRunConfig
from azureml_local import service_control
from azureml_local.status import TERMINAL_STATES
from azureml_local.store.runs import new_run_id
from azureml_local.service import handlers
from azureml_local.service.runner import pid_alive


def _wait_status(ws, run_id: str, wanted: tuple[str, ...], timeout: float = 20) -> str:
    deadline = time.time() + timeout
    status = ws._context.runs.status(run_id)
    while status not in wanted and time.time() < deadline:
        time.sleep(0.02)
        status = ws._context.runs.status(run_id)
    return status


def _sleeper(tmp_path: Path, seconds: int = 60) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "train.py").write_text(f"import time\nprint('up', flush=True)\ntime.sleep({seconds})\n")
    return src


def test_runner_killed_mid_run_ends_the_run_failed(ws, tmp_path: Path) -> None:
    run = Experiment(ws, "orphan").submit(ScriptRunConfig(str(_sleeper(tmp_path)), "train.py"))
    assert _wait_status(ws, run.id, ("Running",)) == "Running"
    info = service_control.service_info(ws)
    script_pid = ws._context.runs.run(run.id)["pid"]
    os.kill(info["pid"], signal.SIGKILL)
    details = run.wait_for_completion(raise_on_error=False)  # must not hang
    assert details["status"] == "Failed"
    assert "stopped unexpectedly" in details["error"]["error"]["message"]
    deadline = time.time() + 5
    while pid_alive(script_pid) and time.time() < deadline:
        time.sleep(0.02)
    assert not pid_alive(script_pid)  # leftover script process was killed


def test_stop_service_fails_running_runs_and_status_reports(ws, tmp_path: Path) -> None:
    run = Experiment(ws, "stop").submit(ScriptRunConfig(str(_sleeper(tmp_path)), "train.py"))
    assert _wait_status(ws, run.id, ("Running",)) == "Running"
    status = service_control.service_status(ws)
    assert status["running"] and status["active_runs"] == 1
    assert service_control.stop_service(ws) is True
    assert ws._context.runs.status(run.id) == "Failed"
    assert service_control.service_status(ws)["running"] is False
    assert not (ws._local_folder / "service.json").exists()
    assert service_control.stop_service(ws) is False


def test_one_runner_per_workspace(ws) -> None:
    first = service_control.ensure_service(ws, wait=True)
    assert first is not None
    import subprocess
    import sys

    extra = subprocess.run([sys.executable, "-m", "azureml_local.service.runner", ws.subscription_id,
                            ws.resource_group, ws.name], timeout=30, env=os.environ)
    assert extra.returncode == 0  # saw a live runner and left
    assert service_control.service_info(ws)["pid"] == first["pid"]


def test_runner_exits_when_idle(ws, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZUREML_LOCAL_SERVICE_IDLE_SECONDS", "0.3")
    info = service_control.ensure_service(ws, wait=True)
    deadline = time.time() + 10
    while pid_alive(info["pid"]) and time.time() < deadline:
        time.sleep(0.05)
    assert not pid_alive(info["pid"])
    assert service_control.service_info(ws) is None


def test_custom_handler_named_in_queue_row(ws, tmp_path: Path) -> None:
    marker = tmp_path / "handled.json"
    run_id = ws._context.runs.create_run("custom", new_run_id(), run_type="test.CustomRun", status="Queued",
                                definition={"marker": str(marker)},
                                enqueue_handler="tests_handler_module:handle")
    (tmp_path / "tests_handler_module.py").write_text(
        "import json\n"
        "def handle(ws, run_id):\n"
        "    row = ws._context.runs.run(run_id)\n"
        "    open(json.loads(row['definition'])['marker'], 'w').write(run_id)\n"
        "    ws._context.runs.set_status(run_id, 'Completed')\n")
    os.environ["PYTHONPATH"] = str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", "")
    try:
        service_control.wake(ws)
        assert _wait_status(ws, run_id, TERMINAL_STATES) == "Completed"
    finally:
        os.environ["PYTHONPATH"] = os.environ["PYTHONPATH"].split(os.pathsep, 1)[1]
    assert marker.read_text() == run_id


def test_unknown_handler_fails_the_run_with_a_clear_error(ws) -> None:
    run_id = ws._context.runs.create_run("custom", new_run_id(), run_type="nobody.Handles", status="Queued", enqueue_handler="")
    service_control.wake(ws)
    assert _wait_status(ws, run_id, TERMINAL_STATES) == "Failed"
    error = json.loads(ws._context.runs.run(run_id)["error"])
    assert "No handler is registered for run type 'nobody.Handles'" in error["error"]["message"]


def test_register_run_handler_resolves_strings_and_callables() -> None:
    def fn(ws, run_id):  # pragma: no cover - only resolved
        return None

    handlers.register_run_handler("test.Callable", fn)
    assert handlers.get_run_handler("test.Callable") is fn
    assert handlers.get_run_handler("x", "os.path:join") is os.path.join
    with pytest.raises(LookupError, match="register_run_handler"):
        handlers.get_run_handler("not.registered")


def test_restart_right_after_stop(ws) -> None:
    first = service_control.ensure_service(ws, wait=True)
    assert not (ws._local_folder / "service.starting").exists()  # the runner withdrew the start marker
    service_control.stop_service(ws)
    second = service_control.ensure_service(ws, wait=True, timeout=10)
    assert second is not None and second["pid"] != first["pid"]


def test_workspace_delete_stops_the_runner(ws) -> None:
    info = service_control.ensure_service(ws, wait=True)
    ws.delete()
    assert not pid_alive(info["pid"])
