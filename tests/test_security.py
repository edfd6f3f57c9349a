"""Security defaults: private key files, strict token checks, loopback-only listeners."""
from __future__ import annotations

import stat
import time
from pathlib import Path

import jwt
import psutil
import pytest

from azureml_local import tokens


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_workspace_secret_home_key_and_service_file_are_private(ws) -> None:
    from azureml_local.service.control import start_service, stop_service

    assert mode(ws._local_folder / "secret") == 0o600
    ws.get_default_keyvault().set_secret("db-password", "s3cret")  # the key vault's key derives from `secret`
    assert mode(ws._local_folder / "secret") == 0o600
    tokens.issue_home_token("me")
    assert mode(tokens.local_home() / "auth_secret") == 0o600
    start_service(ws)
    try:
        assert mode(ws._local_folder / "service.json") == 0o600  # it holds a bearer token
    finally:
        stop_service(ws)


def test_the_secret_is_never_world_readable_even_with_a_permissive_umask(local_home: Path) -> None:
    import os

    from azureml.core import Workspace

    old = os.umask(0)
    try:
        ws = Workspace.get("umask-ws", subscription_id="sub-1", resource_group="rg-1")
    finally:
        os.umask(old)
    assert mode(ws._local_folder / "secret") == 0o600


def test_a_valid_workspace_token_verifies(ws) -> None:
    assert tokens.verify_token(ws, tokens.issue_token(ws, "me", 60))["sub"] == "me"


@pytest.mark.parametrize("case", ["forged signature", "expired", "no exp", "no aud", "other workspace",
                                  "alg none", "alg HS512"])
def test_bad_tokens_are_refused(ws, case: str) -> None:
    now = int(time.time())
    base = {"sub": "x", "iat": now, "exp": now + 600, "iss": "azureml-local", "aud": ws._workspace_id}
    key, alg = ws._secret(), "HS256"
    if case == "forged signature":
        key = b"0" * 32
    elif case == "expired":
        base["exp"] = now - 10
    elif case == "no exp":
        del base["exp"]
    elif case == "no aud":
        del base["aud"]
    elif case == "other workspace":
        base["aud"] = "another-workspace-id"
    elif case == "alg HS512":
        alg = "HS512"
    if case == "alg none":
        token = jwt.encode(base, None, algorithm="none")
    else:
        token = jwt.encode(base, key, algorithm=alg)
    with pytest.raises(jwt.InvalidTokenError):
        tokens.verify_token(ws, token)


def test_home_tokens_need_the_home_key_and_an_expiry(local_home: Path, ws) -> None:
    now = int(time.time())
    claims = {"sub": "x", "iss": tokens.HOME_ISSUER, "aud": tokens.HOME_AUDIENCE, "iat": now}
    assert tokens.verify_token(ws, tokens.issue_home_token("me"))["sub"] == "me"
    with pytest.raises(jwt.InvalidTokenError):
        tokens.verify_token(ws, jwt.encode({**claims, "exp": now + 60}, b"1" * 32, algorithm="HS256"))
    with pytest.raises(jwt.MissingRequiredClaimError):
        tokens.verify_token(ws, jwt.encode(claims, tokens.home_secret(), algorithm="HS256"))


def listening_addresses(pid: int) -> set[str]:
    return {c.laddr.ip for c in psutil.Process(pid).net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}


def test_the_workspace_service_listens_on_loopback_only_by_default(ws, monkeypatch: pytest.MonkeyPatch) -> None:
    from azureml_local.service.control import start_service, stop_service
    from azureml_local.service.urls import HOST_ENV, is_loopback

    monkeypatch.delenv(HOST_ENV, raising=False)
    info = start_service(ws)
    try:
        addresses = listening_addresses(int(info["pid"]))
        assert addresses and all(is_loopback(a) for a in addresses), addresses
    finally:
        stop_service(ws)


def test_azurite_listens_on_loopback_only(tmp_path: Path) -> None:
    from azureml_local.service.urls import is_loopback
    from azureml_local.store.azurite import AzuriteNotAvailableError, start_azurite, terminate

    try:
        inst = start_azurite(None, tmp_path / "azurite.log", in_memory=True, detached=False)
    except AzuriteNotAvailableError as exc:
        pytest.fail(f"Azurite is needed here: {exc.message}")
    try:
        addresses = listening_addresses(inst.pid)
        assert addresses and all(is_loopback(a) for a in addresses), addresses
    finally:
        terminate(inst.pid)
