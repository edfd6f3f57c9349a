"""Azure ML cloud URLs answered by the local workspace service; other external hosts refused.

Code under test often keeps a URL it got from Azure: a published pipeline's REST endpoint
(``https://<region>.api.azureml.ms/pipelines/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/
Microsoft.MachineLearningServices/workspaces/<ws>/PipelineRuns/PipelineSubmit/<id>``) in a config file or
a Data Factory definition. Inside :class:`CloudUrls` (``mock_workspace(cloud_urls=True)``, the
``azureml_cloud_urls`` fixture or marker):

* ``requests`` calls to ``*.api.azureml.ms`` are forwarded, by a real HTTP call, to the service of
  the local workspace the URL names, with the same path, query, headers and body; the cloud ids map
  to a local workspace exactly as ``Workspace.from_config()`` maps a cloud ``config.json``
  (``$AZUREML_LOCAL_HOME/workspaces/<sub>/<rg>/<ws>``); a workspace that does not exist locally is
  answered 404, never created;
* ``requests`` calls to loopback (the local service, Azurite) pass through untouched;
* any other host raises :class:`ExternalCallBlocked` (a ``requests.ConnectionError``) instead of reaching
  the network; so do ``http.client``/``urllib`` connections to non-loopback hosts (their
  ``HTTPConnection.connect`` is wrapped with ``wrapt`` while the block is active).

``requests`` is intercepted with ``responses`` (a ``RequestsMock`` with pass-through for loopback). The
token the caller sends is forwarded as is: the service checks it (``service/auth.py``), so send what
``azureml.core.authentication``'s ``get_authentication_header()`` gives, as you would in Azure.
Needs the ``testing`` extra (``pip install azureml-local[testing]``).
"""
from __future__ import annotations

import http.client
import re
from typing import Any
from urllib.parse import unquote, urlsplit

import requests

from azureml_local.context import WorkspaceContext
from azureml_local.exceptions import UserErrorException
from azureml_local.home import workspace_folder
from azureml_local.service.control import ensure_listening
from azureml_local.service.urls import base_url, is_loopback

CLOUD_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*api\.azureml\.ms$", re.IGNORECASE)
_CLOUD_URL = re.compile(r"^https?://(?:[a-z0-9-]+\.)*api\.azureml\.ms(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)
_LOOPBACK_URL = re.compile(r"^https?://(?:[^/@]*@)?(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)",
                           re.IGNORECASE)
# every URL that is neither cloud nor loopback (responses must not see two matching entries)
_EXTERNAL_URL = re.compile(r"^(?!" + _CLOUD_URL.pattern[1:] + r")(?!" + _LOOPBACK_URL.pattern[1:] + r")https?://",
                           re.IGNORECASE)
_WORKSPACE = re.compile(r"/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/"
                        r"Microsoft\.MachineLearningServices/workspaces/([^/?#]+)", re.IGNORECASE)
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "content-encoding"}
FORWARD_TIMEOUT = 120.0


class ExternalCallBlocked(requests.ConnectionError):
    """A call to a host that is neither Azure ML's cloud nor loopback, refused inside the mock."""


def local_workspace_for(url: str) -> WorkspaceContext | None:
    """The local workspace a cloud URL names (None when the URL names none or it does not exist here)."""
    match = _WORKSPACE.search(urlsplit(url).path)
    if match is None:
        return None
    subscription_id, resource_group, name = (unquote(part) for part in match.groups())
    folder = workspace_folder(subscription_id, resource_group, name)
    if not (folder / "workspace.json").is_file():
        return None
    return WorkspaceContext.for_folder(folder)


def local_url(ctx: WorkspaceContext, url: str) -> str:
    """The same path and query on the workspace's local service."""
    parts = urlsplit(url)
    return base_url(ctx) + parts.path + (f"?{parts.query}" if parts.query else "")


def _not_found(url: str) -> tuple[int, dict, str]:
    import json

    message = (f"No local workspace answers {url}: the URL must name /subscriptions/<sub>/resourceGroups/<rg>/"
               "providers/Microsoft.MachineLearningServices/workspaces/<name> of a workspace that exists in "
               "AZUREML_LOCAL_HOME (the one Workspace.from_config() opens for a config.json with those ids).")
    return 404, {"Content-Type": "application/json"}, json.dumps(
        {"error": {"code": "ResourceNotFound", "message": message}})


class CloudUrls:
    """Context manager routing Azure ML cloud URLs to local services (see the module docstring)."""

    def __init__(self, forward_timeout: float = FORWARD_TIMEOUT):
        self.forward_timeout = forward_timeout
        self._mock: Any = None
        self._original_connect: Any = None
        self.forwarded: list[tuple[str, str, int]] = []  # (method, local url, status)

    def __enter__(self) -> "CloudUrls":
        try:
            import responses
            import wrapt
        except ImportError as exc:
            raise UserErrorException(
                f"Cloud URLs need the 'testing' extra ({exc.name} is missing): pip install 'azureml-local[testing]'."
            ) from exc
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        mock.add_passthru(_LOOPBACK_URL)
        for method in _METHODS:
            mock.add_callback(method, _CLOUD_URL, callback=self._forward)
            mock.add_callback(method, _EXTERNAL_URL, callback=self._refuse)
        mock.start()
        self._mock = mock
        self._original_connect = http.client.HTTPConnection.connect
        http.client.HTTPConnection.connect = wrapt.FunctionWrapper(self._original_connect, _guard_connect)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._original_connect is not None:
            http.client.HTTPConnection.connect = self._original_connect
            self._original_connect = None
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None

    # -- callbacks (responses calls them with the PreparedRequest) ------------------------------------
    def _forward(self, request: Any) -> tuple[int, dict, bytes | str]:
        """Send the request to the local service of the workspace its URL names; answer what it answers."""
        ctx = local_workspace_for(request.url)
        if ctx is None:
            return _not_found(request.url)
        ensure_listening(ctx)
        target = local_url(ctx, request.url)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        with requests.Session() as session:  # loopback: passes through the mock to the real service
            answer = session.request(request.method, target, headers=headers, data=request.body,
                                     allow_redirects=False, timeout=self.forward_timeout)
        self.forwarded.append((request.method, target, answer.status_code))
        out_headers = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_HEADERS}
        return answer.status_code, out_headers, answer.content

    def _refuse(self, request: Any) -> tuple[int, dict, Exception]:
        host = urlsplit(request.url).hostname
        error = ExternalCallBlocked(
            f"azureml-local blocked {request.method} {request.url}: inside mock_workspace(cloud_urls=True) only "
            f"Azure ML cloud hosts (*.api.azureml.ms, answered by the local workspace service) and loopback are "
            f"reachable, not {host!r}. Call it outside the mock, or stub it with responses.")
        return 0, {}, error


def _guard_connect(wrapped: Any, instance: Any, args: tuple, kwargs: dict) -> Any:
    """``http.client.HTTPConnection.connect`` inside the block: loopback only."""
    if not is_loopback(str(instance.host)):
        raise ExternalCallBlocked(
            f"azureml-local blocked a connection to {instance.host}:{instance.port} (http.client/urllib): inside "
            "mock_workspace(cloud_urls=True) only loopback is reachable this way; use requests for Azure ML "
            "cloud URLs (they are answered locally).")
    return wrapped(*args, **kwargs)
