"""Azure's naming rules for datastores, containers and blobs (checked before any write).

Messages name the offending value and the rule, so a user can fix the call without
looking up Azure documentation.
"""
from __future__ import annotations

import re

from azureml_local.exceptions import UserErrorException

_DATASTORE_RE = re.compile(r"^[A-Za-z0-9_]{1,255}$")
_CONTAINER_RE = re.compile(r"^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")
_MAX_BLOB_NAME = 1024
_MAX_BLOB_SEGMENTS = 254


def check_datastore_name(name: str) -> str:
    """Datastore names: letters, digits and underscores (the service lower-cases capitals)."""
    if not isinstance(name, str) or not _DATASTORE_RE.match(name):
        raise UserErrorException(
            f"Invalid datastore name {name!r}. Datastore names can only contain alphanumeric characters "
            "and underscores (for example 'my_blob_store').")
    return name.lower()


def check_container_name(name: str, what: str = "container") -> str:
    """Container / file share / filesystem names (3-63 chars, lower-case letters, digits, single hyphens)."""
    if not isinstance(name, str) or not _CONTAINER_RE.match(name):
        raise UserErrorException(
            f"Invalid {what} name {name!r}. The specifed resource name contains invalid characters: Azure "
            f"{what} names must be 3-63 characters long, use only lower-case letters, digits and hyphens, "
            "start and end with a letter or digit, and must not contain consecutive hyphens.")
    return name


def check_blob_name(name: str) -> str:
    """Blob names: 1-1024 characters, at most 254 path segments, no empty/'.'/'..' segments."""
    if not name or len(name) > _MAX_BLOB_NAME:
        raise UserErrorException(
            f"Invalid blob name {name!r}: blob names must be 1 to {_MAX_BLOB_NAME} characters long.")
    segments = name.split("/")
    if len(segments) > _MAX_BLOB_SEGMENTS:
        raise UserErrorException(
            f"Invalid blob name {name!r}: a blob name can have at most {_MAX_BLOB_SEGMENTS} path segments.")
    if any(seg in ("", ".", "..") for seg in segments) or name.endswith("."):
        raise UserErrorException(
            f"Invalid blob name {name!r}: path segments must not be empty, '.' or '..', and the name must "
            "not end with '.' or '/'. Upload failed, please make sure target_path does not start with "
            "invalid characters.")
    if any(ord(c) < 32 for c in name):
        raise UserErrorException(f"Invalid blob name {name!r}: control characters are not allowed.")
    return name


def join_blob_path(*parts: str | None) -> str:
    """Join datastore path parts with '/', normalising separators and dropping empty parts."""
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        for seg in str(part).replace("\\", "/").split("/"):
            if seg in ("", "."):
                continue
            out.append(seg)
    return "/".join(out)
