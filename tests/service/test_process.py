"""The service process: its stable port, the host it listens on, foreground mode, and staying up.

An endpoint URL handed out must keep working after the service restarts, so the service binds
the workspace's recorded port and never another one; when something else holds that port it
says so in service.log and exits. Real processes and real sockets throughout.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from azureml.core.authentication import InteractiveLoginAuthentication
from azureml_local.exceptions import ProjectSystemException
from azureml_local.processes import pid_alive
from azureml_local.service import control, urls
from rest_helpers import publish_echo, start
from service_helpers import wait_gone


def _post(url: str) -> requests.Response:
    return requests.post(url, headers=InteractiveLoginAuthentication().get_authentication_header(),
                         json={"ExperimentName": "restart"}, timeout=30)


def test_an_endpoint_url_keeps_working_after_a_restart(ws, tmp_path: Path) -> None:
    published = publish_echo(ws, tmp_path / "echo")
    url = published.endpoint  # handed out before any service ran
    port = urls.service_port(ws)
    assert url.startswith(f"http://127.0.0.1:{port}/pipelines/v1.0/")
    first = start(ws)
    assert first["port"] == port
    assert _post(url).status_code == 200  # leaves a TIME_WAIT connection on the port
    control.stop_service(ws)
    with pytest.raises(requests.ConnectionError):
        _post(url)
    second = start(ws)
    assert second["pid"] != first["pid"] and second["port"] == port
    assert _post(url).status_code == 200
    assert (ws._local_folder / urls.PORT_FILE).read_text() == str(port)


def test_a_taken_port_fails_loudly_and_the_service_does_not_move(ws) -> None:
    port = urls.service_port(ws)
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", port))
    squatter.listen(1)
    try:
        with pytest.raises(ProjectSystemException) as raised:
            control.start_service(ws, timeout=20)
    finally:
        squatter.close()
    assert f"cannot listen on 127.0.0.1:{port}" in raised.value.message
    log = (ws._local_folder / "service.log").read_text()
    assert "does not move to another port" in log and "another process listens on it" in log
    assert control.service_info(ws) is None and control.service_processes(ws._local_folder) == []
    assert urls.service_port(ws) == port  # the recorded port stays: URLs handed out name it
    assert start(ws)["port"] == port  # once it is free again the service starts on it


def test_a_host_that_is_not_loopback_is_warned_about(ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(urls.HOST_ENV, "0.0.0.0")
    published = publish_echo(ws, tmp_path / "echo")
    info = start(ws)
    assert (info["host"], info["url"]) == ("0.0.0.0", f"http://127.0.0.1:{info['port']}")
    assert "WARNING: listening on 0.0.0.0, not on loopback" in (ws._local_folder / "service.log").read_text()
    assert _post(published.endpoint).status_code == 200  # loopback URLs still answer
    assert control.service_status(ws)["host"] == "0.0.0.0"


def test_by_default_the_service_listens_on_loopback_only(ws) -> None:
    import psutil

    info = start(ws)
    assert info["host"] == "127.0.0.1"
    assert "WARNING" not in (ws._local_folder / "service.log").read_text()
    listening = {(c.laddr.ip, c.laddr.port) for c in psutil.Process(info["pid"]).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN}
    assert listening == {("127.0.0.1", info["port"])}


def test_an_active_published_pipeline_keeps_the_service_up(ws, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZUREML_LOCAL_SERVICE_IDLE_SECONDS", "0.3")
    published = publish_echo(ws, tmp_path / "echo")
    info = start(ws)
    time.sleep(2.0)  # several idle periods
    assert pid_alive(info["pid"]) and control.service_info(ws) is not None
    assert _post(published.endpoint).status_code == 200  # not "connection refused"
    published.disable()  # nothing keeps it up any more: it exits idle once the run is done
    assert wait_gone(info["pid"], timeout=60)


def test_a_deleted_workspace_folder_ends_the_service_despite_an_active_pipeline(ws, tmp_path: Path,
                                                                              delete_in_use) -> None:
    publish_echo(ws, tmp_path / "echo")
    info = start(ws)
    delete_in_use(ws._local_folder)
    assert wait_gone(info["pid"], timeout=20)
    assert not ws._local_folder.exists()  # the exiting service brought nothing back


def test_foreground_runs_in_the_terminal_never_exits_idle_and_stops_on_ctrl_c(ws, tmp_path: Path) -> None:
    ws.write_config(path=str(tmp_path))
    env = {**os.environ, "AZUREML_LOCAL_SERVICE_IDLE_SECONDS": "0.3"}
    command = [sys.executable, "-m", "azureml_local.cli", "service", "start", "--foreground", "--path", str(tmp_path)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while control.service_info(ws) is None and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        info = control.service_info(ws)
        assert info is not None and info["pid"] == proc.pid  # the CLI became the service (exec)
        assert info["idle_exit"] is False
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        assert again.returncode == 2 and "already runs" in again.stderr
        time.sleep(1.5)
        assert proc.poll() is None  # no idle exit in the foreground
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        assert proc.wait(timeout=20) == 0
        assert not (ws._local_folder / "service.json").exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_service_in_a_container_is_found_by_its_port_and_not_signalled(ws) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    info = {"pid": os.getpid(), "hostname": "a-container", "port": listener.getsockname()[1],
            "url": f"http://127.0.0.1:{listener.getsockname()[1]}"}
    (ws._local_folder / "service.json").write_text(json.dumps(info))
    try:
        assert control.service_info(ws) == info
        with pytest.raises(ProjectSystemException, match="runs on host 'a-container'"):
            control.stop_service(ws)
    finally:
        listener.close()
    assert control.service_info(ws) is None  # its port no longer answers: gone
    (ws._local_folder / "service.json").unlink()


def test_a_kept_alive_connection_answers_without_the_delayed_ack_stall(ws) -> None:
    """TCP_NODELAY on the service's sockets: without it each request on a session took >= 40 ms."""
    import statistics

    info = start(ws)
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {info['token']}"
        times = []
        for _ in range(15):
            began = time.perf_counter()
            assert session.get(f"{info['url']}/health", timeout=30).status_code == 200
            times.append(time.perf_counter() - began)
    assert statistics.median(times) < 0.030, times
