"""The service's HTTP side: real requests on loopback to a real service process, with and without a token."""
from __future__ import annotations

import http.client
import json

import pytest

from azureml_local.service import control
from azureml_local.tokens import issue_token


def _call(info: dict, method: str, path: str, token: str | None) -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", info["port"], timeout=10)
    try:
        headers = {"Content-Length": "0"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null"), dict(response.getheaders())
    finally:
        conn.close()


@pytest.fixture
def service(ws) -> dict:
    info = control.ensure_service(ws, wait=True)
    assert info is not None
    return info


def test_service_json_names_a_loopback_url_and_is_private(ws, service) -> None:
    assert service["url"] == f"http://127.0.0.1:{service['port']}"
    assert (ws._local_folder / "service.json").stat().st_mode & 0o077 == 0


def test_health_with_the_published_token(ws, service) -> None:
    status, body, _ = _call(service, "GET", "/health", service["token"])
    assert status == 200
    assert body["pid"] == service["pid"]
    assert body["workspace"]["name"] == ws.name
    assert body["workspace"]["folder"] == str(ws._local_folder)
    assert (body["queued"], body["active"]) == (0, 0)


def test_a_run_token_of_the_workspace_is_accepted(ws, service) -> None:
    status, body, _ = _call(service, "POST", "/wake", issue_token(ws, "some-run-id"))
    assert (status, body) == (202, {"woken": True})


@pytest.mark.parametrize("token", [None, "", "not-a-jwt"])
def test_requests_without_a_valid_token_get_401(service, token) -> None:
    for method, path in (("GET", "/health"), ("POST", "/wake")):
        status, body, headers = _call(service, method, path, token)
        assert status == 401
        assert body["error"]["code"] in ("AuthenticationFailed", "InvalidAuthenticationToken")
        assert "token" in body["error"]["message"]
        assert headers.get("www-authenticate") == "Bearer"


def test_a_token_of_another_workspace_gets_401(service, tmp_path) -> None:
    from azureml.core import Workspace

    other = Workspace.create("other-ws", subscription_id="sub-2", resource_group="rg-2", exist_ok=True,
                             show_output=False)
    status, body, _ = _call(service, "GET", "/health", issue_token(other, "intruder"))
    assert status == 401
    assert body["error"]["code"] == "InvalidAuthenticationToken"  # signed with the other workspace's key
    assert "not valid for this workspace" in body["error"]["message"]


def test_no_api_docs_are_served(service) -> None:
    assert _call(service, "GET", "/docs", service["token"])[0] == 404
    assert _call(service, "GET", "/openapi.json", service["token"])[0] == 404


def test_user_processes_never_import_the_web_stack() -> None:
    import subprocess
    import sys

    code = ("import sys, azureml.core, azureml_local.service.control, azureml_local.service.info\n"
            "bad = [m for m in ('fastapi', 'uvicorn', 'starlette', 'pydantic', 'requests', 'jwt', 'http.client')"
            " if m in sys.modules]\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
