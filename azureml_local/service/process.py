"""The service process of one workspace: ``python -m azureml_local.service WORKSPACE_FOLDER``.

One per workspace (``<workspace>/service.lock``, a ``filelock``). Start-up is ordered for
the first run's latency, since the first submit in a fresh workspace starts the service:

1. take the lock, bind the workspace's stable port (``urls.service_port``) on 127.0.0.1, or on
   ``--host`` / ``AZUREML_LOCAL_SERVICE_HOST`` (with a warning when not loopback); the socket
   listens from here on. If another process holds the port the service says so in
   ``service.log`` and exits 1: it never moves to another port, since URLs handed out name it;
2. start the dispatcher: queued runs are claimed and started right away (until the app is
   up it scans the queue every 50 ms, since no wake can arrive yet);
3. once those runs have their processes, import FastAPI/uvicorn and issue the clients' token
   in a worker thread (~0.5 s of CPU the first run does not compete with), then serve the
   app on the socket; its lifespan publishes ``service.json`` (pid, port, url, token) and,
   at the end, stops the dispatcher.

The process exits when the dispatcher ends (idle, unless the workspace has an enabled schedule
or an active published endpoint, ``keep_alive.py``; workspace folder gone) or on SIGTERM/SIGINT,
failing the runs it still executes. ``--foreground`` (``azureml-local service start
--foreground``, the docker service) never exits idle.
"""
from __future__ import annotations

import argparse
import asyncio
import errno
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from azureml_local.context import WorkspaceContext
from azureml_local.runs import artifacts
from azureml_local.service.dispatcher import Dispatcher
from azureml_local.service.info import ServiceInfo, is_live, read_info
from azureml_local.service.urls import DEFAULT_HOST, HOST_ENV, PORT_FILE, client_host, is_loopback, service_port
from azureml_local.tokens import issue_token, verify_token

LOCK_FILE = "service.lock"
CLIENT_TOKEN_SUBJECT = "azureml-local-service-client"
USAGE = ("usage: python -m azureml_local.service WORKSPACE_FOLDER [--host HOST] [--foreground]"
         "  (a folder holding workspace.json)")


def main(argv: list[str] | None = None) -> int:
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    if args is None:
        print(USAGE, file=sys.stderr)
        return 2
    folder = Path(args.folder).resolve()
    lock = FileLock(folder / LOCK_FILE)
    if not _acquire(lock, folder):
        return 0  # another live service serves this workspace
    try:
        os.chdir(folder)
        ctx = WorkspaceContext.for_folder(folder)
        host = args.host or os.environ.get(HOST_ENV, "").strip() or DEFAULT_HOST
        warn_if_exposed(host)
        try:
            sock = bind(host, service_port(ctx))
        except OSError as exc:
            print(port_taken_message(folder, host, service_port(ctx), exc), file=sys.stderr, flush=True)
            return 1
        idle = float("inf") if args.foreground else None
        return asyncio.run(serve(ctx, sock, host, idle))
    finally:
        lock.release()


def _parse(argv: list[str]) -> argparse.Namespace | None:
    parser = argparse.ArgumentParser(prog="python -m azureml_local.service", add_help=False)
    parser.add_argument("folder")
    parser.add_argument("--host", default=None)
    parser.add_argument("--foreground", action="store_true")
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit:
        return None
    if extra or not (Path(args.folder) / "workspace.json").is_file():
        return None
    return args


def warn_if_exposed(host: str) -> None:
    """One line in ``service.log`` (stderr) when the service listens beyond loopback."""
    if not is_loopback(host):
        print(f"azureml-local service: WARNING: listening on {host}, not on loopback: other machines can reach "
              f"this workspace's REST endpoints (every request still needs a bearer token of this workspace or "
              f"of this home). Unset {HOST_ENV} to listen on 127.0.0.1 only.", file=sys.stderr, flush=True)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (SO_REUSEADDR: a restart rebinds despite TIME_WAIT connections).

    ``IPPROTO_TCP`` explicitly: asyncio sets TCP_NODELAY only on sockets whose ``proto`` says TCP, and
    without it every answer on a kept-alive connection waits ~40 ms for the client's delayed ACK
    (uvicorn writes headers and body separately).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def port_taken_message(folder: Path, host: str, port: int, exc: OSError) -> str:
    """Why the service could not listen, and what to do (it never moves: handed-out URLs name the port)."""
    why = "another process listens on it" if exc.errno == errno.EADDRINUSE else str(exc)
    return (f"azureml-local service: ERROR: cannot listen on {host}:{port}, this workspace's service port "
            f"({folder / PORT_FILE}): {why}. The service does not move to another port, because the endpoint "
            f"URLs it handed out name this one. Stop that process (e.g. `ss -ltnp 'sport = :{port}'` shows it), "
            f"or, to give the workspace a new port (published URLs change), delete {folder / PORT_FILE} and "
            f"start the service again.")


def _acquire(lock: FileLock, folder: Path, wait: float = 30.0) -> bool:
    """The workspace's service lock; False when another live service holds it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            lock.acquire(timeout=0)
            return True
        except Timeout:
            info = read_info(folder)
            if is_live(info) or time.monotonic() > deadline:
                return False
            time.sleep(0.02)  # the holder is exiting (or still starting): look again


async def serve(ctx: WorkspaceContext, sock: socket.socket, host: str = DEFAULT_HOST,
                idle: float | None = None) -> int:
    dispatcher = Dispatcher(ctx, idle=idle)
    task = dispatcher.start()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, dispatcher.stop)
    threading.Thread(target=_warm_up, args=(ctx,), name="warm-up", daemon=True).start()
    await dispatcher.first_runs_launched()
    server = await asyncio.to_thread(_build_server, ctx, dispatcher, sock, host)
    if not task.done():
        task.add_done_callback(lambda _: setattr(server, "should_exit", True))
        await server.serve(sockets=[sock])
    await dispatcher.shutdown()  # done already by the app's lifespan, unless it never served
    sock.close()
    return 0


def _build_server(ctx: WorkspaceContext, dispatcher: Dispatcher, sock: socket.socket, host: str) -> Any:
    """Import the web stack and make the server (in a worker thread, while the first run starts)."""
    import uvicorn

    from azureml_local.service.app import create_app  # heavy: fastapi, uvicorn, jwt
    port = sock.getsockname()[1]
    token = issue_token(ctx, CLIENT_TOKEN_SUBJECT)
    verify_token(ctx, token)  # imports what checking a request needs now, not on the first wake
    dispatcher.info = ServiceInfo(ctx.folder, {
        "port": port, "host": host, "url": f"http://{client_host(host)}:{port}", "kind": "service",
        "token": token, "started": time.time(), "python": sys.executable,
        "idle_exit": dispatcher.idle != float("inf")})
    config = uvicorn.Config(create_app(ctx, dispatcher), lifespan="on", loop="asyncio", http="h11", ws="none",
                            log_level="warning", access_log=False, server_header=False, timeout_graceful_shutdown=2)
    config.load()
    return uvicorn.Server(config)


def _warm_up(ctx: WorkspaceContext) -> None:
    """Open the blob store while the first script starts (hides ~0.3 s of the first run's upload)."""
    try:
        artifacts._container(ctx)
    except Exception:  # noqa: BLE001 - warming is best effort; the run reports real errors
        pass
