"""Which files a dataset covers: datastore paths with globs, and http(s) URLs.

Glob rules (as Azure ML's): ``*`` and ``?`` match within one path segment, ``**`` across
segments, ``[abc]`` a character class. A path without glob characters names a blob, or else
a folder (everything under it, recursively).

The *relative path* of each file (used by ``to_path``, ``download`` and mounts) is its path
below the fixed part of the pattern: the folder for a folder path, the parent for a single
file, the segments before the first glob for a pattern.

URLs: a local map is consulted first (``AZUREML_LOCAL_URL_MAP`` = a JSON file of
``{url: local file or folder}``, or ``<AZUREML_LOCAL_HOME>/url_map.json``), then the URL is
fetched (cached under ``<home>/cache/urls``). When neither works the error names the URL.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from azureml_local.data import stores
from azureml_local.data.transfer import filter_conflicting
from azureml_local.exceptions import UserErrorException
from azureml_local.home import local_home

if TYPE_CHECKING:
    from azureml_local.store.blobs.base import BlobStore

_GLOB_CHARS = re.compile(r"[*?\[]")
URL_MAP_ENV = "AZUREML_LOCAL_URL_MAP"


class SourceFile(NamedTuple):
    """One file a dataset covers (a NamedTuple: ``dataclasses`` would cost ~9 ms on ``import azureml.core``)."""

    rel: str                        # path below the pattern's fixed part, '/'-separated
    full: str                       # datastore path or URL (for the Path column and partition formats)
    etag: str
    size: int
    store: "BlobStore | None" = None
    container: str | None = None
    blob: str | None = None
    local: str | None = None        # already-local file (URL map / URL cache)


def glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
            continue
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            j = pattern.find("]", i)
            if j < 0:
                out += re.escape(c)
            else:
                out += "[" + pattern[i + 1:j].replace("\\", "\\\\") + "]"
                i = j
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z")


def _clean(path: str) -> str:
    return "/".join(seg for seg in (path or "").replace("\\", "/").split("/") if seg not in ("", "."))


def resolve_datastore_path(ws: Any, datastore_name: str, path: str) -> list[SourceFile]:
    """Files under one ``(datastore, path)`` entry (may be empty)."""
    store, container = stores.resolve(ws, datastore_name)
    pattern = _clean(path)
    if _GLOB_CHARS.search(pattern):
        segments = pattern.split("/")
        fixed = []
        for seg in segments:
            if _GLOB_CHARS.search(seg):
                break
            fixed.append(seg)
        base = "/".join(fixed)
        regex = glob_regex(pattern)
        blobs = [b for b in store.list_blobs(container, base + "/" if base else "") if regex.match(b.name)]
    else:
        info = store.get_info(container, pattern) if pattern else None
        if info is not None:
            base, blobs = pattern.rsplit("/", 1)[0] if "/" in pattern else "", [info]
        else:
            base = pattern
            blobs = list(store.list_blobs(container, pattern + "/" if pattern else ""))
    cut = len(base) + 1 if base else 0
    return [SourceFile(rel=b.name[cut:], full=f"{datastore_name}/{b.name}", etag=b.etag, size=b.size, store=store,
                       container=container, blob=b.name) for b in filter_conflicting(blobs)]


# -- URLs ---------------------------------------------------------------------------------------
def _url_map() -> dict[str, str]:
    candidates = [os.environ.get(URL_MAP_ENV), str(local_home() / "url_map.json")]
    for path in candidates:
        if path and os.path.isfile(path):
            try:
                data = json.loads(Path(path).read_text())
            except ValueError as exc:
                raise UserErrorException(f"The URL map {path} is not valid JSON: {exc}") from exc
            base = os.path.dirname(os.path.abspath(path))
            return {k: os.path.join(base, v) for k, v in data.items()}
    return {}


def _file_identity(path: str) -> tuple[str, int]:
    st = os.stat(path)
    return f'"local-{st.st_mtime_ns:x}-{st.st_size:x}"', st.st_size


def resolve_url(url: str) -> list[SourceFile]:
    """A URL as local file(s): mapped, else fetched once into the cache."""
    mapped = _url_map().get(url)
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "index"
    if mapped:
        if os.path.isdir(mapped):
            out = []
            for dirpath, dirnames, filenames in os.walk(mapped):
                dirnames.sort()
                for f in sorted(filenames):
                    full = os.path.join(dirpath, f)
                    rel = os.path.relpath(full, mapped).replace(os.sep, "/")
                    etag, size = _file_identity(full)
                    out.append(SourceFile(rel=rel, full=url.rstrip("/") + "/" + rel, etag=etag, size=size,
                                          local=full))
            return out
        if os.path.isfile(mapped):
            etag, size = _file_identity(mapped)
            return [SourceFile(rel=name, full=url, etag=etag, size=size, local=mapped)]
    import hashlib  # only URL datasets need it

    cached = local_home() / "cache" / "urls" / hashlib.sha256(url.encode()).hexdigest()[:32] / name
    if not cached.is_file():
        _fetch(url, cached, mapped)
    etag, size = _file_identity(str(cached))
    return [SourceFile(rel=name, full=url, etag=etag, size=size, local=str(cached))]


def _fetch(url: str, dest: Path, mapped: str | None) -> None:
    import tempfile
    import urllib.request

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".fetch-")
    try:
        with os.fdopen(fd, "wb") as fh, urllib.request.urlopen(url, timeout=float(
                os.environ.get("AZUREML_LOCAL_URL_TIMEOUT", "10"))) as resp:
            while chunk := resp.read(1 << 20):
                fh.write(chunk)
        os.replace(tmp, dest)
    except Exception as exc:  # noqa: BLE001 - any network failure becomes one clear message
        if os.path.exists(tmp):
            os.unlink(tmp)
        hint = f" (the URL map points to {mapped}, which does not exist)" if mapped else ""
        raise UserErrorException(
            f"Cannot load data from URL '{url}': it could not be fetched ({type(exc).__name__}: {exc}) and it is "
            f"not in the local URL map{hint}. Add it to a JSON file {{\"{url}\": \"/path/to/local/file\"}} and "
            f"point {URL_MAP_ENV} at that file (or save it as $AZUREML_LOCAL_HOME/url_map.json).") from exc


def resolve(ws: Any, definition: dict) -> list[SourceFile]:
    """Every file the definition's paths cover, in order (no transforms applied)."""
    files: list[SourceFile] = []
    for entry in definition["paths"]:
        if "url" in entry:
            files.extend(resolve_url(entry["url"]))
        else:
            if ws is None:
                raise UserErrorException("The dataset does not belong to a workspace. Please pass in the workspace "
                                         "from argument.")
            files.extend(resolve_datastore_path(ws, entry["datastore"], entry["path"]))
    return files


def not_found_message(definition: dict) -> str:
    sources = ", ".join(
        p["url"] if "url" in p else f"('{p['datastore']}', '{p['path']}')" for p in definition["paths"])
    return (f"Failed to validate the data.If data is inaccessible, please set validate to False.\n"
            f"Found no resources for the input provided: {sources}. Check the datastore, the path and any glob "
            "pattern (e.g. 'data/**/*.csv'); Datastore.upload(...) puts local files there.")
