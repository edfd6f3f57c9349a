"""The service process of one workspace: ``python -m azureml_local.service WORKSPACE_FOLDER``.

One per workspace (``<workspace>/service.lock``, a ``filelock``). Start-up is ordered for
the first run's latency, since the first submit in a fresh workspace starts the service:

1. take the lock, bind 127.0.0.1 on a free port (the socket listens from here on);
2. start the dispatcher: queued runs are claimed and started right away (until the app is
   up it scans the queue every 50 ms, since no wake can arrive yet);
3. once those runs have their processes, import FastAPI/uvicorn and issue the clients' token
   in a worker thread (~0.5 s of CPU the first run does not compete with), then serve the
   app on the socket; its lifespan publishes ``service.json`` (pid, port, url, token) and,
   at the end, stops the dispatcher.

The process exits when the dispatcher ends (idle, workspace folder gone) or on
SIGTERM/SIGINT, failing the runs it still executes.
"""
from __future__ import annotations

import asyncio
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
from azureml_local.engine import mount_namespace
from azureml_local.processes import pid_alive
from azureml_local.runs import artifacts
from azureml_local.service.dispatcher import Dispatcher
from azureml_local.service.info import ServiceInfo, read_info
from azureml_local.tokens import issue_token, verify_token

LOCK_FILE = "service.lock"
CLIENT_TOKEN_SUBJECT = "azureml-local-service-client"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or not (Path(args[0]) / "workspace.json").is_file():
        print("usage: python -m azureml_local.service WORKSPACE_FOLDER  (a folder holding workspace.json)",
              file=sys.stderr)
        return 2
    folder = Path(args[0]).resolve()
    mount_namespace.enter_private_namespace()  # first, while single-threaded: overlays without a process chain
    lock = FileLock(folder / LOCK_FILE)
    if not _acquire(lock, folder):
        return 0  # another live service serves this workspace
    try:
        os.chdir(folder)
        return asyncio.run(serve(WorkspaceContext.for_folder(folder)))
    finally:
        lock.release()


def _acquire(lock: FileLock, folder: Path, wait: float = 30.0) -> bool:
    """The workspace's service lock; False when another live service holds it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            lock.acquire(timeout=0)
            return True
        except Timeout:
            info = read_info(folder)
            if (info and pid_alive(info.get("pid"))) or time.monotonic() > deadline:
                return False
            time.sleep(0.02)  # the holder is exiting (or still starting): look again


async def serve(ctx: WorkspaceContext) -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    dispatcher = Dispatcher(ctx)
    task = dispatcher.start()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, dispatcher.stop)
    threading.Thread(target=_warm_up, args=(ctx,), name="warm-up", daemon=True).start()
    await dispatcher.first_runs_launched()
    server = await asyncio.to_thread(_build_server, ctx, dispatcher, sock)
    if not task.done():
        task.add_done_callback(lambda _: setattr(server, "should_exit", True))
        await server.serve(sockets=[sock])
    await dispatcher.shutdown()  # done already by the app's lifespan, unless it never served
    sock.close()
    return 0


def _build_server(ctx: WorkspaceContext, dispatcher: Dispatcher, sock: socket.socket) -> Any:
    """Import the web stack and make the server (in a worker thread, while the first run starts)."""
    import uvicorn

    from azureml_local.service.app import create_app  # heavy: fastapi, uvicorn, jwt
    port = sock.getsockname()[1]
    token = issue_token(ctx, CLIENT_TOKEN_SUBJECT)
    verify_token(ctx, token)  # imports what checking a request needs now, not on the first wake
    dispatcher.info = ServiceInfo(ctx.folder, {
        "port": port, "url": f"http://127.0.0.1:{port}", "kind": "service", "token": token,
        "started": time.time(), "python": sys.executable})
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
