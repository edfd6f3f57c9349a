"""Azurite as a process: finding/installing ``azurite-blob``, starting it, finding and stopping it.

No workspace bookkeeping here (that is :mod:`azureml_local.store.azurite`): these are the
building blocks, also used directly by the test session's in-memory Azurite.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psutil

from azureml_local import processes
from azureml_local.exceptions import ProjectSystemException, UserErrorException
from azureml_local.home import local_home
from azureml_local.processes import pid_alive

AZURITE_VERSION = "3.35.0"
DEV_ACCOUNT = "devstoreaccount1"
DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
HOST = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 60.0
ACCESS_LOG_ENV = "AZUREML_LOCAL_AZURITE_ACCESS_LOG"  # "1": Azurite logs every request to azurite.log
FSYNC_ENV = "AZUREML_LOCAL_AZURITE_FSYNC"  # "1": Azurite syncs every blob it writes to disk (its default)
NO_FDATASYNC_JS = Path(__file__).with_name("azurite_no_fdatasync.js")
INDEXED_LOOKUPS_JS = Path(__file__).with_name("azurite_indexed_lookups.js")  # blob lookups by name, not a scan
_LISTEN_RE = re.compile(rb"successfully listens on https?://([^:/\s]+):(\d+)")
_HOW_TO_GET = (f"Run `azureml-local setup`, or `npm install azurite@{AZURITE_VERSION}` in your project folder, "
               "or point AZUREML_LOCAL_AZURITE at an azurite-blob executable "
               "(or set AZUREML_LOCAL_STORAGE=folder to keep blobs in a plain folder).")
_CHILDREN: dict[int, subprocess.Popen] = {}


class AzuriteNotAvailableError(UserErrorException):
    """Node.js or the azurite-blob executable is missing (the caller may fall back to a folder)."""


@dataclass
class AzuriteInstance:
    """A running Azurite blob service (as recorded in ``instance.json``)."""

    pid: int
    port: int
    host: str = HOST
    started_at: str = ""
    location: str | None = None
    watchdog_pid: int | None = None

    @property
    def blob_endpoint(self) -> str:
        return f"http://{self.host}:{self.port}/{DEV_ACCOUNT}"

    @property
    def connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol=http;AccountName={DEV_ACCOUNT};AccountKey={DEV_KEY};"
                f"BlobEndpoint={self.blob_endpoint};")


# -- finding and installing -------------------------------------------------------------------
def azurite_candidates() -> list[Path]:
    """Where :func:`find_azurite` looks, in order (PATH excluded)."""
    rel = Path("node_modules") / ".bin" / "azurite-blob"
    repo_root = Path(__file__).resolve().parents[2]
    return [local_home() / "node" / rel, repo_root / rel, Path.cwd() / rel]


def find_azurite() -> Path | None:
    """The azurite-blob executable, or None. ``AZUREML_LOCAL_AZURITE`` must exist when set."""
    explicit = os.environ.get("AZUREML_LOCAL_AZURITE")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise AzuriteNotAvailableError(f"AZUREML_LOCAL_AZURITE={explicit} does not exist. {_HOW_TO_GET}")
        return path
    for path in azurite_candidates():
        if path.is_file():
            return path
    found = shutil.which("azurite-blob")
    return Path(found) if found else None


def _command(binary: Path) -> list[str]:
    """How to run ``binary``: via node when it is a node script (the npm bin links are)."""
    real = binary.resolve()
    with open(real, "rb") as fh:
        head = fh.read(128)
    if real.suffix in (".js", ".cjs", ".mjs") or (head.startswith(b"#!") and b"node" in head.split(b"\n")[0]):
        node = shutil.which("node")
        if not node:
            raise AzuriteNotAvailableError(
                "Node.js (`node`) was not found on PATH; Azurite needs Node >= 18 (Azurite "
                f"{AZURITE_VERSION} works with Node 20). Install Node.js, then: {_HOW_TO_GET}")
        preload = ["--require", str(INDEXED_LOOKUPS_JS)]  # why: the comments of both files
        if os.environ.get(FSYNC_ENV) != "1":
            preload += ["--require", str(NO_FDATASYNC_JS)]
        return [node, *preload, str(binary)]
    return [str(binary)]


def install_azurite(prefix: str | os.PathLike[str] | None = None) -> Path:
    """``npm install --prefix <local home>/node azurite@3.35.0``; returns the azurite-blob path."""
    npm = shutil.which("npm")
    if not npm:
        raise UserErrorException("npm was not found on PATH: install Node.js (>= 18, with npm) to get Azurite, "
                                 "or set AZUREML_LOCAL_STORAGE=folder to keep blobs in a plain folder.")
    prefix = Path(prefix) if prefix else local_home() / "node"
    prefix.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                           f"azurite@{AZURITE_VERSION}"], capture_output=True, text=True)
    binary = prefix / "node_modules" / ".bin" / "azurite-blob"
    if proc.returncode != 0 or not binary.is_file():
        raise UserErrorException(f"`npm install azurite@{AZURITE_VERSION}` failed (exit {proc.returncode}):\n"
                                 f"{(proc.stderr or proc.stdout)[-2000:]}")
    return binary


# -- processes --------------------------------------------------------------------------------
def _pid_alive(pid: int) -> bool:
    """True for a live (non-zombie) process; reaps our own exited children first."""
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    return pid_alive(pid)


def _is_ours(args: list[str]) -> bool:
    """The command line of an Azurite started the way :func:`start_azurite` starts it."""
    return "--blobHost" in args and any("azurite" in a for a in args)


def _is_azurite(pid: int) -> bool:
    """Guard against pid reuse: the command line must be one we start."""
    try:
        return _is_ours(psutil.Process(pid).cmdline())
    except psutil.NoSuchProcess:  # gone, or a zombie
        return False
    except psutil.AccessDenied:
        return True


def azurite_processes() -> list[tuple[int, str | None]]:
    """``(pid, --location or None)`` of every running Azurite started the way we start it."""
    found: list[tuple[int, str | None]] = []
    for proc in psutil.process_iter(["cmdline"]):
        args = proc.info.get("cmdline") or []
        if _is_ours(args):
            i = args.index("--location") + 1 if "--location" in args else 0
            found.append((proc.pid, args[i] if 0 < i < len(args) else None))
    return found


def _port_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _port_free(host: str, port: int) -> bool:
    """Whether a listener can bind ``port``; SO_REUSEADDR as Node sets it, so connections of a
    stopped instance lingering in TIME_WAIT do not count as "in use"."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def pinned_port() -> int:
    """``AZUREML_LOCAL_AZURITE_PORT`` (0 = let the OS choose)."""
    raw = os.environ.get("AZUREML_LOCAL_AZURITE_PORT", "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or not 0 <= int(raw) < 65536:
        raise UserErrorException(f"AZUREML_LOCAL_AZURITE_PORT must be a port number, got {raw!r}.")
    return int(raw)


def start_azurite(location: str | os.PathLike[str] | None, log_path: str | os.PathLike[str], *,
                  port: int = 0, in_memory: bool = False, detached: bool = True,
                  timeout: float = START_TIMEOUT) -> AzuriteInstance:
    """Start ``azurite-blob`` and wait for its listen line (no instance.json bookkeeping).

    ``detached`` puts it in its own session, so it outlives this process and a
    Ctrl-C in the terminal does not reach it. ``location=None`` with
    ``in_memory=True`` keeps all data in memory (tests).
    """
    binary = find_azurite()
    if binary is None:
        raise AzuriteNotAvailableError(
            "Azurite (the Azure Storage emulator) was not found: looked at AZUREML_LOCAL_AZURITE, "
            f"{', '.join(str(p) for p in azurite_candidates())} and azurite-blob on PATH. {_HOW_TO_GET}")
    cmd = _command(binary)
    if port and not _port_free(HOST, port):
        raise UserErrorException(f"Cannot start Azurite on port {port} (AZUREML_LOCAL_AZURITE_PORT): the port is "
                                 "already in use. Choose another port or unset AZUREML_LOCAL_AZURITE_PORT.")
    cmd += ["--blobHost", HOST, "--blobPort", str(port), "--skipApiVersionCheck", "--loose", "--disableTelemetry"]
    if os.environ.get(ACCESS_LOG_ENV) != "1":  # a line per request: ~1 ms of Azurite's time each, and a log that grows
        cmd.append("--silent")
    if in_memory:
        cmd.append("--inMemoryPersistence")
    else:
        Path(location).mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
        cmd += ["--location", str(location)]
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=detached, cwd=str(location or log_path.parent))
    _CHILDREN[proc.pid] = proc
    deadline = time.monotonic() + timeout
    while True:
        text = log_path.read_bytes()
        match = _LISTEN_RE.search(text)
        if match:
            return AzuriteInstance(pid=proc.pid, port=int(match.group(2)), host=HOST,
                                   started_at=datetime.now(timezone.utc).isoformat(),
                                   location=None if in_memory else str(location))
        if proc.poll() is not None:
            _CHILDREN.pop(proc.pid, None)
            raise ProjectSystemException(
                f"Azurite exited while starting (exit code {proc.returncode}); command: {' '.join(cmd)}\n"
                f"Its output ({log_path}):\n{text.decode(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            terminate(proc.pid)
            raise ProjectSystemException(f"Azurite did not report a listening port within {timeout:.0f} s; "
                                         f"its output ({log_path}):\n{text.decode(errors='replace')[-3000:]}")
        time.sleep(0.02)


def terminate(pid: int, timeout: float = STOP_TIMEOUT) -> bool:
    """:func:`processes.terminate`, saying what a SIGKILL may lose; forgets our ``Popen`` of it. True if it was running."""
    running = processes.terminate(pid, timeout, kill_warning=(
        f"azureml-local: Azurite (pid {pid}) ignored SIGTERM for {timeout:g} s; killing it "
        "(writes of the last few seconds may be lost)."))
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        child.wait()
    return running
