"""Authentication classes: no prompt, no network, tokens the workspace service accepts."""
import os
import stat

import jwt
import pytest

from azureml.core.authentication import (AzureCliAuthentication, AzureMLTokenAuthentication,
                                         InteractiveLoginAuthentication, MsiAuthentication,
                                         ServicePrincipalAuthentication, TokenAuthentication)
from azureml.exceptions import AuthenticationException, UserErrorException
from azureml_local.tokens import issue_token, verify_token


def test_interactive_header_is_verified_by_workspace(ws, local_home):
    auth = InteractiveLoginAuthentication()
    header = auth.get_authentication_header()
    assert set(header) == {"Authorization"} and header["Authorization"].startswith("Bearer ")
    claims = verify_token(ws, header["Authorization"].split(" ", 1)[1])
    assert claims["sub"].startswith("user:") and claims["auth_type"] == "InteractiveLoginAuthentication"
    mode = stat.S_IMODE(os.stat(local_home / "auth_secret").st_mode)
    assert mode == 0o600
    assert auth.get_authentication_header() == header  # cached, not re-signed every call
    assert auth.get_token().expires_on > 0


def test_workspace_tokens_still_verify(ws):
    assert verify_token(ws, issue_token(ws, "run:1"))["sub"] == "run:1"


def test_service_principal_and_others(ws):
    sp = ServicePrincipalAuthentication(tenant_id="t", service_principal_id="app-1",
                                        service_principal_password="secret")
    claims = verify_token(ws, sp.get_authentication_header()["Authorization"][7:])
    assert claims["sub"] == "sp:app-1" and claims["tid"] == "t"
    for auth in (AzureCliAuthentication(), MsiAuthentication()):
        verify_token(ws, auth.get_authentication_header()["Authorization"][7:])
    unset = ServicePrincipalAuthentication("t", None, None)  # CI without secrets: accepted, with a warning
    assert verify_token(ws, unset.get_authentication_header()["Authorization"][7:])["sub"] == "sp:unknown"
    with pytest.raises(UserErrorException, match="Unknown cloud"):
        InteractiveLoginAuthentication(cloud="Mars")


def test_forged_and_expired_tokens_rejected(ws):
    forged = jwt.encode({"sub": "x", "aud": "azureml-local-home", "exp": 9999999999}, b"w" * 32, algorithm="HS256")
    with pytest.raises(jwt.InvalidTokenError):
        verify_token(ws, forged)
    from azureml_local.authentication import issue_home_token

    with pytest.raises(jwt.ExpiredSignatureError):
        verify_token(ws, issue_home_token("user:x", ttl_seconds=-10))


def test_token_and_run_token_auth(ws):
    auth = TokenAuthentication(lambda audience: f"tok-{audience.value}")
    assert auth.get_authentication_header() == {"Authorization": "Bearer tok-ARM"}
    with pytest.raises(AuthenticationException):
        TokenAuthentication(None)
    run_token = issue_token(ws, "run:abc")
    aml = AzureMLTokenAuthentication(run_token, run_id="abc")
    assert aml.token == run_token and aml.expiry_time is not None
    assert verify_token(ws, aml.get_authentication_header()["Authorization"][7:])["sub"] == "run:abc"
