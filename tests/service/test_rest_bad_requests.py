"""Bad requests to the pipelines REST API: each gets its 4xx, an Azure-shaped body, and creates nothing.

Real HTTP on loopback (``requests``) against the workspace's real service process, with a real
published pipeline and pipeline endpoint. For every case the run, experiment and queue rows are
counted before and after: a rejected request leaves no run, no experiment and nothing queued.
One service serves all cases (starting one per case would cost a second each); a failing case
is reported by name with what came back.
"""
from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any, NamedTuple

import jwt
import requests

from azureml.core import Workspace
from azureml.core.authentication import InteractiveLoginAuthentication
from azureml.pipeline.core import PipelineEndpoint
from azureml_local.service import urls
from azureml_local.tokens import HOME_AUDIENCE, issue_home_token, issue_token
from rest_helpers import publish_echo, row_counts, start

JSON = "application/json"


class Case(NamedTuple):
    name: str
    status: int
    code: str
    url: str
    body: Any = None  # dict/list/str/int: sent as JSON; bytes: sent as is
    headers: dict | None = None  # replaces the defaults (a fresh auth header + JSON content type)
    method: str = "POST"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _auth_cases(ws, url: str) -> list[Case]:
    body = {"ExperimentName": "auth"}
    now = int(time.time())
    home_claims = {"sub": "user:x", "iat": now, "exp": now + 600, "iss": "azureml-local", "aud": HOME_AUDIENCE}
    good = issue_home_token("user:x")
    header, _, signature = good.split(".")
    tampered = f"{header}.{_b64(dict(home_claims, sub='user:admin'))}.{signature.split('.')[-1]}"
    other = Workspace.create("other-ws", subscription_id="sub-2", resource_group="rg-2", exist_ok=True,
                             show_output=False)

    def bearer(token: str) -> dict:
        return {"Authorization": f"Bearer {token}", "Content-Type": JSON}

    return [
        Case("no Authorization header", 401, "AuthenticationFailed", url, body, {"Content-Type": JSON}),
        Case("Basic scheme", 401, "AuthenticationFailed", url, body,
             {"Authorization": "Basic dXNlcjpwYXNz", "Content-Type": JSON}),
        Case("Bearer without a token", 401, "AuthenticationFailed", url, body,
             {"Authorization": "Bearer ", "Content-Type": JSON}),
        Case("token of two parts", 401, "InvalidAuthenticationToken", url, body, bearer("abc.def")),
        Case("token not base64", 401, "InvalidAuthenticationToken", url, body, bearer("@@@.###.$$$")),
        Case("token not a JWT", 401, "InvalidAuthenticationToken", url, body, bearer("not-a-jwt")),
        Case("forged (signed with another key)", 401, "InvalidAuthenticationToken", url, body,
             bearer(jwt.encode(home_claims, b"not the home key at all, 32 bytes", algorithm="HS256"))),
        Case("alg=none", 401, "InvalidAuthenticationToken", url, body,
             bearer(f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(home_claims)}.")),
        Case("tampered payload", 401, "InvalidAuthenticationToken", url, body, bearer(tampered)),
        Case("expired home token", 401, "ExpiredAuthenticationToken", url, body,
             bearer(issue_home_token("user:x", ttl_seconds=-60))),
        Case("expired workspace token", 401, "ExpiredAuthenticationToken", url, body,
             bearer(issue_token(ws, "client", ttl_seconds=-60))),
        Case("wrong audience", 401, "InvalidAuthenticationTokenAudience", url, body,
             bearer(jwt.encode(dict(home_claims, aud="another-workspace"), ws._context.secret(), algorithm="HS256"))),
        Case("token without expiry", 401, "InvalidAuthenticationToken", url, body,
             bearer(jwt.encode({"sub": "x", "aud": ws._context.workspace_id}, ws._context.secret(),
                               algorithm="HS256"))),
        Case("token of another workspace", 401, "InvalidAuthenticationToken", url, body,
             bearer(issue_token(other, "intruder"))),
    ]


def _routing_cases(ws, url: str, endpoint, disabled_url: str) -> list[Case]:
    body = {"ExperimentName": "routing"}
    base = urls.pipelines_url(ws)
    by_id = endpoint.endpoint
    return [
        Case("another subscription", 404, "ResourceNotFound", url.replace("/subscriptions/sub-1/",
                                                                           "/subscriptions/sub-9/"), body),
        Case("another resource group", 404, "ResourceNotFound", url.replace("/resourceGroups/rg-1/",
                                                                             "/resourceGroups/rg-9/"), body),
        Case("another workspace", 404, "ResourceNotFound", url.replace("/workspaces/ws1/", "/workspaces/ws9/"), body),
        Case("no such API", 404, "NotFound", f"{base}/PipelineRuns/PipelineLaunch/x", body),
        Case("GET on a submit URL", 405, "MethodNotAllowed", url, None, method="GET"),
        Case("unknown published pipeline", 404, "PipelineNotFound", f"{base}/PipelineRuns/PipelineSubmit/nope", body),
        Case("disabled published pipeline", 409, "PipelineNotActive", disabled_url, body),
        Case("unknown endpoint id", 404, "PipelineEndpointNotFound", urls.pipeline_endpoint_url(ws, "nope"), body),
        Case("disabled endpoint", 409, "PipelineEndpointNotActive",
             f"{base}/PipelineRuns/PipelineEndpointSubmit/Name?name=off-endpoint", body),
        Case("unknown endpoint name", 404, "PipelineEndpointNotFound",
             f"{base}/PipelineRuns/PipelineEndpointSubmit/Name?name=nope", body),
        Case("endpoint by name without ?name=", 400, "BadArgument", f"{base}/PipelineRuns/PipelineEndpointSubmit/Name",
             body),
        Case("unknown endpoint version", 404, "PipelineVersionNotFound", f"{by_id}/7", body),
        Case("two different versions", 400, "BadArgument", f"{by_id}/0?pipelineVersion=1", body),
        Case("unknown parentRunId", 400, "ParentRunNotFound", f"{url}?parentRunId=no-such-run", body),
        Case("GET of an unknown run", 404, "NotFound", f"{base}/PipelineRuns/no-such-run", None, method="GET"),
    ]


def _body_cases(url: str) -> list[Case]:
    def raw(data: bytes, content_type: str | None = JSON) -> tuple[bytes, dict]:
        return data, ({"Content-Type": content_type} if content_type else {})

    cases = [
        ("not JSON", 400, "InvalidRequestBody", *raw(b'{"ExperimentName": "x",')),
        ("empty body", 400, "InvalidRequestBody", *raw(b"")),
        ("not UTF-8", 400, "InvalidRequestBody", *raw(b'{"ExperimentName": "\xff\xfe"}')),
        ("text/plain", 415, "UnsupportedMediaType", *raw(b'{"ExperimentName": "x"}', "text/plain")),
        ("form-encoded", 415, "UnsupportedMediaType",
         *raw(b"ExperimentName=x", "application/x-www-form-urlencoded")),
        ("no Content-Type", 415, "UnsupportedMediaType", *raw(b'{"ExperimentName": "x"}', None)),
        ("latin-1 charset", 415, "UnsupportedMediaType",
         *raw(b'{"ExperimentName": "x"}', "application/json; charset=iso-8859-1")),
        ("body over 4 MiB", 413, "RequestEntityTooLarge",
         *raw(b'{"ExperimentName": "x", "Description": "' + b"x" * (4 * 1024 * 1024) + b'"}')),
    ]
    out = [Case(name, status, code, url, data, headers) for name, status, code, data, headers in cases]
    for name, status, code, body in [
        ("a JSON array", 400, "InvalidRequestBody", [{"ExperimentName": "x"}]),
        ("a JSON string", 400, "InvalidRequestBody", "ExperimentName"),
        ("a JSON null", 400, "InvalidRequestBody", None),
        ("no ExperimentName", 400, "InvalidExperimentName", {"ParameterAssignments": {"count": 2}}),
        ("ExperimentName a number", 400, "InvalidRequestBody", {"ExperimentName": 12}),
        ("ExperimentName with a space", 400, "InvalidExperimentName", {"ExperimentName": "bad name"}),
        ("ParameterAssignments an array", 400, "InvalidRequestBody",
         {"ExperimentName": "x", "ParameterAssignments": ["count", 2]}),
        ("parameter value an object", 400, "InvalidRequestBody",
         {"ExperimentName": "x", "ParameterAssignments": {"count": {"value": 2}}}),
        ("unknown parameter", 400, "UnknownPipelineParameter",
         {"ExperimentName": "x", "ParameterAssignments": {"cuont": 2}}),
        ("wrong parameter type", 400, "InvalidParameterValue",
         {"ExperimentName": "x", "ParameterAssignments": {"count": "many"}}),
        ("ContinueRunOnStepFailure not a bool", 400, "InvalidRequestBody",
         {"ExperimentName": "x", "ContinueRunOnStepFailure": "maybe"}),
        ("tags an array", 400, "InvalidRequestBody", {"ExperimentName": "x", "tags": ["a"]}),
        ("Properties value an object", 400, "InvalidRequestBody", {"ExperimentName": "x", "Properties": {"a": {}}}),
        ("DataPathAssignments a string", 400, "InvalidRequestBody",
         {"ExperimentName": "x", "DataPathAssignments": "workspaceblobstore/x"}),
        ("DataPath for a scalar parameter", 400, "InvalidDataPathAssignment",
         {"ExperimentName": "x", "DataPathAssignments": {"count": {"DataStoreName": "workspaceblobstore",
                                                                    "RelativePath": "a"}}}),
        ("dataset for a scalar parameter", 400, "InvalidDataSetAssignment",
         {"ExperimentName": "x", "DataSetDefinitionValueAssignments": {"label": {"SavedDataSetReference":
                                                                                 {"Id": "x"}}}}),
    ]:
        out.append(Case(name, status, code, url, json.dumps(body).encode(), {"Content-Type": JSON}))
    return out


def _send(case: Case) -> requests.Response:
    headers = case.headers if case.headers is not None else {"Content-Type": JSON}
    if "Authorization" not in headers and case.status != 401:
        headers = {**headers, **InteractiveLoginAuthentication().get_authentication_header()}
    data = case.body if isinstance(case.body, (bytes, type(None))) else json.dumps(case.body).encode()
    return requests.request(case.method, case.url, headers=headers, data=data, timeout=30)


def _check(case: Case, response: requests.Response) -> str | None:
    """What is wrong with the answer to ``case`` (None: right)."""
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if response.status_code != case.status or not isinstance(error, dict) or error.get("code") != case.code:
        return f"{response.status_code} {body}"
    if set(error) != {"code", "message"} or not error["message"] or "Traceback" in response.text:
        return f"not an Azure error body: {body}"
    if case.status == 401 and response.headers.get("WWW-Authenticate") != "Bearer":
        return f"401 without WWW-Authenticate: Bearer ({dict(response.headers)})"
    return None


def test_at_least_30_bad_requests_get_their_4xx_and_create_nothing(ws, tmp_path: Path) -> None:
    published = publish_echo(ws, tmp_path / "echo")
    disabled = publish_echo(ws, tmp_path / "off", name="off")
    disabled.disable()
    endpoint = PipelineEndpoint.publish(ws, "echo-endpoint", "REST tests", published)
    PipelineEndpoint.publish(ws, "off-endpoint", "disabled", published).disable()
    start(ws)
    cases = (_auth_cases(ws, published.endpoint) + _routing_cases(ws, published.endpoint, endpoint, disabled.endpoint)
             + _body_cases(published.endpoint))
    assert len({case.name for case in cases}) == len(cases) >= 30

    before = row_counts(ws)
    failures = []
    for case in cases:
        problem = _check(case, _send(case))
        if problem is None and row_counts(ws) != before:
            problem = f"created rows: {before} -> {row_counts(ws)}"
        if problem:
            failures.append(f"{case.name}: {problem}")
    assert not failures, "\n".join(failures)

    # the same service still accepts a good request (the rejections were about the requests)
    good = requests.post(published.endpoint, headers=InteractiveLoginAuthentication().get_authentication_header(),
                         json={"ExperimentName": "after-the-bad-ones"}, timeout=30)
    assert good.status_code == 200, good.text
    assert row_counts(ws)[:2] == (before[0] + 1, before[1] + 1)
