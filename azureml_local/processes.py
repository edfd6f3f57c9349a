"""Process helpers for everything that starts, watches or stops processes (psutil underneath).

One copy of "is it alive", "stop it gracefully, then for sure" and "kill its whole tree",
so the service, the engine and Azurite's lifecycle agree on what a live process is
(a zombie is not) and how long a graceful stop may take.
"""
from __future__ import annotations

import os
import signal
import sys
import time

import psutil


def pid_alive(pid: int | None) -> bool:
    """True when ``pid`` runs; zombies (exited, not yet reaped) count as gone."""
    if not pid:
        return False
    try:
        return psutil.Process(int(pid)).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def reap(pid: int) -> None:
    """Collect ``pid``'s exit status when it is our child (no zombie left behind)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except (ChildProcessError, OSError):
        pass


def terminate(pid: int | None, timeout: float = 10.0, sig: int = signal.SIGTERM, kill_warning: str = "") -> bool:
    """Send ``sig`` (SIGTERM), wait up to ``timeout`` s, then SIGKILL. True when it was running.

    Waits on :func:`pid_alive`, not ``psutil.wait``: a process that is not our child stays a zombie
    until its parent reaps it, and psutil would wait out the whole timeout for it. ``kill_warning``
    goes to stderr before a SIGKILL: what the user may lose by it.
    """
    if not pid_alive(pid):
        return False
    pid = int(pid)
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        reap(pid)
        time.sleep(0.01)
    if pid_alive(pid):
        if kill_warning:
            print(kill_warning, file=sys.stderr)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while pid_alive(pid) and time.monotonic() < deadline + 5:
            reap(pid)
            time.sleep(0.01)
    reap(pid)
    return True


def kill_process_group(pid: int, sig: int = signal.SIGTERM) -> None:
    """Signal a run's process group (runs start their own session, so group id = pid)."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def kill_tree(pid: int, sig: int = signal.SIGKILL) -> None:
    """Signal ``pid`` and every descendant (those that left its process group too)."""
    try:
        root = psutil.Process(int(pid))
        family = root.children(recursive=True) + [root]
    except psutil.NoSuchProcess:
        return
    for proc in family:
        try:
            proc.send_signal(sig)
        except psutil.NoSuchProcess:
            pass
