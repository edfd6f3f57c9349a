"""One Azurite (the Azure Storage emulator, blob service only) per workspace.

Lifecycle, in short:

* :func:`find_azurite` locates ``azurite-blob`` (env ``AZUREML_LOCAL_AZURITE``, then
  ``<local home>/node``, then ``node_modules`` next to the source checkout and in
  the cwd, then ``PATH``); :func:`install_azurite` npm-installs the pinned version.
* :func:`ensure_azurite` returns the workspace's running instance, starting it when
  needed. It is started *detached* (own session, output to ``azurite.log``) so it
  outlives the process that started it: the next script, step or notebook reuses it.
  ``<workspace>/azurite/instance.json`` records pid and port; an fcntl lock on
  ``<workspace>/azurite/.lock`` makes sure two processes never start two instances.
* :func:`stop_azurite` sends SIGTERM and waits: Azurite saves its metadata every
  5 s and on shutdown, so SIGKILL (only after a generous wait) would lose writes.

Port 0 lets the OS pick a free port (no clashes between workspaces or test runs);
the real port is read from Azurite's "successfully listens on" line.
``AZUREML_LOCAL_AZURITE_PORT`` pins it instead.
"""
from __future__ import annotations


import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

from azureml_local.home import local_home
from azureml_local.store.azurite_process import (AZURITE_VERSION, DEV_ACCOUNT, DEV_KEY, HOST, START_TIMEOUT,
                                                 STOP_TIMEOUT, AzuriteInstance, AzuriteNotAvailableError,
                                                 _is_azurite, _pid_alive, _port_answers, azurite_candidates,
                                                 azurite_processes, find_azurite, install_azurite, pinned_port,
                                                 start_azurite, terminate)

__all__ = ["AZURITE_VERSION", "DEV_ACCOUNT", "DEV_KEY", "HOST", "START_TIMEOUT", "STOP_TIMEOUT", "AzuriteInstance",
           "AzuriteNotAvailableError", "azurite_candidates", "azurite_folder", "azurite_processes",
           "azurite_status", "ensure_azurite", "find_azurite", "install_azurite", "pinned_port", "prune_orphans",
           "start_azurite", "stop_azurite", "terminate"]


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
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX: no cross-process guard
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _read_instance(folder: Path) -> AzuriteInstance | None:
    try:
        data = json.loads((folder / "instance.json").read_text())
        return AzuriteInstance(**{k: data[k] for k in ("pid", "port", "host", "started_at", "location") if k in data})
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
        _stop_orphans(folder)
        inst = start_azurite(folder, folder / "azurite.log", port=port)
        _write_instance(folder, inst)
        return inst


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
