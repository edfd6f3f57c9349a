"""Bearer-token check of every service request: a token signed for this workspace or this home.

Tokens come from ``tokens.issue_token`` (the service publishes one for local clients in
``service.json``; runs carry ``AZUREML_RUN_TOKEN``) or from the authentication classes'
``get_authentication_header()`` (per-home key). Anything else gets 401 with an Azure-shaped
body and ``WWW-Authenticate: Bearer``, whatever the caller's address: a missing or malformed
header, a token that is not a JWT, a forged signature, ``alg=none``, a token without expiry or
expired, one for another workspace (audience).
"""
from __future__ import annotations

from typing import Any

import jwt
from fastapi import Request

from azureml_local.service.rest.errors import ApiError
from azureml_local.tokens import verify_token

CHALLENGE = {"WWW-Authenticate": "Bearer"}
HOW = ("Send 'Authorization: Bearer <token>' with a token from "
       "InteractiveLoginAuthentication().get_authentication_header() (or any azureml.core.authentication "
       "class), or a token of this workspace (azureml_local.tokens.issue_token).")


async def require_token(request: Request) -> dict[str, Any]:
    """The verified claims of the request's ``Authorization: Bearer`` token; 401 otherwise.

    A coroutine on purpose: checking an HS256 signature takes microseconds, a thread hop more.
    """
    header = request.headers.get("authorization")
    if not header:
        raise _denied("AuthenticationFailed", f"The request has no Authorization header. {HOW}")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise _denied("AuthenticationFailed", f"The Authorization header must be 'Bearer <token>'. {HOW}")
    try:
        claims = verify_token(request.app.state.ctx, token)
    except jwt.ExpiredSignatureError as exc:
        raise _denied("ExpiredAuthenticationToken",
                      "The bearer token has expired. Get a new one from get_authentication_header().") from exc
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError) as exc:
        raise _denied("InvalidAuthenticationTokenAudience",
                      f"The bearer token is not valid for this workspace: {exc}. {HOW}") from exc
    except jwt.InvalidTokenError as exc:
        raise _denied("InvalidAuthenticationToken",
                      f"The bearer token is not valid for this workspace: {exc}. {HOW}") from exc
    if "exp" not in claims:
        raise _denied("InvalidAuthenticationToken", f"The bearer token has no expiry (exp). {HOW}")
    return claims


def _denied(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, CHALLENGE)
