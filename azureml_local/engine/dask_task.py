"""What a Dask worker runs for one job (``DaskLauncher`` submits :func:`run_job` once per job).

The worker shares no filesystem with the workspace service: everything it needs arrives as one zip
in the blob store (the prepared working directory, plus every workspace folder the job's arguments
or environment name: inputs, empty output folders), and everything it produced goes back the same
way (files the job added or changed, the output folders, its log). Paths in argv and environment are
rewritten from the service's folders to the worker's temporary ones.

The job cannot open the workspace database from here, so ``Run.get_context()`` inside it is a
journal run (``runs/journal.py``, selected by ``JOURNAL_ENV``): metrics, tags, properties and
uploaded files are written to ``.azureml_journal/`` in the working directory, which comes back with
the results; the launcher replays them into the run history (``engine/dask_launcher.py``).

A job runs at most ``max_attempts`` times: when its worker is lost mid-job the Dask scheduler runs
the task again elsewhere; each attempt leaves a marker blob, and an attempt past the limit fails
with a message saying the worker was lost instead of running again.
"""
from __future__ import annotations

import functools
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any, Callable

from azureml_local.runs.journal import JOURNAL_ENV
from azureml_local.store.blobs.shared import connect

JOURNAL_DIR = ".azureml_journal"
WORKDIR_UNIT = "wd"
LOG_NAME = "std_log.txt"
CANCEL_CHECK_SECONDS = 1.0
LIVE_LIMIT = 8 << 20  # logs larger than this are not streamed while the job runs
LOST_EXIT = -1001  # the exit code a task reports when it refused to run again after lost workers


def _pdeathsig() -> None:
    """The job dies with the worker process that started it (a killed worker leaves nothing behind)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def pack(units: dict[str, Path], skip: dict[str, tuple[int, int]] | None = None) -> bytes:
    """A zip of ``{unit name: folder or file}`` (files listed in ``skip`` with the same size and
    mtime are left out: unchanged since they were sent). Empty folders are kept."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for unit, path in units.items():
            if path.is_file():
                zf.write(path, unit)
                continue
            zf.writestr(unit + "/", b"")
            for root, dirs, files in os.walk(path):
                rel_root = os.path.relpath(root, path)
                for d in dirs:
                    zf.writestr(os.path.normpath(os.path.join(unit, rel_root, d)) + "/", b"")
                for f in files:
                    full = os.path.join(root, f)
                    arc = os.path.normpath(os.path.join(unit, rel_root, f))
                    if skip is not None:
                        st = os.stat(full)
                        if skip.get(arc) == (st.st_size, st.st_mtime_ns):
                            continue
                    zf.write(full, arc)
    return buf.getvalue()


def unpack(data: bytes, destinations: dict[str, Path]) -> None:
    """Extract a :func:`pack` zip, each unit into its destination (units not listed are ignored)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            unit, _, rest = info.filename.partition("/")
            if unit not in destinations:
                continue
            target = destinations[unit] / rest if rest else destinations[unit]
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)


def _manifest(root: Path, unit: str) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            full = os.path.join(dirpath, f)
            st = os.stat(full)
            out[os.path.normpath(os.path.join(unit, os.path.relpath(full, root)))] = (st.st_size, st.st_mtime_ns)
    return out


def rewrite(value: str, mapping: list[tuple[str, str]]) -> str:
    """``value`` with every service path of ``mapping`` (longest first) replaced by its worker path."""
    for service_path, worker_path in mapping:
        value = value.replace(service_path, worker_path)
    return value


def run_job(payload: dict[str, Any]) -> dict[str, Any]:
    """Run one job on this worker (see the module docstring); returns what the launcher records."""
    _leave_thread_pool()
    store = connect(payload["connection_string"])
    container, key = payload["container"], payload["key"]
    attempt_id = uuid.uuid4().hex[:8]
    store.upload_bytes(container, f"{key}/attempts/{attempt_id}", b"", overwrite=True)
    attempt = sum(1 for _ in store.list_blobs(container, f"{key}/attempts/"))
    info = {"attempt": attempt, "worker_pid": os.getpid(), "host": socket.gethostname(),
            "worker": _worker_address()}
    if attempt > payload["max_attempts"]:
        return dict(info, exit_code=LOST_EXIT, result=None)
    tmp = Path(tempfile.mkdtemp(prefix="azureml-dask-", dir=worker_directory()))
    try:
        units = {unit: tmp / unit for unit in payload["units"]}
        unpack(store.download_bytes(container, f"{key}/bundle.zip"), units)
        for unit, kind in payload["units"].items():
            if kind == "dir":
                units[unit].mkdir(parents=True, exist_ok=True)
        work_dir = units[WORKDIR_UNIT]
        sent = _manifest(work_dir, WORKDIR_UNIT)
        mapping = sorted(((p, str(units[u])) for p, u in payload["mapping"]), key=lambda m: -len(m[0]))
        python = payload["python"] if os.path.exists(payload["python"]) else sys.executable
        mapping.append((payload["python"], python))
        argv = payload["argv"]
        argv = rewrite(argv, mapping) if isinstance(argv, str) else [rewrite(str(a), mapping) for a in argv]
        env = dict(os.environ)
        env.update({k: rewrite(str(v), mapping) for k, v in payload["env"].items()})
        (tmp / "home").mkdir()
        env.update({"AZUREML_LOCAL_HOME": str(tmp / "home"), JOURNAL_ENV: str(work_dir / JOURNAL_DIR)})
        started = time.time()
        live = functools.partial(_publish_live, store, container, live_log(key, attempt), tmp / LOG_NAME)
        exit_code = _run(argv, work_dir, env, tmp / LOG_NAME, payload["cancel_event"], attempt, live)
        info.update(started=started, ended=time.time(), exit_code=exit_code)
        back = {u: units[u] for u in payload["return_units"]}
        back[WORKDIR_UNIT] = work_dir
        back["log"] = tmp / LOG_NAME
        result = f"{key}/result-{attempt_id}.zip"
        store.upload_bytes(container, result, pack(back, skip=sent), overwrite=True)
        return dict(info, result=result)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _leave_thread_pool() -> None:
    """This task mostly waits for its process: its worker thread may run other tasks meanwhile (a
    ParallelRunStep driver's mini batches may need it)."""
    try:
        from distributed import secede

        secede()
    except (ImportError, ValueError):  # not inside a worker (direct call in a test)
        pass


def worker_directory() -> str | None:
    """The Dask worker's own scratch folder: Dask removes it with the worker, and purges the folder of a
    worker that was killed when the next one starts (``None`` outside a worker: the system's temp)."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return ""


def live_log(key: str, attempt: int) -> str:
    """The blob holding the log of ``attempt`` so far (what the launcher streams into the run's log)."""
    return f"{key}/live-{attempt}.log"


def _publish_live(store: Any, container: str, blob: str, log_path: Path, state: dict) -> None:
    """Upload the log when it grew (whole, up to ``LIVE_LIMIT`` bytes: the rest comes with the results)."""
    size = log_path.stat().st_size if log_path.exists() else 0
    if size != state.get("size") and size <= LIVE_LIMIT:
        store.upload_bytes(container, blob, log_path.read_bytes(), overwrite=True)
        state["size"] = size


def _run(argv: list[str] | str, work_dir: Path, env: dict, log_path: Path, cancel_event: str, attempt: int,
         live: Callable[[dict], None] | None = None) -> int:
    """The job's process to its end, its log published as it grows; stopped (exit code -15/-9) when the
    launcher sets the cancel event."""
    with open(log_path, "ab") as log:
        if attempt > 1:
            log.write(f"azureml-local: Dask attempt {attempt}: the worker running the previous attempt "
                      "was lost; running the job again.\n".encode())
            log.flush()
        proc = subprocess.Popen(argv, cwd=work_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, shell=isinstance(argv, str),
                                preexec_fn=_pdeathsig)
    event = _cancel_event(cancel_event)
    state: dict = {}
    while True:
        try:
            return proc.wait(timeout=CANCEL_CHECK_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        if live is not None:
            try:
                live(state)
            except Exception:  # noqa: BLE001 - live logs are a convenience; the full log comes with the results
                live = None
        if (event is not None and event.is_set()) or _released():
            _stop(proc)
            return proc.wait()


def _cancel_event(name: str) -> Any:
    try:
        from distributed import Event

        return Event(name)
    except (ImportError, ValueError):  # not inside a worker (direct call in a test)
        return None


def _released() -> bool:
    """Whether nobody wants this task any more: the client that submitted it is gone (a service killed
    mid-job) or it was canceled. Its job is then stopped instead of running on unseen."""
    try:
        from distributed import get_worker

        worker = get_worker()
        key = worker.get_current_task()
        task = worker.state.tasks.get(key)
        return task is None or task.state in ("cancelled", "released", "forgotten")
    except Exception:  # noqa: BLE001 - not inside a worker, or another distributed version: keep running
        return False


def _stop(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue
