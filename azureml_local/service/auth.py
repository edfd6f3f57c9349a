"""Bearer-token check of every service request: a token signed for this workspace or this home.

Tokens come from ``tokens.issue_token`` (the service publishes one for local clients in
``service.json``; runs carry ``AZUREML_RUN_TOKEN``) or from the authentication classes'
``get_authentication_header()`` (per-home key). Anything else gets 401 with an Azure-shaped
body and ``WWW-Authenticate: Bearer``, whatever the caller's address: a missing or malformed
header, a token that is not a JWT, a forged signature, ``alg=none``, a token without expiry or
expired, one for another workspace (audience).
"""
from __future__ import annotations

import time
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


# -- the Studio's pages: the same tokens, carried by a link once and then by an HttpOnly cookie ------
STUDIO_COOKIE_PREFIX = "azureml_local_studio_"
STUDIO_HOW = ("Open the Studio with the link that `azureml-local studio` (or Run.get_portal_url()) prints: "
              "it carries a token of this workspace.")


class StudioLogin(Exception):
    """A page was opened with ``?token=``: answer with a redirect that sets the cookie and drops the token."""

    def __init__(self, token: str, location: str, max_age: int):
        super().__init__(location)
        self.token, self.location, self.max_age = token, location, max_age


def studio_cookie(ctx: Any) -> str:
    """The cookie's name: one per workspace (cookies ignore ports, and each workspace has its own port)."""
    return STUDIO_COOKIE_PREFIX + ctx.workspace_id.replace("-", "")


def _checked_claims(request: Request, token: str) -> dict[str, Any]:
    try:
        claims = verify_token(request.app.state.ctx, token)
    except jwt.InvalidTokenError as exc:
        raise _denied("InvalidAuthenticationToken", f"The Studio token is not valid (or has expired): {exc}. "
                                                    f"{STUDIO_HOW}") from exc
    if "exp" not in claims:
        raise _denied("InvalidAuthenticationToken", f"The token has no expiry (exp). {STUDIO_HOW}")
    return claims


async def require_studio_access(request: Request) -> dict[str, Any]:
    """Claims of the page's credential: ``?token=`` (traded for a cookie), the cookie, or a bearer header."""
    token = request.query_params.get("token")
    if token:
        claims = _checked_claims(request, token)
        rest = "&".join(f"{k}={v}" for k, v in _raw_params(request) if k != "token")
        location = request.url.path + (f"?{rest}" if rest else "")
        raise StudioLogin(token, location, max(60, int(claims["exp"] - time.time())))
    if request.headers.get("authorization"):
        return await require_token(request)
    cookie = request.cookies.get(studio_cookie(request.app.state.ctx))
    if not cookie:
        raise _denied("AuthenticationFailed", f"This page needs the workspace's credential. {STUDIO_HOW}")
    return _checked_claims(request, cookie)


def _raw_params(request: Request) -> list[tuple[str, str]]:
    """The query string's pairs as sent (still percent-encoded), in order."""
    return [(key, value) for key, _, value in (part.partition("=") for part in request.url.query.split("&") if part)]
