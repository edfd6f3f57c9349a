"""Bearer-token check of every service request: a token signed for this workspace.

Tokens come from ``tokens.issue_token`` (the service publishes one for local clients in
``service.json``; runs carry ``AZUREML_RUN_TOKEN``) or from the authentication classes
(per-home key). Anything else gets 401, whatever the caller's address.
"""
from __future__ import annotations

from typing import Any

import jwt
from fastapi import HTTPException, Request

from azureml_local.tokens import verify_token


async def require_token(request: Request) -> dict[str, Any]:
    """The verified claims of the request's ``Authorization: Bearer`` token; 401 otherwise.

    A coroutine on purpose: checking an HS256 signature takes microseconds, a thread hop more.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "This workspace service needs 'Authorization: Bearer <token>' with a token of "
                                 "the workspace (azureml_local.tokens.issue_token).",
                            headers={"WWW-Authenticate": "Bearer"})
    try:
        return verify_token(request.app.state.ctx, token.strip())
    except jwt.InvalidTokenError as exc:
        raise HTTPException(401, f"The bearer token is not valid for this workspace: {exc}",
                            headers={"WWW-Authenticate": "Bearer"}) from exc
