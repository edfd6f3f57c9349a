"""The URLs a workspace hands out (published pipelines, pipeline endpoints) and its stable port.

An endpoint URL must keep working across service restarts and reboots, so each workspace gets a
port once and keeps it (``<workspace>/service_port``); the URL path has the cloud's shape so
code that parses or logs it sees what it would see in Azure. Standard library only: the SDK
classes read these in user processes.
"""
from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import time
from typing import Any
from urllib.parse import quote

from azureml_local.context import as_context
from azureml_local.tokens import issue_token

PORT_FILE = "service_port"
PORT_RANGE = (20000, 30000)  # below Linux's ephemeral range (32768-60999): a client socket never takes it
API_PREFIX = "/pipelines/v1.0"
HOST_ENV = "AZUREML_LOCAL_SERVICE_HOST"  # where the service listens (default loopback)
DEFAULT_HOST = "127.0.0.1"


def service_port(ws: Any) -> int:
    """The workspace's stable service port, chosen on first use and recorded in its folder."""
    ctx = as_context(ws)
    path = ctx.folder / PORT_FILE
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        pass
    port = free_port(ctx.workspace_id)
    tmp = path.with_name(f".{PORT_FILE}.{os.getpid()}")
    tmp.write_text(str(port))
    try:
        os.link(tmp, path)  # first writer wins: concurrent first uses agree on one port
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return int(path.read_text().strip())


def free_port(seed: str, taken: "set[int] | frozenset[int]" = frozenset()) -> int:
    """A port in PORT_RANGE nothing listens on and not in ``taken``, starting from one derived from ``seed``
    (also the stable port of each deployed web service, ``webservice/layout.py``)."""
    low, high = PORT_RANGE
    start = int(hashlib.sha256(seed.encode()).hexdigest(), 16) % (high - low)
    for offset in range(high - low):
        port = low + (start + offset) % (high - low)
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError(f"No free port in {low}-{high} for the workspace service.")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: only this machine's users can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def client_host(host: str) -> str:
    """Where a client on this machine connects to a service listening on ``host`` (loopback for a wildcard)."""
    if host in ("0.0.0.0", "", "::"):
        return DEFAULT_HOST
    return f"[{host}]" if ":" in host else host


def base_url(ws: Any) -> str:
    """``http://127.0.0.1:<port>``: where the workspace's service answers.

    Always loopback: a service listening on 0.0.0.0 (``--host``, docker) answers there too, and a
    URL handed out must not depend on how the service that happens to run was started.
    """
    return f"http://127.0.0.1:{service_port(ws)}"


def workspace_path(ws: Any) -> str:
    """The cloud's ARM path of the workspace inside a pipelines URL."""
    ctx = as_context(ws)
    return (f"/subscriptions/{quote(ctx.subscription_id)}/resourceGroups/{quote(ctx.resource_group)}"
            f"/providers/Microsoft.MachineLearningServices/workspaces/{quote(ctx.workspace_name)}")


def pipelines_url(ws: Any) -> str:
    """``<base>/pipelines/v1.0/subscriptions/.../workspaces/<ws>``: prefix of every pipelines REST URL."""
    return base_url(ws) + API_PREFIX + workspace_path(ws)


def published_pipeline_url(ws: Any, pipeline_id: str) -> str:
    """``PublishedPipeline.endpoint``: POST here to start the published pipeline."""
    return f"{pipelines_url(ws)}/PipelineRuns/PipelineSubmit/{pipeline_id}"


def pipeline_endpoint_url(ws: Any, endpoint_id: str) -> str:
    """``PipelineEndpoint.endpoint``: POST here (optionally ``/<version>``) to start its default version."""
    return f"{pipelines_url(ws)}/PipelineRuns/PipelineEndpointSubmit/Id/{endpoint_id}"


def pipeline_endpoint_swagger_url(ws: Any) -> str:
    """``PipelineEndpoint.swaggerurl``."""
    return f"{base_url(ws)}/pipelines/swagger/pipelineendpointsubmit/swagger.json"


# -- the Studio (pages served by the same service under /studio) -------------------------------------
STUDIO_PREFIX = "/studio"
STUDIO_TOKEN_TTL = 7 * 24 * 3600  # a link printed in a notebook keeps working for a week
_STUDIO_TOKEN_REUSE = 24 * 3600  # one token per workspace and process for a day: the same run, the same link
_studio_tokens: dict[str, tuple[float, str]] = {}


def studio_url(ws: Any, page: str = "", with_token: bool = True) -> str:
    """``http://127.0.0.1:<port>/studio/<page>?token=...``: a Studio page the browser can open as is.

    The token (signed with the workspace secret, like every bearer the service accepts) is traded
    by the service for an HttpOnly cookie and dropped from the address bar (``service/auth.py``).
    """
    url = base_url(ws) + STUDIO_PREFIX + ("/" + page.lstrip("/") if page else "")
    if not with_token:
        return url
    return f"{url}{'&' if '?' in url else '?'}token={studio_token(ws)}"


def studio_token(ws: Any) -> str:
    """The token Studio links of this process carry (minted once a day per workspace)."""
    ctx = as_context(ws)
    minted, token = _studio_tokens.get(ctx.workspace_id, (0.0, ""))
    if time.time() - minted > _STUDIO_TOKEN_REUSE:
        minted, token = time.time(), issue_token(ctx, "azureml-local-studio", STUDIO_TOKEN_TTL, scope="studio")
        _studio_tokens[ctx.workspace_id] = (minted, token)
    return token


def run_studio_url(ws: Any, run_id: str) -> str:
    """The Studio page of one run (``Run.get_portal_url()``, the "Web View" line)."""
    return studio_url(ws, f"runs/{quote(run_id, safe='')}")


def experiment_studio_url(ws: Any, experiment_name: str) -> str:
    """The Studio page of an experiment's runs (``Experiment.get_portal_url()``)."""
    return studio_url(ws, f"experiments/{quote(experiment_name, safe='')}")
