"""A private PostgreSQL server for a test session (the store suites run on it as on SQLite).

It uses the OS's PostgreSQL (Debian's ``postgresql`` package: ``initdb``/``pg_ctl`` under
``/usr/lib/postgresql/<version>/bin``): a throw-away cluster in a temporary folder, on a
free loopback port, trust authentication, ``fsync=off``; :meth:`PostgresServer.stop` stops
it and removes the folder. PostgreSQL refuses to run as root, so under root the cluster
belongs to the ``postgres`` system user (``runuser``) and lives under ``/tmp`` (the
session's own ``TMPDIR`` may be private to root).

Nothing here is needed at run time: a team points ``AZUREML_LOCAL_STORE_URL`` at its own
server (docs/store.md).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

START_TIMEOUT_S = 120


class PostgresNotAvailable(RuntimeError):
    """No PostgreSQL server binaries or no driver here (the message says what to install)."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if not found:
        on_path = shutil.which("pg_ctl")
        if on_path:
            return Path(on_path).parent
        raise PostgresNotAvailable("no PostgreSQL server here: `apt-get install -y postgresql` (Debian) "
                                   "puts initdb/pg_ctl under /usr/lib/postgresql/<version>/bin")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One private cluster; ``url`` is a ``postgresql://`` URL for its ``postgres`` database."""

    def __init__(self) -> None:
        try:
            import psycopg  # noqa: F401  (the driver the store uses: the `postgres` extra)
        except ImportError as exc:
            raise PostgresNotAvailable("the PostgreSQL driver is missing: pip install 'azureml-local[postgres]'") \
                from exc
        self.bin = _bin_dir()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresNotAvailable("running as root and no `postgres` system user to run the server") \
                    from exc
            self._as_user = ["runuser", "-u", "postgres", "--"]
            self.root = Path(tempfile.mkdtemp(prefix="azureml-local-test-pg-", dir="/tmp"))
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        else:
            self.root = Path(tempfile.mkdtemp(prefix="azureml-local-test-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._started = False

    def _run(self, *args: str) -> None:
        proc = subprocess.run([*self._as_user, *args], capture_output=True, text=True, timeout=START_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresNotAvailable(f"{' '.join(args[:2])} failed ({proc.returncode}): "
                                       f"{proc.stderr.strip()[-2000:]}\n{tail}")

    def start(self) -> "PostgresServer":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", str(START_TIMEOUT_S), "start")
        self._started = True
        return self

    def stop(self) -> None:
        try:
            if self._started:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
                self._started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
