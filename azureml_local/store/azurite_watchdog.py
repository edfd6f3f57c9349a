"""Watchdog of one workspace-owned Azurite: stops it when nobody needs it any more.

Azurite is started detached so it outlives the script that started it; without a watchdog
every workspace ever used would keep an ~85 MB node process, including workspaces whose
folder was deleted. :func:`azureml_local.store.azurite.ensure_azurite` starts one watchdog
per Azurite it starts (``python -m azureml_local.store.azurite_watchdog PID FOLDER IDLE``,
detached too). Once a second it checks, cheaply:

* Azurite exited (stopped by hand, killed): the watchdog exits.
* ``FOLDER`` (``<workspace>/azurite``) disappeared: stop Azurite gracefully, exit.
* No client traffic for ``IDLE`` seconds (``AZUREML_LOCAL_AZURITE_IDLE_SECONDS``, 0 = never):
  stop it gracefully under the workspace's Azurite lock and forget its ``instance.json``.
  Traffic = growth of the node process's ``read_chars`` by more than :data:`NOISE_BYTES` within a
  poll (every request is read from a socket; an idle Azurite reads only a few bytes for its own
  timers, and the TCP probe of ``ensure_azurite`` reads none).

The next use of the workspace's blobs starts Azurite again, on the same port when free
(:mod:`azureml_local.store.blobs.own_azurite`), with its data: the stop is SIGTERM-and-wait.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil

from azureml_local.store.azurite import STOP_TIMEOUT, stop_instance, terminate

POLL_SECONDS = 1.0
#: An idle Azurite still reads a few bytes now and then (its own timers: 8-32 bytes); the smallest
#: HTTP request is several hundred bytes of headers.
NOISE_BYTES = 256


def _traffic(proc: psutil.Process) -> int:
    return proc.io_counters().read_chars


def watch(pid: int, folder: Path, idle_seconds: float, poll: float = POLL_SECONDS) -> str:
    """Watch Azurite ``pid`` until it exits or is stopped; returns why the watch ended."""
    try:
        proc = psutil.Process(pid)
        seen = _traffic(proc)
    except psutil.NoSuchProcess:
        return "exited"
    quiet_since = time.monotonic()
    while True:
        time.sleep(poll)
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return "exited"
            traffic = _traffic(proc)
        except psutil.NoSuchProcess:
            return "exited"
        if not folder.is_dir():
            terminate(pid, STOP_TIMEOUT)
            return "folder removed"
        now = time.monotonic()
        if traffic - seen > NOISE_BYTES:
            quiet_since = now
        seen = traffic
        if idle_seconds > 0 and now - quiet_since >= idle_seconds:
            stop_instance(folder, pid)
            return "idle"


def main(argv: list[str]) -> int:
    pid, folder, idle = int(argv[0]), Path(argv[1]), float(argv[2])
    reason = watch(pid, folder, idle)
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} azurite pid {pid}: {reason}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
