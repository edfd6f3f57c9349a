"""Workspace-signed bearer tokens (HS256 JWTs).

Used for ``AZUREML_RUN_TOKEN`` inside runs and for the headers returned by the
authentication classes; the workspace service verifies them with the same key.
No Azure AD exists here: this is the one deliberate stand-in for it.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

ALGORITHM = "HS256"
DEFAULT_TTL_SECONDS = 7 * 24 * 3600


def issue_token(workspace: "Workspace", subject: str, ttl_seconds: int = DEFAULT_TTL_SECONDS,
                **claims: Any) -> str:
    """A JWT with ``exp`` (the SDK parses it), signed with the workspace secret."""
    import jwt

    now = int(time.time())
    payload = {"sub": subject, "iat": now, "exp": now + ttl_seconds, "iss": "azureml-local",
               "aud": workspace._workspace_id, **claims}
    return jwt.encode(payload, workspace._secret(), algorithm=ALGORITHM)


def verify_token(workspace: "Workspace", token: str) -> dict[str, Any]:
    """Decode and check a token; raises ``jwt.InvalidTokenError`` when it is not valid here.

    Also accepts tokens from the authentication classes (``InteractiveLoginAuthentication()``...),
    which are signed with the per-home key because they exist before any workspace does.
    """
    import jwt

    from azureml_local.authentication import is_home_token, verify_home_token

    if is_home_token(token):
        return verify_home_token(token)
    return jwt.decode(token, workspace._secret(), algorithms=[ALGORITHM], audience=workspace._workspace_id)
