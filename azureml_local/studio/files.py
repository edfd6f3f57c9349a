"""Files a Studio page lists and serves: run logs and outputs, snapshot files, datastore blobs.

Every path a browser sends is checked by :func:`safe_relative` before it is used: absolute paths,
``..`` parts, backslash tricks and NUL bytes are refused (``PathRefused``), and a snapshot file
must still resolve inside its snapshot folder (a symlink pointing out is refused too). Artifacts
and blobs are looked up by exact name, never by joining paths on disk.
"""
from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from azureml_local.context import WorkspaceContext
from azureml_local.data import stores
from azureml_local.engine.execute import log_paths
from azureml_local.runs import artifacts
from azureml_local.store.run_queries import RunQueries
from azureml_local.studio.errors import NotFound, PathRefused
from azureml_local.studio.formatting import human_size, is_active

TAIL_CHUNK = 256 * 1024  # at most this much log per poll: a huge log streams in steps
LOG_PREFIXES = ("azureml-logs/", "logs/", "user_logs/", "system_logs/")


def safe_relative(path: str) -> str:
    """``path`` as a clean relative POSIX path; PathRefused for anything that could escape its root."""
    text = str(path)
    if "\x00" in text or "\\" in text or text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        raise PathRefused(f"Refused path {path!r}: use a relative path inside the listing (no '..', '\\' or '/' "
                          "at the start).")
    parts = text.split("/")
    if any(part == ".." for part in parts):
        raise PathRefused(f"Refused path {path!r}: '..' is not allowed.")
    clean = posixpath.normpath(text) if text else ""
    if clean in ("", "."):
        raise PathRefused("Refused an empty path: name a file of the listing.")
    return clean


# -- run files ------------------------------------------------------------------------------------
def run_files(ctx: WorkspaceContext, run_id: str) -> dict[str, list[dict]]:
    """``{"logs": [...], "outputs": [...]}``: each ``{"path", "size", "size_text"}``.

    Logs still being written exist only as local files; they are listed (and served) from there.
    """
    rows = {r["path"]: r["size"] for r in RunQueries(ctx.db).artifact_rows(run_id)}
    for name, local in log_paths(ctx, run_id).items():
        if local.exists():
            rows[name] = local.stat().st_size
    logs, outputs = [], []
    for path in sorted(rows):
        entry = {"path": path, "size": rows[path], "size_text": human_size(rows[path])}
        (logs if path.startswith(LOG_PREFIXES) else outputs).append(entry)
    return {"logs": logs, "outputs": outputs}


def read_run_file(ctx: WorkspaceContext, run_id: str, path: str) -> bytes:
    """The bytes of one run file (local log while it exists, else the stored artifact)."""
    clean = safe_relative(path)
    local = log_paths(ctx, run_id).get(clean)
    if local is not None and local.exists():
        return local.read_bytes()
    if ctx.runs.artifact(run_id, clean) is None:
        raise NotFound(f"Run {run_id} has no file {clean!r}.")
    return artifacts.read_bytes(ctx, run_id, clean)


def default_log(files: dict[str, list[dict]]) -> str | None:
    """The log a run page follows: the user log (std_log), else the driver log, else the first one."""
    names = [f["path"] for f in files["logs"]]
    for preferred in ("user_logs/std_log.txt", "azureml-logs/70_driver_log.txt"):
        if preferred in names:
            return preferred
    return names[0] if names else None


def tail_log(ctx: WorkspaceContext, run_id: str, name: str, offset: int = 0) -> dict[str, Any]:
    """What a log gained since ``offset``: ``{"text", "offset", "status", "active"}`` (the page polls this)."""
    clean = safe_relative(name)
    status = ctx.runs.status(run_id)
    local = log_paths(ctx, run_id).get(clean)
    if local is not None and local.exists():
        with open(local, "rb") as fh:
            fh.seek(max(0, int(offset)))
            data = fh.read(TAIL_CHUNK)
        text, new_offset = _decode_whole_chars(data, max(0, int(offset)))
    elif offset:
        text, new_offset = "", int(offset)
    else:
        try:
            data = read_run_file(ctx, run_id, clean)
        except NotFound:
            data = b""
        text, new_offset = data.decode(errors="replace"), len(data)
    return {"text": text, "offset": new_offset, "status": status, "active": is_active(status)}


def _decode_whole_chars(data: bytes, offset: int) -> tuple[str, int]:
    """Decode up to the last complete UTF-8 character (the rest comes with the next poll)."""
    end = len(data)
    for back in range(1, min(4, end) + 1):
        lead = data[end - back]
        if lead & 0xC0 != 0x80:  # a lead byte: is its sequence complete?
            need = 1 if lead < 0x80 else 2 if lead >> 5 == 0b110 else 3 if lead >> 4 == 0b1110 else 4
            if need > back:
                end -= back
            break
    return data[:end].decode(errors="replace"), offset + end


# -- snapshot -------------------------------------------------------------------------------------
def _snapshot_root(ctx: WorkspaceContext, run_id: str) -> Path | None:
    snapshot_id = ctx.runs.run(run_id).get("snapshot_id")
    if not snapshot_id or "/" in snapshot_id or snapshot_id.startswith("."):
        return None
    root = ctx.folder / "snapshots" / snapshot_id
    return root if root.is_dir() else None


def snapshot_files(ctx: WorkspaceContext, run_id: str, limit: int = 2000) -> list[dict]:
    """The files of the run's snapshot (the source folder as submitted), relative paths, sorted."""
    root = _snapshot_root(ctx, run_id)
    if root is None:
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            size = path.stat().st_size
            found.append({"path": path.relative_to(root).as_posix(), "size": size, "size_text": human_size(size)})
            if len(found) >= limit:
                break
    return found


def read_snapshot_file(ctx: WorkspaceContext, run_id: str, path: str) -> bytes:
    clean = safe_relative(path)
    root = _snapshot_root(ctx, run_id)
    if root is None:
        raise NotFound(f"Run {run_id} has no snapshot.")
    target = (root / clean).resolve()
    if not target.is_relative_to(root.resolve()):
        raise PathRefused(f"Refused path {path!r}: it leads outside the snapshot.")
    if not target.is_file():
        raise NotFound(f"The snapshot of run {run_id} has no file {clean!r}.")
    return target.read_bytes()


# -- datastores -----------------------------------------------------------------------------------
def browse_datastore(ctx: WorkspaceContext, name: str, prefix: str = "", limit: int = 1000) -> dict[str, Any]:
    """One level of a blob datastore under ``prefix``: ``{"folders", "blobs", "prefix", "parent"}``."""
    prefix = "" if not prefix.strip("/") else safe_relative(prefix.strip("/")) + "/"
    store, container = stores.resolve(ctx, name)
    folders: set[str] = set()
    blobs = []
    for info in store.list_blobs(container, prefix):
        rest = info.name[len(prefix):]
        if "/" in rest:
            folders.add(prefix + rest.split("/", 1)[0])
        elif len(blobs) < limit:
            blobs.append({"path": info.name, "name": rest, "size": info.size, "size_text": human_size(info.size),
                          "modified": info.last_modified.strftime("%Y-%m-%d %H:%M:%S")})
    parent = posixpath.dirname(prefix.rstrip("/")) if prefix else None
    return {"datastore": name, "prefix": prefix, "parent": parent, "folders": sorted(folders), "blobs": blobs}


def read_blob(ctx: WorkspaceContext, name: str, path: str) -> bytes:
    clean = safe_relative(path)
    store, container = stores.resolve(ctx, name)
    if not store.exists(container, clean):
        raise NotFound(f"Datastore {name!r} has no blob {clean!r}.")
    return store.download_bytes(container, clean)
