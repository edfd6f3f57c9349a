"""One scoring process: ``python -m azureml_local.webservice.server FOLDER NAME GENERATION``.

Started by the workspace service's supervisor (``supervisor.py``) in the deployment's folder with
``AZUREML_MODEL_DIR`` set. It binds the service's stable port on loopback, imports the entry
script, calls its ``init()`` once, reports ``Healthy`` (or ``Failed`` with the traceback, which is
also in its log for ``get_logs()``), then serves, as the SDK's inference server does:

* ``GET /``: ``Healthy``; ``GET .../swagger.json``: the document of the script's
  ``inference_schema`` decorators (404 without them);
* ``POST .../score``: ``run(raw_data)`` with the request body as text (decorated scripts get the
  JSON body's fields as keyword arguments); the answer is ``json.dumps(result)``. One ``run`` at a
  time (the SDK's server runs one worker per container).

Auth: ``Authorization: Bearer <primary or secondary key>`` when key auth is enabled, a workspace
token naming this service when token auth is. It stops itself within a second when its workspace
folder goes, its row is deleted or replaced by a newer generation, or its parent (the workspace
service) is gone. Standard library only on the request path.
"""
from __future__ import annotations

import importlib.util
import json
import os
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from azureml_local.context import WorkspaceContext
from azureml_local.tokens import verify_token
from azureml_local.webservice.layout import APP_DIRNAME
from azureml_local.webservice.swagger import decorated, swagger_document

WATCH_SECONDS = 1.0
BIND_RETRY_SECONDS = 10.0


class ScoringApp:
    """The loaded entry script and what a request needs (keys, swagger)."""

    def __init__(self, ctx: WorkspaceContext, row: dict[str, Any]):
        self.ctx = ctx
        self.name = row["name"]
        self.generation = row["generation"]
        config = row.get("config") or {}
        self.auth_enabled = bool(config.get("auth_enabled"))
        self.token_auth_enabled = bool(config.get("token_auth_enabled"))
        self.keys = {row.get("primary_key"), row.get("secondary_key")} - {None, ""}
        self.module: Any = None
        self.swagger: dict | None = None
        self.schema_input = False
        self.lock = threading.Lock()

    def load(self, script: Path) -> None:
        """Import the entry script as the SDK's server does, call ``init()`` once, build the swagger."""
        sys.path.insert(0, str(script.parent))
        spec = importlib.util.spec_from_file_location("main", script)
        module = importlib.util.module_from_spec(spec)
        sys.modules["main"] = module
        spec.loader.exec_module(module)
        if not callable(getattr(module, "run", None)):
            raise AttributeError(f"The entry script {script.name} defines no run(raw_data) function.")
        if callable(getattr(module, "init", None)):
            module.init()
        self.module = module
        self.schema_input = decorated(module.run)
        if self.schema_input:
            self.swagger = swagger_document(self.name, module.run)

    def authorized(self, header: str | None) -> bool:
        if not (self.auth_enabled or self.token_auth_enabled):
            return True
        scheme, _, credential = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not credential:
            return False
        if self.auth_enabled:
            if credential in self.keys:
                return True
            self.refresh_keys(self.ctx.webservices.get(self.name) or {})  # a regenerated key works at once
            return credential in self.keys
        try:
            claims = verify_token(self.ctx, credential)
        except Exception:  # noqa: BLE001 - any invalid token is a 401
            return False
        return claims.get("webservice") == self.name

    def refresh_keys(self, row: dict[str, Any]) -> None:
        """The keys of the stored row (a replaced key stops working within a watch interval)."""
        self.keys = {row.get("primary_key"), row.get("secondary_key")} - {None, ""}

    def score(self, body: bytes) -> tuple[int, bytes]:
        text = body.decode("utf-8", errors="replace")
        try:
            with self.lock:
                if self.schema_input:
                    result = self.module.run(**json.loads(text or "{}"))
                else:
                    result = self.module.run(text)
            return 200, json.dumps(result).encode()
        except Exception:  # noqa: BLE001 - the script's error is the answer, as in the SDK's server
            detail = traceback.format_exc()
            print(f"Encountered Exception: {detail}", file=sys.stderr, flush=True)
            return 502, detail.encode()


def make_handler(app: ScoringApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait per answer
        server_version = "azureml-local-scoring"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return  # one line per request would drown init's output in get_logs()

        def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            path = self.path.split("?", 1)[0].rstrip("/")
            if path.endswith("swagger.json"):
                if app.swagger is None:
                    self._answer(404, b'"No swagger: the entry script does not use inference_schema."')
                else:
                    self._answer(200, json.dumps(app.swagger).encode())
            elif path.endswith("/score"):
                self._answer(200, b'"Healthy"')
            else:
                self._answer(200, b"Healthy", "text/plain")

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not self.path.split("?", 1)[0].rstrip("/").endswith("/score"):
                self._answer(404, b'"Not found: POST to the scoring URI (.../score)."')
            elif not app.authorized(self.headers.get("Authorization")):
                self._answer(401, b'"Unauthorized: send Authorization: Bearer <service key or token>."')
            else:
                self._answer(*app.score(body))

    return Handler


def bind(port: int, deadline: float) -> socket.socket:
    """The service's port on loopback; a replaced generation may still hold it for a moment."""
    while True:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen(128)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sock: socket.socket, handler: type[BaseHTTPRequestHandler]):
        super().__init__(sock.getsockname(), handler, bind_and_activate=False)
        self.socket.close()
        self.socket = sock

    def server_bind(self) -> None:  # already bound
        return


def _should_stop(app: ScoringApp, parent: int) -> str | None:
    ctx, name, generation = app.ctx, app.name, app.generation
    if not ctx.exists():
        return "the workspace folder is gone"
    if os.getppid() != parent:
        return "the workspace service that started it is gone"
    row = ctx.webservices.get(name)
    if row is None or row["state"] == "Deleting":
        return "the service was deleted"
    if row["generation"] != generation:
        return "a newer deployment replaced it"
    app.refresh_keys(row)
    return None


def main(argv: list[str] | None = None) -> int:
    folder, name, generation = (argv if argv is not None else sys.argv[1:])[:3]
    generation = int(generation)
    parent = os.getppid()
    ctx = WorkspaceContext.for_folder(Path(folder))
    row = ctx.webservices.get(name)
    if row is None or row["generation"] != generation:
        return 0
    print(f"azureml-local scoring server: service {name!r}, deployment {generation}, "
          f"AZUREML_MODEL_DIR={os.environ.get('AZUREML_MODEL_DIR')}", flush=True)
    app = ScoringApp(ctx, row)
    try:
        sock = bind(row["port"], time.monotonic() + BIND_RETRY_SECONDS)
    except OSError as exc:
        message = f"Cannot listen on 127.0.0.1:{row['port']}, this service's port: {exc}"
        print(message, file=sys.stderr, flush=True)
        ctx.webservices.set_state(name, generation, "Failed", {"code": "PortInUse", "message": message})
        return 1
    entry = Path.cwd() / APP_DIRNAME / (row.get("inference") or {}).get("entry_script", "score.py")
    try:
        app.load(entry)
    except BaseException:  # noqa: BLE001 - init's failure is the deployment's outcome, not ours
        detail = traceback.format_exc()
        print("Exception in worker process\n" + detail, file=sys.stderr, flush=True)
        ctx.webservices.set_state(name, generation, "Failed", {
            "code": "AciDeploymentFailed" if row["compute_type"] == "ACI" else "DeploymentFailed",
            "message": "Your container application crashed. This may be caused by errors in your scoring file's "
                       "init() function.\nPlease check the logs for your container instance: " + name + ".\n"
                       + detail})
        return 1
    print("Users's init has completed successfully", flush=True)
    server = _Server(sock, make_handler(app))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True).start()
    ctx.webservices.set_state(name, generation, "Healthy", pid=os.getpid())
    print(f"Scoring server listening on http://127.0.0.1:{row['port']}", flush=True)
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            why = _should_stop(app, parent)
        except Exception as exc:  # noqa: BLE001 - database gone with its folder
            why = f"its workspace cannot be read ({exc})"
        if why:
            print(f"Stopping: {why}.", flush=True)
            server.shutdown()
            return 0


if __name__ == "__main__":
    sys.exit(main())
