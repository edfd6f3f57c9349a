"""ParallelRunStep mini batches as Dask tasks: ``DaskPool`` has ``WorkerPool``'s interface (``pool.py``).

Used by the driver when its step runs on a Dask-backed compute target (``docs/dask.md``): the
``DaskLauncher`` passes the scheduler's address in ``SCHEDULER_ENV`` and the driver, itself a job on a
worker, submits one task per mini batch to the same cluster. Nothing assumes a shared filesystem:

* the step's source (the driver's working directory, without its inputs, outputs and logs) is zipped
  once and scattered to the workers; each worker process unpacks it into a temporary folder, loads the
  entry script and runs ``init()`` once per job (warm, like the local pool's processes);
* a file mini batch carries its files' bytes (paths relative to the driver's working directory are
  kept); the worker writes them into its folder and calls ``run()`` with those paths; a tabular mini
  batch carries its DataFrame;
* ``run()``'s result rows, its stdout/stderr and tracebacks come back in the task's result and are
  written to the driver's ``logs/`` layout (``node<k>`` = the k-th Dask worker seen).

A ``run()`` that raises is tried again up to ``run_max_try``; a worker lost mid-batch is handled by the
scheduler (the task runs again elsewhere) and, if it gives up, the batch fails with the reason.
``run_invocation_timeout`` fails the try when the task has not returned, and the worker process is
restarted to stop it. ``close()`` calls ``shutdown()`` and removes the folders on every worker.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
import uuid
import zipfile
from collections import deque
from pathlib import Path
from typing import Any, Callable

from azureml_local.engine.dask_task import worker_directory
from azureml_local.pipeline.parallel import entry_script
from azureml_local.pipeline.parallel.batching import MiniBatch
from azureml_local.pipeline.parallel.logs import LogLayout
from azureml_local.pipeline.parallel.pool import InitFailed, Outcome
from azureml_local.pipeline.parallel.worker import MiniBatchContext, _load, _takes_context, to_rows

SCHEDULER_ENV = "AZUREML_LOCAL_DASK_SCHEDULER"
_NOT_SOURCE = {"logs", "outputs", "inputs", ".azureml_inputs", ".azureml_outputs", ".azureml_journal"}
_jobs: dict[str, tuple[str, Any]] = {}  # per worker process: job key -> (folder, entry module)
_jobs_lock = threading.Lock()


def active() -> bool:
    """Whether this driver runs on a Dask-backed target (then mini batches go to Dask)."""
    return bool(os.environ.get(SCHEDULER_ENV))


def _source_zip(root: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for dirpath, dirs, files in os.walk(root):
            if dirpath == root:
                dirs[:] = [d for d in dirs if d not in _NOT_SOURCE]
            for f in files:
                full = os.path.join(dirpath, f)
                zf.write(full, os.path.relpath(full, root))
    return buf.getvalue()


def _job(job: str, source: bytes, config: dict) -> tuple[str, Any]:
    """This worker's folder and loaded entry script for ``job`` (``init()`` ran once)."""
    with _jobs_lock:
        if job in _jobs:
            return _jobs[job]
        folder = tempfile.mkdtemp(prefix="azureml-prs-", dir=worker_directory())
        with zipfile.ZipFile(io.BytesIO(source)) as zf:
            zf.extractall(folder)
        logs = os.path.join(folder, "logs")
        entry_script.configure(log_file=os.path.join(logs, "entry.log"), log_dir=logs, working_dir=folder,
                               output_dir=None, agent_name="dask", logging_level=config.get("logging_level"))
        sys.path.insert(0, folder)
        argv = sys.argv
        sys.argv = [config["entry_script"], *config["user_args"]]
        try:
            module = _load(os.path.join(folder, config["entry_script"]))
            if hasattr(module, "init"):
                module.init()
            if not callable(getattr(module, "run", None)):
                raise AttributeError(f"The entry script '{config['entry_script']}' has no run() function.")
        finally:
            sys.argv = argv
        _jobs[job] = (folder, module)
        return _jobs[job]


def run_batch(job: str, source: bytes, config: dict, index: int, data: Any, key_value: dict) -> tuple:
    """One mini batch on a Dask worker: ``(status, items, lines, error, seconds, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            folder, module = _job(job, source, config)
        except BaseException:  # noqa: BLE001 - reported to the driver, which fails the step with it
            return ("init_failed", 0, None, traceback.format_exc(), 0.0, out.getvalue(), err.getvalue())
        if isinstance(data, list):  # files: [(relative path, bytes)]
            batch_dir = os.path.join(folder, "batches", str(index))
            paths = []
            for rel, content in data:
                path = os.path.join(batch_dir, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(content)
                paths.append(path)
            data = paths
        started = time.perf_counter()
        try:
            result = (module.run(data, MiniBatchContext(index, key_value, None)) if _takes_context(module.run)
                      else module.run(data))
            items, rows = to_rows(result, config["output_action"] == "append_row")
            status, error = "done", None
        except Exception:  # noqa: BLE001 - one failed mini batch; the driver decides
            items, rows, status, error = 0, None, "done", traceback.format_exc()
        finally:
            if isinstance(data, list) and data and os.path.isdir(os.path.join(folder, "batches", str(index))):
                shutil.rmtree(os.path.join(folder, "batches", str(index)), ignore_errors=True)
        return (status, items, rows, error, time.perf_counter() - started, out.getvalue(), err.getvalue())


def end_job(job: str) -> None:
    """On every worker at the end: ``shutdown()`` of the entry script, then its folder is removed."""
    with _jobs_lock:
        entry = _jobs.pop(job, None)
    if entry is None:
        return
    folder, module = entry
    try:
        if callable(getattr(module, "shutdown", None)):
            module.shutdown()
    finally:
        if folder in sys.path:
            sys.path.remove(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _payload(data: Any) -> Any:
    """What a mini batch sends: files as (path relative to the working directory, bytes), else as is."""
    if not isinstance(data, list):
        return data
    cwd = os.getcwd()
    out = []
    for path in data:
        rel = os.path.relpath(path, cwd)
        if rel.startswith(".."):
            rel = os.path.join("_abs", os.path.abspath(path).lstrip("/"))
        with open(path, "rb") as f:
            out.append((rel, f.read()))
    return out


def _first_done(futures: list, timeout: float) -> set:
    """The futures done within ``timeout`` (at least one unless it expired; a 20 ms poll)."""
    deadline = time.monotonic() + timeout
    while True:
        done = {f for f in futures if f.done()}
        if done or time.monotonic() >= deadline:
            return done
        time.sleep(0.02)


class DaskPool:
    """``WorkerPool``'s interface over a Dask cluster (see the module docstring)."""

    def __init__(self, base_config: dict, nodes: int, per_node: int, logs: LogLayout, timeout: float,
                 max_tries: int, say: Callable[[str], None]):
        self._base, self._logs, self._timeout, self._max_tries, self._say = base_config, logs, timeout, max_tries, say
        self._size = max(1, nodes * per_node)
        self._job = f"prs-{uuid.uuid4().hex[:12]}"
        self._client: Any = None
        self._source: Any = None
        self._nodes: dict[str, int] = {}

    @property
    def size(self) -> int:
        return self._size

    def start(self) -> None:
        from distributed import Client  # heavy: the optional dask extra

        self._client = Client(os.environ[SCHEDULER_ENV], set_as_default=False, timeout=30)
        self._source = self._client.scatter(_source_zip(os.getcwd()), broadcast=True)
        self._say(f"mini batches run as tasks on the Dask cluster {self._client.scheduler.address} "
                  f"(at most {self._size} at a time)")

    def run(self, batches: list[MiniBatch], on_outcome: Callable[[Outcome], bool]) -> None:
        queue: deque[tuple[MiniBatch, int]] = deque((b, 1) for b in batches)
        running: dict[Any, tuple[MiniBatch, int, float]] = {}
        while queue or running:
            while queue and len(running) < self._size:
                batch, tries = queue.popleft()
                future = self._client.submit(run_batch, self._job, self._source, self._base, batch.index,
                                             _payload(batch.data), batch.partition_key_value, pure=False)
                running[future] = (batch, tries, time.monotonic())
            done = _first_done(list(running), self._wait_time(running))
            for future in done:
                outcome = self._outcome(future, *running.pop(future), queue)
                if outcome is not None and not on_outcome(outcome):
                    return
            for future, (batch, tries, sent) in list(running.items()):
                if future not in done and time.monotonic() - sent > self._timeout:
                    running.pop(future)
                    self._stop_stuck(future)
                    outcome = self._retry_or_fail(batch, tries, queue, "dask", f"run() did not return within "
                                                  f"run_invocation_timeout={self._timeout:g} seconds; its Dask "
                                                  "worker was restarted")
                    if outcome is not None and not on_outcome(outcome):
                        return

    def _wait_time(self, running: dict) -> float:
        oldest = min(sent for _, _, sent in running.values())
        return max(0.05, oldest + self._timeout - time.monotonic() + 0.01)

    def _node(self, future: Any) -> tuple[int, str]:
        try:
            worker = next(iter(self._client.who_has(future).get(future.key, ()) or ()), "dask")
        except Exception:  # noqa: BLE001 - only names the log folder
            worker = "dask"
        node = self._nodes.setdefault(worker, len(self._nodes))
        return node, "process000"

    def _outcome(self, future: Any, batch: MiniBatch, tries: int, sent: float, queue: deque) -> Outcome | None:
        node, name = self._node(future)
        try:
            status, items, lines, error, seconds, stdout, stderr = future.result()
        except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost scheduler...: this try failed
            return self._retry_or_fail(batch, tries, queue, name, f"the Dask task failed: {type(exc).__name__}: "
                                                                  f"{exc}", node)
        finally:
            future.release()
        files = self._logs.worker_files(node, name)
        for text, key in ((stdout, "stdout"), (stderr, "stderr")):
            if text:
                LogLayout._append(Path(files[key]), text)
        if status == "init_failed":
            raise InitFailed(f"init() of the entry script failed on a Dask worker:\n{error}")
        if error is not None:
            self._logs.record_error(node, name, f"mini batch {batch.index}, try {tries}:\n{error}")
            if tries < self._max_tries:
                self._say(f"mini batch {batch.index} failed (try {tries} of {self._max_tries}), trying again: "
                          f"{error.strip().splitlines()[-1]}")
                queue.appendleft((batch, tries + 1))
                return None
        return Outcome(batch, items, lines, error, tries, seconds, time.monotonic() - sent)

    def _retry_or_fail(self, batch: MiniBatch, tries: int, queue: deque, name: str, reason: str,
                       node: int = 0) -> Outcome | None:
        self._logs.record_error(node, name, f"mini batch {batch.index}, try {tries}: {reason}")
        if tries < self._max_tries:
            self._say(f"mini batch {batch.index}: try {tries} of {self._max_tries} failed ({reason}), trying again")
            queue.appendleft((batch, tries + 1))
            return None
        return Outcome(batch, 0, None, f"{reason} (try {tries} of {self._max_tries}).", tries)

    def _stop_stuck(self, future: Any) -> None:
        try:
            workers = list(self._client.processing().items())
            stuck = [w for w, keys in workers if future.key in keys]
            future.cancel()
            if stuck:
                self._client.restart_workers(stuck)
        except Exception:  # noqa: BLE001 - the try already failed; stopping it is best effort
            pass

    def close(self) -> None:
        if self._client is None:
            return
        try:
            self._client.run(end_job, self._job)
        except Exception:  # noqa: BLE001 - workers gone: their folders went with their temp dirs' owner
            pass
        finally:
            self._client.close()
            self._client = None
