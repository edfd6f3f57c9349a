"""Start, wake, inspect and stop a workspace's service from user processes.

``ensure_service`` starts the service on demand (detached: it outlives the submitting
process), ``ensure_listening`` also waits until its port takes connections (endpoint URLs),
``wake`` tells it a run was queued (``POST /wake``), ``service_status`` and ``stop_service``
back ``azureml-local service status|stop``, ``stop_workspace_processes`` is
``Workspace.delete``'s. Standard library only (``http.client``, imported when a request is
actually sent): user processes never load the service's web stack.

All take an SDK ``Workspace`` or a ``WorkspaceContext``.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from azureml_local.context import as_context
from azureml_local.exceptions import ProjectSystemException
from azureml_local.home import local_home
from azureml_local.processes import pid_alive, terminate
from azureml_local.service.info import INFO_FILE, STARTING_FILE, is_live, on_this_host, read_info, write_private
from azureml_local.service.urls import service_port
from azureml_local.tokens import issue_token

SERVICE_MODULE = "azureml_local.service"
_STARTING_GRACE = 5.0
_REQUEST_TIMEOUT = 5.0


def service_info(ws: Any) -> dict | None:
    """``service.json`` of a live service (None when none runs)."""
    info = read_info(as_context(ws).folder)
    return info if is_live(info) else None


def ensure_service(ws: Any, wait: bool = False, timeout: float = 10.0) -> dict | None:
    """Make sure the workspace's service is up, starting it detached if needed.

    With ``wait=True`` block until it accepts requests and return its ``service.json``.
    """
    ctx = as_context(ws)
    info = service_info(ctx)
    if info is None:
        _start(ctx)
        if wait:
            deadline = time.monotonic() + timeout
            while info is None and time.monotonic() < deadline:
                time.sleep(0.02)
                info = service_info(ctx)
    return info


def ensure_listening(ws: Any, timeout: float = 15.0) -> None:
    """Start the service if none runs and return once its port takes connections.

    For code that hands out an endpoint URL to be POSTed at once (``requests.post(published.endpoint,
    ...)``): the service binds its port first thing, so from then on a request waits in the listen
    queue until the app serves it instead of being refused. Costs nothing when a service runs.
    """
    ctx = as_context(ws)
    if ensure_service(ctx) is not None:
        return
    port = service_port(ctx)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and service_info(ctx) is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.01)


def start_service(ws: Any, timeout: float = 30.0, host: str | None = None) -> dict:
    """``azureml-local service start``: the running service's ``service.json`` (started if needed).

    ``host`` (default ``AZUREML_LOCAL_SERVICE_HOST`` or 127.0.0.1) applies to a service started
    here; a running one keeps its own (``service.json`` names it). A service that exits while
    starting (its port is taken) fails this at once, quoting its log.
    """
    ctx = as_context(ws)
    log = ctx.folder / "service.log"
    logged = log.stat().st_size if log.exists() else 0
    info = service_info(ctx)
    proc = None if info is not None else _start(ctx, host)
    deadline = time.monotonic() + timeout
    while info is None and time.monotonic() < deadline:
        if proc is not None and proc.poll() not in (None, 0):
            break  # it exited with an error (0: another service won the lock; keep waiting for it)
        time.sleep(0.02)
        info = service_info(ctx)
    if info is None:
        why = _last_error(log, logged) or f"it did not start within {timeout:.0f} s"
        raise ProjectSystemException(f"The workspace service did not start: {why}\nIts log is {log}; fix what it "
                                     f"reports and run `azureml-local service start` again.")
    return info


def _last_error(log: Path, offset: int) -> str | None:
    """The last ``ERROR`` line the service wrote to its log after ``offset`` (why it exited)."""
    try:
        with open(log, "rb") as fh:
            fh.seek(offset)
            lines = fh.read().decode(errors="replace").splitlines()
    except OSError:
        return None
    return next((line for line in reversed(lines) if "ERROR:" in line), None)


def _start(ctx: Any, host: str | None = None) -> subprocess.Popen | None:
    """Spawn the service detached; ``service.starting`` (its pid) stops a burst of submits spawning many."""
    folder = ctx.folder.resolve()
    marker = folder / STARTING_FILE
    try:
        starting_pid = int(marker.read_text())
        if pid_alive(starting_pid) and time.time() - marker.stat().st_mtime < _STARTING_GRACE:
            return None  # a service is starting right now; it will pick up the queue
    except (FileNotFoundError, ValueError):
        pass
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZUREML_") or k.startswith("AZUREML_LOCAL")}
    env["AZUREML_LOCAL_HOME"] = str(local_home().resolve())
    with open(folder / "service.log", "ab") as log:
        proc = subprocess.Popen(service_command(folder, host), cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=log, start_new_session=True, close_fds=True)
    write_private(marker, str(proc.pid))
    return proc


def service_command(folder: Path, host: str | None = None, foreground: bool = False) -> list[str]:
    """The service's command line (``service_processes`` recognises it by its first four words)."""
    command = [sys.executable, "-m", SERVICE_MODULE, str(folder)]
    if host:
        command += ["--host", host]
    if foreground:
        command.append("--foreground")
    return command


def request(ws: Any, method: str, path: str, info: dict | None = None) -> tuple[int, Any]:
    """One authenticated request to the running service: ``(status, decoded JSON body)``.

    Uses the token the service published in ``service.json``; when that is missing or refused
    (expired), one signed here with the workspace secret.
    """
    ctx = as_context(ws)
    info = info or service_info(ctx)
    if info is None:
        raise ConnectionError(f"No azureml-local service runs for the workspace in {ctx.folder}.")
    status, body = _send(info, method, path, info.get("token"))
    if status == 401:
        status, body = _send(info, method, path, issue_token(ctx, "azureml-local-service-client", 600))
    return status, body


def _send(info: dict, method: str, path: str, token: str | None) -> tuple[int, Any]:
    import http.client

    host = urlsplit(info.get("url") or "").hostname or "127.0.0.1"
    conn = http.client.HTTPConnection(host, int(info["port"]), timeout=_REQUEST_TIMEOUT)
    try:
        conn.request(method, path, headers={"Authorization": f"Bearer {token or ''}", "Content-Length": "0"})
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    return response.status, json.loads(payload) if payload else None


def wake(ws: Any) -> None:
    """Tell the service a run was queued (starting it when none runs).

    Best effort by design: a service that is starting, or misses this, finds the run on its
    next queue scan (within a second).
    """
    info = ensure_service(ws)
    if info is None:
        return  # a fresh service scans the queue when it starts
    try:
        request(ws, "POST", "/wake", info)
    except (OSError, ValueError, KeyError):
        pass  # exiting or restarting: the next scan (or the next service) claims the run


def service_status(ws: Any) -> dict[str, Any]:
    """What ``azureml-local service status`` prints: running?, pid, url, queued/active runs."""
    ctx = as_context(ws)
    info = service_info(ctx)
    health = None
    if info is not None:
        try:
            status, health = request(ctx, "GET", "/health", info)
            health = health if status == 200 else None
        except (OSError, ValueError):
            health = None
    return {"running": info is not None, "responding": health is not None, "pid": info and info.get("pid"),
            "url": info and info.get("url"), "host": info and info.get("host"), "port": service_port(ctx),
            "started": info and info.get("started"),
            "queued_runs": health["queued"] if health else ctx.queue.queued_count(),
            "active_runs": health["active"] if health else 0, "workspace_folder": str(ctx.folder)}


def stop_service(ws: Any, timeout: float = 10.0) -> bool:
    """Stop the service (SIGTERM: it fails what it runs; SIGKILL after ``timeout``); True if one ran."""
    info = service_info(ws)
    if info is not None and not on_this_host(info):
        raise ProjectSystemException(f"The service of this workspace runs on host {info.get('hostname')!r} (a "
                                     f"container?), not here: stop it there, e.g. `docker compose --profile "
                                     f"service stop` (docs/service.md).")
    return info is not None and terminate(int(info["pid"]), timeout)


def stop_workspace_processes(ws: Any) -> None:
    """Stop every long-lived process of the workspace: its service, then its own Azurite (graceful).

    Used by ``Workspace.delete`` and ``azureml-local service stop``. An external Azurite or
    storage account (connection string) is never touched.
    """
    ctx = as_context(ws)
    stop_service(ctx)
    for proc in service_processes(ctx.folder):  # one still starting (no service.json yet)
        terminate(proc.pid)
    if (ctx.folder / "azurite" / "instance.json").exists():
        from azureml_local.store.azurite import stop_azurite  # heavy: filelock

        stop_azurite(ctx.folder)


def service_processes(under: "os.PathLike[str] | str") -> list[Any]:
    """Live service processes (``psutil.Process``) of workspaces at or below ``under``."""
    import psutil

    root = Path(under).resolve()
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if len(cmd) >= 4 and cmd[1:3] == ["-m", SERVICE_MODULE] and _is_under(Path(cmd[3]), root) \
                and pid_alive(proc.pid):
            found.append(proc)
    return found


def _is_under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def stop_services_under(root: "os.PathLike[str] | str", timeout: float = 10.0) -> int:
    """Stop the services of the workspaces in a home folder ``root`` (after each test; home clean-up).

    Found through their files (``service.json``, or ``service.starting`` while one starts), so that
    nothing but those files is read when no service runs: tests may have patched ``open``.
    """
    import psutil

    procs = []
    for folder in Path(root).glob("workspaces/*/*/*"):
        for pid in {_pid_in(folder / INFO_FILE), _pid_in(folder / STARTING_FILE)} - {None}:
            try:
                proc = psutil.Process(pid)
                if proc.cmdline()[1:4] == ["-m", SERVICE_MODULE, str(folder.resolve())]:
                    procs.append(proc)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
    for proc in procs:  # all at once: they shut down in parallel
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    for proc in procs:
        terminate(proc.pid, timeout)  # waits; SIGKILL after timeout; reaps our children
    return len(procs)


def _pid_in(path: Path) -> int | None:
    """The pid in ``service.json`` or ``service.starting`` (None when absent or unreadable)."""
    try:
        text = path.read_text()
    except OSError:
        return None
    try:
        return int(json.loads(text)["pid"]) if path.name == INFO_FILE else int(text)
    except (ValueError, KeyError, TypeError):
        return None
