"""The Studio's HTTP side on a real service process: credential, token-to-cookie, downloads, traversal."""
from __future__ import annotations

import http.client

import pytest

from azureml_local.runs import artifacts
from azureml_local.service import control, urls
from azureml_local.service.auth import studio_cookie
from azureml_local.tokens import issue_token


def _get(info: dict, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", info["port"], timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture
def served(ws) -> tuple[dict, str]:
    """A service with one run holding an output, an HTML file and a log; the run id."""
    ctx = ws._context
    run_id = ctx.runs.create_run("web", "web-run-1", status="Completed")
    artifacts.upload_bytes(ctx, run_id, "outputs/model.txt", b"weights: 42\n")
    artifacts.upload_bytes(ctx, run_id, "outputs/page.html", b"<script>alert(1)</script>")
    info = control.ensure_service(ws, wait=True, timeout=60)
    assert info is not None
    return info, run_id


def test_nothing_is_readable_without_the_credential(served) -> None:
    info, run_id = served
    for path in ("/studio", "/studio/experiments/web", f"/studio/runs/{run_id}",
                 f"/studio/runs/{run_id}/files/outputs/model.txt", "/studio/pipelines", "/studio/static/studio.css",
                 f"/studio/runs/{run_id}/log?name=user_logs/std_log.txt"):
        status, headers, body = _get(info, path)
        assert status == 401, path
        assert run_id.encode() not in body and b"weights" not in body
    status, _, body = _get(info, "/studio", {"Cookie": "azureml_local_studio_x=forged"})
    assert status == 401


def test_a_link_token_becomes_an_httponly_cookie_and_leaves_the_address(ws, served) -> None:
    info, run_id = served
    url = urls.run_studio_url(ws, run_id)
    assert url.startswith(f"http://127.0.0.1:{info['port']}/studio/runs/{run_id}?token=")
    path = url.split(str(info["port"]), 1)[1]
    status, headers, _ = _get(info, path)
    assert status == 303 and headers["location"] == f"/studio/runs/{run_id}"
    cookie = headers["set-cookie"]
    name = studio_cookie(ws._context)
    assert cookie.startswith(f"{name}=") and "HttpOnly" in cookie and "Path=/studio" in cookie
    assert "samesite=strict" in cookie.lower()
    value = cookie.split(";", 1)[0]
    status, _, body = _get(info, f"/studio/runs/{run_id}", {"Cookie": value})
    assert status == 200 and run_id.encode() in body and b"outputs/model.txt" in body
    # other query parameters survive the redirect
    status, headers, _ = _get(info, f"/studio/experiments/web?page=2&token={url.split('token=')[1]}&sort=status")
    assert status == 303 and headers["location"] == "/studio/experiments/web?page=2&sort=status"


def test_bad_tokens_are_refused(served, tmp_path) -> None:
    info, _ = served
    for token in ("nonsense", "a.b.c"):
        status, headers, _ = _get(info, f"/studio?token={token}")
        assert status == 401 and "set-cookie" not in headers


def test_downloads_are_attachments_and_html_never_renders(ws, served) -> None:
    info, run_id = served
    bearer = {"Authorization": f"Bearer {issue_token(ws, 'test', 600)}"}
    status, headers, body = _get(info, f"/studio/runs/{run_id}/files/outputs/model.txt", bearer)
    assert (status, body) == (200, b"weights: 42\n")
    assert headers["content-disposition"] == "attachment; filename*=UTF-8''model.txt"
    status, headers, body = _get(info, f"/studio/runs/{run_id}/files/outputs/page.html?inline=1", bearer)
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("suffix", ["files/../../secret", "files/..%2F..%2Fsecret", "files/outputs/..%2F..%2F..%2Fsecret",
                                    "files/%2Fetc%2Fpasswd", "snapshot/..%2F..%2Fsecret", "files/outputs%5C..%5C..%5Csecret"])
def test_path_traversal_in_run_downloads_is_refused(ws, served, suffix: str) -> None:
    info, run_id = served
    bearer = {"Authorization": f"Bearer {issue_token(ws, 'test', 600)}"}
    status, _, body = _get(info, f"/studio/runs/{run_id}/{suffix}", bearer)
    assert status == 400 and b"Refused" in body
    assert ws._context.secret() not in body and b"root:" not in body


def test_path_traversal_in_blob_downloads_is_refused(ws, served) -> None:
    info, _ = served
    bearer = {"Authorization": f"Bearer {issue_token(ws, 'test', 600)}"}
    for path in ("/studio/datastores/workspaceblobstore/blobs/..%2F..%2Fsecret",
                 "/studio/datastores/workspaceblobstore?prefix=..%2F.."):
        status, _, body = _get(info, path, bearer)
        assert status == 400 and b"Refused" in body
