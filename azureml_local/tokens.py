"""Bearer tokens (HS256 JWTs): workspace-signed ones and the per-home ones.

Workspace tokens (``AZUREML_RUN_TOKEN`` inside runs, the service's bearer) are signed
with the workspace secret; the authentication classes exist before any workspace does,
so theirs are signed with a per-home key. The workspace service accepts both. No Azure AD
exists here: this is the one deliberate stand-in for it. Bottom layer: no SDK imports.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azureml_local.home import local_home

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext as Workspace  # an SDK Workspace works too

ALGORITHM = "HS256"
HOME_AUDIENCE = "azureml-local-home"
HOME_ISSUER = "azureml-local"
HOME_TTL_SECONDS = 3600
DEFAULT_TTL_SECONDS = 7 * 24 * 3600
REQUIRED = {"require": ["exp", "aud"]}  # a token without expiry or audience is never valid


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

    if is_home_token(token):
        return verify_home_token(token)
    return jwt.decode(token, workspace._secret(), algorithms=[ALGORITHM], audience=workspace._workspace_id,
                      options=REQUIRED)


# -- the per-home signing key ------------------------------------------------------------------
_key_lock = threading.Lock()


def home_secret() -> bytes:
    """The key that signs authentication-class tokens (created once per home, 0600)."""
    path = Path(local_home()) / "auth_secret"
    with _key_lock:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".auth_secret.{os.getpid()}.{threading.get_ident()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(32))  # = secrets.token_bytes, without importing random/hmac
            try:
                os.link(tmp, path)  # another process may have won the race: keep its key
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
            return path.read_bytes()


def issue_home_token(subject: str, ttl_seconds: int = HOME_TTL_SECONDS, **claims: Any) -> str:
    import jwt

    now = int(time.time())
    payload = {"sub": subject, "iat": now, "exp": now + ttl_seconds, "iss": HOME_ISSUER, "aud": HOME_AUDIENCE,
               **claims}
    return jwt.encode(payload, home_secret(), algorithm=ALGORITHM)


def is_home_token(token: str) -> bool:
    """True when ``token`` claims to be signed by the home key (checked by :func:`verify_home_token`)."""
    import jwt

    try:
        return jwt.decode(token, options={"verify_signature": False}).get("aud") == HOME_AUDIENCE
    except jwt.InvalidTokenError:
        return False


def verify_home_token(token: str) -> dict[str, Any]:
    """Decode a home-key token; raises ``jwt.InvalidTokenError`` when invalid or expired."""
    import jwt

    return jwt.decode(token, home_secret(), algorithms=[ALGORITHM], audience=HOME_AUDIENCE, options=REQUIRED)
