"""One Azurite (the Azure Storage emulator, blob service only) per workspace.

Lifecycle, in short:

* :func:`find_azurite` locates ``azurite-blob`` (env ``AZUREML_LOCAL_AZURITE``, then
  ``<local home>/node``, then ``node_modules`` next to the source checkout and in
  the cwd, then ``PATH``); :func:`install_azurite` npm-installs the pinned version.
* :func:`ensure_azurite` returns the workspace's running instance, starting it when
  needed. It is started *detached* (own session, output to ``azurite.log``) so it
  outlives the process that started it: the next script, step or notebook reuses it.
  ``<workspace>/azurite/instance.json`` records pid, port and watchdog pid; a ``filelock``
  lock on ``<workspace>/azurite/.lock`` makes sure two processes never start two instances.
  A restart reuses the previous port (``<workspace>/azurite/port``) when it is free.
* Each started instance gets a watchdog (:mod:`azureml_local.store.azurite_watchdog`) that
  stops it when its folder disappears or after ``AZUREML_LOCAL_AZURITE_IDLE_SECONDS`` without
  requests; the workspace's blob store starts it again on the next use
  (:mod:`azureml_local.store.blobs.own_azurite`).
* :func:`stop_azurite` sends SIGTERM and waits: Azurite saves its metadata every
  5 s and on shutdown, so SIGKILL (only after a generous wait) would lose writes.

Port 0 lets the OS pick a free port (no clashes between workspaces or test runs);
the real port is read from Azurite's "successfully listens on" line (0 only when the
previous port is unknown or taken).
``AZUREML_LOCAL_AZURITE_PORT`` pins it instead.
"""
from __future__ import annotations


import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

from filelock import FileLock

from azureml_local.exceptions import ProjectSystemException, UserErrorException
from azureml_local.home import local_home
from azureml_local.store.azurite_process import (AZURITE_VERSION, DEV_ACCOUNT, DEV_KEY, HOST, START_TIMEOUT,
                                                 STOP_TIMEOUT, AzuriteInstance, AzuriteNotAvailableError,
                                                 _is_azurite, _pid_alive, _port_answers, _port_free,
                                                 azurite_candidates,
                                                 azurite_processes, find_azurite, install_azurite, pinned_port,
                                                 start_azurite, terminate)

__all__ = ["AZURITE_VERSION", "DEV_ACCOUNT", "DEV_KEY", "HOST", "START_TIMEOUT", "STOP_TIMEOUT", "AzuriteInstance",
           "AzuriteNotAvailableError", "azurite_candidates", "azurite_folder", "azurite_processes",
           "azurite_status", "ensure_azurite", "find_azurite", "install_azurite", "pinned_port", "prune_orphans",
           "start_azurite", "stop_azurite", "terminate"]


IDLE_ENV = "AZUREML_LOCAL_AZURITE_IDLE_SECONDS"
DEFAULT_IDLE_SECONDS = 600.0
_INSTANCE_FIELDS = ("pid", "port", "host", "started_at", "location", "watchdog_pid")
_WATCHDOGS: list[subprocess.Popen] = []


def _stop_orphans(folder: Path) -> None:
    """Stop Azurites still serving ``folder`` that instance.json no longer names (e.g. the folder was deleted)."""
    for pid, location in azurite_processes():
        if location == str(folder) and pid != os.getpid():
            terminate(pid, timeout=10.0)


def prune_orphans(root: str | os.PathLike[str] | None = None) -> list[int]:
    """Stop Azurites serving a folder under ``root`` (default: the local home) that no
    ``instance.json`` names any more - nobody can find their port, so they only use memory
    (typically: a workspace folder deleted while its Azurite ran). Returns the stopped pids.
    For ``azureml-local`` housekeeping; never called implicitly."""
    root_path = Path(root or local_home()).absolute()
    stopped = []
    for pid, location in azurite_processes():
        if not location or not Path(location).is_relative_to(root_path):
            continue
        recorded = _read_instance(Path(location))
        if recorded is None or recorded.pid != pid:
            terminate(pid, timeout=10.0)
            stopped.append(pid)
    return stopped


# -- one instance per workspace ----------------------------------------------------------------
def azurite_folder(workspace_folder: str | os.PathLike[str]) -> Path:
    """``<workspace>/azurite``: Azurite's data, ``instance.json``, ``azurite.log`` and the lock."""
    return Path(workspace_folder).absolute() / "azurite"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Cross-process lock on ``<workspace>/azurite/.lock``: one start (or stop) at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / ".lock"):
        yield


def _read_instance(folder: Path) -> AzuriteInstance | None:
    try:
        data = json.loads((folder / "instance.json").read_text())
        return AzuriteInstance(**{k: data[k] for k in _INSTANCE_FIELDS if k in data})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write_instance(folder: Path, inst: AzuriteInstance) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".instance-", dir=folder)
    with os.fdopen(fd, "w") as fh:
        json.dump(asdict(inst), fh, indent=1)
    os.replace(tmp, folder / "instance.json")


def _healthy(inst: AzuriteInstance) -> bool:
    return _pid_alive(inst.pid) and _is_azurite(inst.pid) and _port_answers(inst.host, inst.port)


def azurite_status(workspace_folder: str | os.PathLike[str]) -> AzuriteInstance | None:
    """The workspace's running instance, or None (nothing is started)."""
    inst = _read_instance(azurite_folder(workspace_folder))
    return inst if inst is not None and _healthy(inst) else None


def ensure_azurite(workspace_folder: str | os.PathLike[str]) -> AzuriteInstance:
    """The workspace's Azurite: reused when its pid is alive and its port answers, else started."""
    folder = azurite_folder(workspace_folder)
    port = pinned_port()
    inst = _read_instance(folder)
    if inst is not None and (not port or port == inst.port) and _healthy(inst):
        return inst  # fast path, no lock
    with _locked(folder):
        inst = _read_instance(folder)  # another process may have started it meanwhile
        if inst is not None:
            if (not port or port == inst.port) and _healthy(inst):
                return inst
            if _pid_alive(inst.pid) and _is_azurite(inst.pid):
                terminate(inst.pid)  # hung, or on another port than the pinned one
            (folder / "instance.json").unlink(missing_ok=True)
        idle = idle_seconds()  # a bad setting fails before anything is started
        _stop_orphans(folder)
        inst = _start(folder, port)
        inst.watchdog_pid = _start_watchdog(inst.pid, folder, idle)
        _write_instance(folder, inst)
        (folder / "port").write_text(str(inst.port))
        return inst


def _start(folder: Path, pinned: int) -> AzuriteInstance:
    """Start on the pinned port, else on the port of the previous instance when it is free (clients
    in other processes then reconnect without a lookup), else on one the OS chooses."""
    log = folder / "azurite.log"
    if pinned:
        return start_azurite(folder, log, port=pinned)
    try:
        previous = int((folder / "port").read_text())
    except (OSError, ValueError):
        previous = 0
    if previous and _port_free(HOST, previous):
        try:
            return start_azurite(folder, log, port=previous)
        except (ProjectSystemException, UserErrorException):
            pass  # taken between the check and Azurite's bind: let the OS choose
    return start_azurite(folder, log, port=0)


def idle_seconds() -> float:
    """``AZUREML_LOCAL_AZURITE_IDLE_SECONDS`` (default 600; 0 = never stop an idle Azurite)."""
    raw = os.environ.get(IDLE_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_IDLE_SECONDS
    except ValueError:
        value = -1.0
    if value < 0:
        raise UserErrorException(f"{IDLE_ENV} must be a number of seconds (0 = never), got {raw!r}.")
    return value


def _start_watchdog(pid: int, folder: Path, idle: float) -> int:
    """Start :mod:`azureml_local.store.azurite_watchdog` for Azurite ``pid`` (detached, like Azurite)."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    with open(folder / "watchdog.log", "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "azureml_local.store.azurite_watchdog", str(pid), str(folder),
                                 str(idle)], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                cwd=str(folder), env=env, start_new_session=True)
    _WATCHDOGS.append(proc)
    for child in list(_WATCHDOGS):  # collect exited watchdogs of earlier instances (no zombies)
        if child.poll() is not None:
            _WATCHDOGS.remove(child)
    return proc.pid


def stop_instance(folder: Path, pid: int, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop Azurite ``pid`` serving ``folder`` gracefully and forget it when ``instance.json`` names it
    (what the watchdog does when the workspace went idle)."""
    with _locked(folder):
        inst = _read_instance(folder)
        stopped = _pid_alive(pid) and _is_azurite(pid) and terminate(pid, timeout)
        if inst is not None and inst.pid == pid:
            (folder / "instance.json").unlink(missing_ok=True)
        return stopped


def stop_azurite(workspace_folder: str | os.PathLike[str], timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the workspace's Azurite gracefully; True if one was running."""
    folder = azurite_folder(workspace_folder)
    if not folder.is_dir():
        return False
    with _locked(folder):
        inst = _read_instance(folder)
        if inst is None:
            return False
        was_running = _pid_alive(inst.pid) and _is_azurite(inst.pid) and terminate(inst.pid, timeout)
        (folder / "instance.json").unlink(missing_ok=True)
        return was_running
