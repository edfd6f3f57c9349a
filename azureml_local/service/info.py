"""``<workspace>/service.json``: how user processes find a workspace's service.

Written by the service once it accepts requests (pid, hostname, port, url, a bearer token it
issued for local clients), withdrawn when it stops or is about to exit idle. A service running
in a container (``docker/``) writes the container's hostname: its pid means nothing here, so
:func:`is_live` asks its port instead. The file
is private to the user (0600), like the workspace's ``secret`` the token derives from.
``service.starting`` (the pid of a service being started) keeps a burst of submits from
starting several.
"""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from azureml_local.processes import pid_alive

INFO_FILE = "service.json"
STARTING_FILE = "service.starting"


def read_info(folder: Path) -> dict | None:
    """The published ``service.json`` (None when there is none or it is being replaced)."""
    try:
        return json.loads((Path(folder) / INFO_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


def is_live(info: dict | None) -> bool:
    """Whether the service ``info`` describes still runs: its pid on this host, its port otherwise."""
    if not info:
        return False
    if info.get("hostname") in (None, socket.gethostname()):
        return pid_alive(info.get("pid"))
    try:
        with socket.create_connection(("127.0.0.1", int(info["port"])), timeout=0.5):
            return True
    except (OSError, ValueError, KeyError):
        return False


def on_this_host(info: dict) -> bool:
    """False for a service in a container (or on another machine sharing the folder): not ours to signal."""
    return info.get("hostname") in (None, socket.gethostname())


def write_private(path: Path, text: str) -> None:
    """Write ``path`` atomically, readable by the user only."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


class ServiceInfo:
    """The service's own ``service.json``: publish, withdraw (only its own), re-publish."""

    def __init__(self, folder: Path, fields: dict):
        self.folder = Path(folder)
        self.fields = {"pid": os.getpid(), "hostname": socket.gethostname(), **fields}

    def publish(self) -> None:
        """Write ``service.json``; drop ``service.starting`` only when it names this process: a
        second service spawned meanwhile (it waits on the lock) stays findable, so stopping this
        one cannot leave that one running unseen."""
        write_private(self.folder / INFO_FILE, json.dumps(self.fields))
        try:
            starting = int((self.folder / STARTING_FILE).read_text())
        except (OSError, ValueError):
            starting = None
        if starting in (None, self.fields["pid"]):
            remove(self.folder / STARTING_FILE)

    def withdraw(self) -> None:
        """Remove ``service.json`` if it is still this process's (a successor may have replaced it)."""
        info = read_info(self.folder)
        if info and info.get("pid") == self.fields["pid"]:
            remove(self.folder / INFO_FILE)
