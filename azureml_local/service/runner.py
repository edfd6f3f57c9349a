"""The workspace runner process: claims queued runs and executes them in threads.

One per workspace (``<workspace>/service.lock``, an exclusive ``flock``), found
through ``<workspace>/service.json`` (pid, UDP wake port). Submitters commit a
``run_queue`` row, then send one UDP datagram; the runner sleeps in ``select``
in between, so dispatch costs no polling. It exits after ``idle`` seconds with
nothing queued or running (``AZUREML_LOCAL_SERVICE_IDLE_SECONDS``, default 600).

Orphans: on start, runs left Running by a runner that no longer exists are
marked Failed (and their leftover process group killed).

Queue/dispatch lives here; *how* a run executes is the handler registry's job
(``service/handlers.py``).

Run as ``python -m azureml_local.service.runner SUB RG NAME``.
"""
from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from azureml_local.engine.recovery import recover_orphans
from azureml_local.processes import pid_alive  # noqa: F401 - also imported from here by callers
from azureml_local.status import ACTIVE_STATES
from azureml_local.store.runs import error_dict, utc_now

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

def idle_seconds() -> float:
    return float(os.environ.get("AZUREML_LOCAL_SERVICE_IDLE_SECONDS", "600"))


class Runner:
    """Queue + dispatch loop of one workspace."""

    def __init__(self, ws: "Workspace", idle: float | None = None):
        self.ws = ws
        self.idle = idle_seconds() if idle is None else idle
        self.folder = ws._local_folder
        self.active: dict[str, threading.Thread] = {}
        self.stopping = False
        self._sock: socket.socket | None = None

    # -- lifecycle ---------------------------------------------------------------
    def serve(self) -> int:
        lock = self._acquire_lock()
        if lock is None:
            return 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._write_info()
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGINT, self._on_term)
        threading.Thread(target=self._warm_up, name="warm-up", daemon=True).start()
        try:
            recover_orphans(self.ws._context, os.getpid())
            self._loop()
        finally:
            self._shutdown()
            os.close(lock)
        return 0

    def _acquire_lock(self) -> int | None:
        """The workspace's runner lock; None when another live runner serves it."""
        fd = os.open(self.folder / "service.lock", os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + 30
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                info = read_info(self.folder)
                if (info and pid_alive(info.get("pid"))) or time.monotonic() > deadline:
                    os.close(fd)
                    return None
                time.sleep(0.02)  # the holder is exiting; take over when it is done

    def _write_info(self) -> None:
        info = {"pid": os.getpid(), "udp_port": self._sock.getsockname()[1], "kind": "runner",
                "started": utc_now(), "python": sys.executable}
        tmp = self.folder / f".service.json.{os.getpid()}"
        tmp.write_text(json.dumps(info))
        os.replace(tmp, self.folder / "service.json")
        try:
            (self.folder / "service.starting").unlink()
        except FileNotFoundError:
            pass

    def _warm_up(self) -> None:
        """Open the blob store and import the token library while the first script starts (hides ~0.3 s)."""
        try:
            import jwt  # noqa: F401

            from azureml_local.runs import artifacts

            artifacts._container(self.ws)
        except Exception:  # noqa: BLE001 - warming is best effort; the run reports real errors
            pass

    def _on_term(self, *_: object) -> None:
        self.stopping = True
        try:
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"stop", self._sock.getsockname())
        except OSError:
            pass

    # -- the loop ------------------------------------------------------------------
    def _loop(self) -> None:
        last_busy = time.monotonic()
        while not self.stopping:
            self._dispatch()
            self.active = {k: t for k, t in self.active.items() if t.is_alive()}
            if self.active:
                last_busy = time.monotonic()
            elif time.monotonic() - last_busy >= self.idle and self._may_exit():
                return
            timeout = 1.0 if self.active else max(0.05, min(5.0, self.idle - (time.monotonic() - last_busy)))
            ready, _, _ = select.select([self._sock], [], [], timeout)
            if ready:
                self._drain()

    def _drain(self) -> None:
        self._sock.setblocking(False)
        try:
            while True:
                data = self._sock.recv(64)
                if data == b"stop":
                    self.stopping = True
        except (BlockingIOError, OSError):
            pass
        finally:
            self._sock.setblocking(True)

    def _may_exit(self) -> bool:
        """Withdraw service.json, then re-check the queue (closes the submit/exit race)."""
        try:
            (self.folder / "service.json").unlink()
        except FileNotFoundError:
            pass
        if self.ws._store.query_one("SELECT 1 FROM run_queue LIMIT 1") is None:
            return True
        self._write_info()
        return False

    def _dispatch(self) -> None:
        with self.ws._store.transaction() as conn:
            claimed = conn.execute("DELETE FROM run_queue WHERE run_id IN (SELECT run_id FROM run_queue "
                                   "ORDER BY enqueued LIMIT 16) RETURNING run_id, handler").fetchall()
            for row in claimed:
                conn.execute("UPDATE runs SET runner_pid=? WHERE run_id=?", (os.getpid(), row["run_id"]))
        for row in claimed:
            thread = threading.Thread(target=self._execute, args=(row["run_id"], row["handler"]),
                                      name=f"run-{row['run_id']}", daemon=True)
            self.active[row["run_id"]] = thread
            thread.start()

    def _execute(self, run_id: str, spec: str | None) -> None:
        from azureml_local.service.handlers import get_run_handler

        try:
            row = self.ws._context.runs.run(run_id)
            if row["status"] not in ACTIVE_STATES:
                return
            get_run_handler(row["run_type"], spec)(self.ws, run_id)
        except Exception as exc:  # noqa: BLE001 - a handler crash must still end the run
            self.ws._context.runs.set_status(run_id, "Failed", only_from=ACTIVE_STATES, error=error_dict(
                f"The azureml-local runner could not execute the run: {exc}\n{traceback.format_exc()}",
                code="SystemError"))
        else:
            self.ws._context.runs.set_status(run_id, "Failed", only_from=ACTIVE_STATES, error=error_dict(
                "The run's handler returned without giving the run a final status.", code="SystemError"))

    def _shutdown(self) -> None:
        """Stop: fail what is still running here (and kill its processes), withdraw service.json."""
        info = read_info(self.folder)
        if info and info.get("pid") == os.getpid():
            try:
                (self.folder / "service.json").unlink()
            except FileNotFoundError:
                pass
        rows = self.ws._store.query(
            "SELECT run_id, pid FROM runs WHERE runner_pid=? AND status IN (%s)"
            % ",".join("?" * len(ACTIVE_STATES)), (os.getpid(), *ACTIVE_STATES))
        from azureml_local.processes import kill_process_group

        for row in rows:
            if row["pid"]:
                kill_process_group(row["pid"], signal.SIGKILL)
            self.ws._context.runs.set_status(row["run_id"], "Failed", only_from=ACTIVE_STATES, error=error_dict(
                "The azureml-local service was stopped while the run was executing.", code="SystemError"))


def read_info(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / "service.json").read_text())
    except (FileNotFoundError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 3:
        print("usage: python -m azureml_local.service.runner SUBSCRIPTION RESOURCE_GROUP WORKSPACE", file=sys.stderr)
        return 2
    from azureml_local.workspace import Workspace

    ws = Workspace(*args)
    os.chdir(ws._local_folder)
    return Runner(ws).serve()


if __name__ == "__main__":
    sys.exit(main())
