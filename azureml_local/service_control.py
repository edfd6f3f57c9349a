"""Start, wake, inspect and stop a workspace's service process from user code.

``ensure_service(ws)`` starts the runner on demand (detached: it outlives the
submitting process) and ``wake(ws)`` nudges it with one UDP datagram after a
run was queued. ``service_status`` / ``stop_service`` back the
``azureml-local service status|stop`` CLI; ``stop_workspace_processes`` is used
by ``Workspace.delete``.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

_STARTING_GRACE = 5.0


def service_info(ws: "Workspace") -> dict | None:
    """``service.json`` of a live runner (None when none runs)."""
    from azureml_local.service.runner import pid_alive, read_info

    info = read_info(ws._local_folder)
    if info and pid_alive(info.get("pid")):
        return info
    return None


def ensure_service(ws: "Workspace", wait: bool = False, timeout: float = 10.0) -> dict | None:
    """Make sure the workspace runner is up; start it detached if needed.

    With ``wait=True`` block until it published ``service.json`` and return it.
    """
    info = service_info(ws)
    if info is None:
        _start(ws)
        if wait:
            deadline = time.monotonic() + timeout
            while info is None and time.monotonic() < deadline:
                time.sleep(0.02)
                info = service_info(ws)
    return info


def _start(ws: "Workspace") -> None:
    """Spawn the runner detached; ``service.starting`` (its pid) stops a burst of submits spawning many."""
    from azureml_local.service.runner import pid_alive

    folder = ws._local_folder
    marker = folder / "service.starting"
    try:
        starting_pid = int(marker.read_text())
        if pid_alive(starting_pid) and time.time() - marker.stat().st_mtime < _STARTING_GRACE:
            return  # a runner is starting right now; it will pick up the queue
    except (FileNotFoundError, ValueError):
        pass
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZUREML_") or k.startswith("AZUREML_LOCAL")}
    from azureml_local.home import local_home

    env["AZUREML_LOCAL_HOME"] = str(local_home().resolve())
    log = open(folder / "service.log", "ab")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "azureml_local.service.runner", ws.subscription_id,
                                 ws.resource_group, ws.name], cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, start_new_session=True, close_fds=True)
    finally:
        log.close()
    tmp = folder / f".service.starting.{os.getpid()}"
    tmp.write_text(str(proc.pid))
    os.replace(tmp, marker)


def wake(ws: "Workspace") -> None:
    """Tell the runner there is work (starting it when it is not running)."""
    info = ensure_service(ws)
    if info is None:
        return  # a fresh runner scans the queue when it starts
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(b"wake", ("127.0.0.1", int(info["udp_port"])))
    except (OSError, KeyError, ValueError):
        pass


def service_status(ws: "Workspace") -> dict[str, Any]:
    """What ``azureml-local service status`` prints: running?, pid, port, queued/active runs."""
    info = service_info(ws)
    queued = ws._store.query_one("SELECT COUNT(*) FROM run_queue")[0]
    active = 0
    if info:
        active = ws._store.query_one(
            "SELECT COUNT(*) FROM runs WHERE runner_pid=? AND status IN ('Starting','Running','Finalizing',"
            "'CancelRequested','Preparing','Queued')", (info["pid"],))[0]
    return {"running": info is not None, "pid": info and info.get("pid"), "udp_port": info and info.get("udp_port"),
            "started": info and info.get("started"), "queued_runs": queued, "active_runs": active,
            "workspace_folder": str(ws._local_folder)}


def stop_service(ws: "Workspace", timeout: float = 10.0) -> bool:
    """Stop the runner (SIGTERM, then SIGKILL after ``timeout``); True if one was running."""
    from azureml_local.service.runner import pid_alive

    info = service_info(ws)
    if info is None:
        return False
    pid = int(info["pid"])
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if pid_alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:  # reap it if we happen to be its parent
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
    return True


def stop_workspace_processes(ws: "Workspace") -> None:
    """Stop every long-lived process of the workspace: its runner, then its own Azurite (graceful).

    Used by ``Workspace.delete`` and ``azureml-local service stop``. An external Azurite or
    storage account (connection string) is never touched.
    """
    if (ws._local_folder / "service.json").exists():
        stop_service(ws)
    if (ws._local_folder / "azurite" / "instance.json").exists():
        from azureml_local.store.azurite import stop_azurite

        stop_azurite(ws._local_folder)


def stop_services_under(root: "os.PathLike[str] | str", timeout: float = 10.0) -> int:
    """Stop every workspace runner whose workspace lives under ``root`` (tests, ``azureml-local`` home cleanup)."""
    import json
    from pathlib import Path

    from azureml_local.service.runner import pid_alive

    stopped = 0
    for info_file in Path(root).glob("workspaces/*/*/*/service.json"):
        try:
            pid = int(json.loads(info_file.read_text())["pid"])
        except (OSError, ValueError, KeyError):
            continue
        if not pid_alive(pid):
            continue
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        stopped += 1
    return stopped
