"""``DaskLauncher``: a job of a Dask-backed compute target runs as one task on a Dask worker.

Which targets are Dask-backed, and the cluster behind each, is :mod:`.dask_clusters`. This module
is the :class:`~azureml_local.engine.launchers.Launcher` seen by ``engine/execute.py``:

* ``prepare`` copies the snapshot into the working directory (never an overlay: it is shipped);
* ``start`` zips the prepared working directory and every workspace folder the job's argv or
  environment names (inputs, the empty output folders) into one blob of the workspace's blob store,
  then submits :func:`~azureml_local.engine.dask_task.run_job` (one task per job);
* the handle's ``wait`` returns the exit code once the task ended, after bringing its results back
  through the blob store (new or changed files of the working directory, the output folders, the
  log) and replaying the job's run journal (metrics, tags, properties, files) into the run history;
* ``cancel`` sets the task's cancel event (the task stops the job's process group) and waits.

A worker lost mid-job: the scheduler runs the task again on another worker (the second attempt is
the retry); a task lost again, or one the scheduler gave up on (``KilledWorker``), ends the job with
an exit code and a log line saying so, and the run fails with that reason.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Any, BinaryIO

from azureml_local.engine import dask_task
from azureml_local.engine.job import ScriptJob
from azureml_local.engine.snapshot import materialize
from azureml_local.home import local_home
from azureml_local.runs import artifacts
from azureml_local.runs.journal import PARENT_ENV

CONTAINER = "azureml-dask"
SCHEDULER_ENV = "AZUREML_LOCAL_DASK_SCHEDULER"  # read by pipeline/parallel/dask_pool.py (the same name)
LIVE_SECONDS = 2.0  # how often the running job's log is fetched into the run's log
MAX_ATTEMPTS = 2  # the first run and one retry after a lost worker
LOST_WORKER_EXIT = 137  # what the run's error reports when the worker was lost for good
_NOT_SHIPPED = ("AZUREML_LOCAL_HOME", "MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")


class DaskLaunchError(RuntimeError):
    """The job could not be handed to the Dask cluster (no blob store the worker can reach...)."""


class DaskJob:
    """One submitted task (the :class:`~azureml_local.engine.launchers.RunHandle` of a Dask job)."""

    pid = None  # no local process: orphan recovery must never signal anything for this run

    def __init__(self, launcher: "DaskLauncher", job: ScriptJob, work_dir: Path, log: BinaryIO,
                 future: Any, key: str, destinations: dict[str, Path], slot: threading.Semaphore):
        self.launcher, self.job, self.work_dir, self.log = launcher, job, work_dir, log
        self.future, self.key, self.destinations, self._slot = future, key, destinations, slot
        self._code: int | None = None
        self._live_attempt, self._live_offset, self._live_checked = 1, 0, time.monotonic()
        self._event_name = f"azureml-local-cancel-{job.run_id}-{key.rsplit('/', 1)[-1]}"

    def wait(self, timeout: float | None) -> int | None:
        if self._code is not None:
            return self._code
        from distributed import TimeoutError as DaskTimeout  # heavy: the optional dask extra

        try:
            info = self.future.result(timeout=timeout)
        except (DaskTimeout, TimeoutError):
            if time.monotonic() - self._live_checked >= LIVE_SECONDS:
                self._stream_live()
            return None
        except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost scheduler...: the job failed
            self._code = self._ended(None, f"the Dask task failed: {type(exc).__name__}: {exc}")
            return self._code
        self._code = self._ended(info)
        return self._code

    def cancel(self) -> None:
        if self._code is not None:
            return
        from distributed import Event  # heavy: the optional dask extra

        try:
            Event(self._event_name, client=self.launcher.client).set()
            self.wait(30)
        finally:
            if self._code is None:
                self.future.cancel()
                self._code = self._ended(None, "canceled before the Dask task reported back")

    def release(self) -> None:
        """Nothing is mounted for a Dask job: its results came back when it ended."""

    def _ended(self, info: dict | None, problem: str | None = None) -> int:
        """Bring the results back, record where the job ran; the job's exit code."""
        try:
            if info is not None and info.get("result"):
                try:
                    self._results_back(info["result"], info.get("attempt") or 1)
                except Exception as exc:  # noqa: BLE001 - Azurite gone, a bad zip...: the run fails with why
                    problem = f"the job's results could not be brought back from the blob store: {exc}"
            if info is not None:
                self.launcher.ws._context.runs.add_properties(self.job.run_id, {
                    "azureml-local.dask.worker": info.get("worker") or "",
                    "azureml-local.dask.worker_pid": str(info.get("worker_pid")),
                    "azureml-local.dask.host": info.get("host") or "",
                    "azureml-local.dask.attempt": str(info.get("attempt")),
                    **({"azureml-local.dask.started": f"{info['started']:.3f}",
                        "azureml-local.dask.ended": f"{info['ended']:.3f}"} if "started" in info else {})})
                if info.get("exit_code") == dask_task.LOST_EXIT:
                    problem = (f"the Dask worker running this job was lost {info['attempt'] - 1} times "
                               f"(the job is retried once); it was not run again")
            if problem is not None:
                self.log.write(f"azureml-local: {problem}.\n".encode())
                self.log.flush()
                return LOST_WORKER_EXIT
            return int(info["exit_code"])
        finally:
            self._slot.release()
            self.future.release()  # the scheduler forgets the task: a worker lost later must not recompute it
            try:
                self.launcher.store.delete_prefix(CONTAINER, self.key + "/")
            except Exception:  # noqa: BLE001 - staging blobs are garbage, not the run's outcome
                pass

    def _stream_live(self) -> None:
        """Append what the running attempt logged since the last look (a newer attempt starts over)."""
        self._live_checked = time.monotonic()
        store = self.launcher.store
        for attempt in (self._live_attempt + 1, self._live_attempt):
            try:
                data = store.download_bytes(CONTAINER, dask_task.live_log(self.key, attempt))
            except Exception:  # noqa: BLE001 - not published (yet), or storage busy: try again later
                continue
            if attempt != self._live_attempt:
                self._live_attempt, self._live_offset = attempt, 0
            if len(data) > self._live_offset:
                self.log.write(data[self._live_offset:])
                self.log.flush()
                self._live_offset = len(data)
            return

    def _results_back(self, blob: str, attempt: int) -> None:
        """Unpack the task's results into the service-side folders, append the rest of its log, replay its
        journal."""
        data = self.launcher.store.download_bytes(CONTAINER, blob)
        dask_task.unpack(data, dict(self.destinations, log=self.work_dir / ".azureml_dask_log"))
        self._append_log(self.work_dir / ".azureml_dask_log", self._live_offset if attempt == self._live_attempt else 0)
        replay_journal(self.launcher.ws, self.job.run_id, self.work_dir / dask_task.JOURNAL_DIR)

    def _append_log(self, path: Path, skip: int) -> None:
        if path.exists():
            with open(path, "rb") as src:
                src.seek(skip)
                while chunk := src.read(1 << 20):
                    self.log.write(chunk)
            self.log.flush()
            path.unlink()


class DaskLauncher:
    """Runs jobs on the Dask cluster behind ``client`` (see the module docstring)."""

    def __init__(self, ws: Any, client: Any, connection_string: str, slot: threading.Semaphore):
        self.ws, self.client, self.connection_string, self.slot = ws, client, connection_string, slot
        self.store = ws._context.blobs

    def prepare(self, job: ScriptJob, work_dir: Path, log: BinaryIO) -> None:
        if job.snapshot_dir is not None:
            materialize(job.snapshot_dir, work_dir)
        work_dir.mkdir(parents=True, exist_ok=True)

    def start(self, job: ScriptJob, work_dir: Path, log: BinaryIO) -> DaskJob:
        argv = job.argv()
        env = {k: str(v) for k, v in job.environment_variables.items() if k not in _NOT_SHIPPED}
        env[SCHEDULER_ENV] = self.client.scheduler.address  # ParallelRunStep's driver sends mini batches there
        parent = self.ws._context.runs.run(job.run_id).get("parent_run_id")
        if parent:
            env[PARENT_ENV] = parent
        units, mapping = ship_units(work_dir, [argv] if isinstance(argv, str) else argv, env.values(),
                                    roots=[Path(self.ws._local_folder), local_home()])
        key = f"{job.run_id}/{uuid.uuid4().hex[:12]}"
        self.store.create_container(CONTAINER)
        self.store.upload_bytes(CONTAINER, f"{key}/bundle.zip", dask_task.pack(units), overwrite=True)
        payload = {"connection_string": self.connection_string, "container": CONTAINER, "key": key,
                   "units": {u: "file" if p.is_file() else "dir" for u, p in units.items()},
                   "mapping": mapping, "argv": argv, "env": env, "python": job.python,
                   "return_units": [u for u, p in units.items() if p.is_dir() and u != dask_task.WORKDIR_UNIT
                                    and not any(p.iterdir())],
                   "max_attempts": MAX_ATTEMPTS}
        log.write(f"azureml-local: running on the Dask cluster {self.client.scheduler.address} "
                  f"(compute target '{job.target}').\n".encode())
        log.flush()
        self.slot.acquire()
        try:
            handle_key = key
            payload["cancel_event"] = f"azureml-local-cancel-{job.run_id}-{handle_key.rsplit('/', 1)[-1]}"
            future = self.client.submit(dask_task.run_job, payload, key=f"azureml-local-{job.run_id}-"
                                        f"{handle_key.rsplit('/', 1)[-1]}", pure=False)
        except BaseException:
            self.slot.release()
            raise
        return DaskJob(self, job, work_dir, log, future, key, units, self.slot)


def ship_units(work_dir: Path, argv: list, env_values: Any, roots: list[Path]) -> tuple[dict[str, Path], list]:
    """``({unit: local path}, [(service path, unit)])``: the working directory, plus every existing
    path below a workspace root that the job's argv or environment names (the nearest existing
    ancestor of a path that does not exist yet, e.g. an output file)."""
    units: dict[str, Path] = {dask_task.WORKDIR_UNIT: work_dir}
    mapping: list[tuple[str, str]] = [(str(work_dir), dask_task.WORKDIR_UNIT)]
    found: set[Path] = set()
    texts = [str(a) for a in argv] + [str(v) for v in env_values]
    for root in {Path(os.path.abspath(r)) for r in roots}:
        pattern = re.compile(re.escape(str(root)) + r"/[^\s'\"=,;:]+")
        for text in texts:
            for match in pattern.finditer(text):
                path = Path(match.group(0).rstrip("/"))
                while not path.exists() and path != root:
                    path = path.parent
                if path != root and not _under(path, work_dir):
                    found.add(path)
    for path in sorted(found, key=lambda p: len(str(p))):
        if any(_under(path, Path(units[u])) for u in units if u != dask_task.WORKDIR_UNIT):
            continue  # inside a folder already shipped
        unit = f"p{len(units)}"
        units[unit] = path
        mapping.append((str(path), unit))
    return units, mapping


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def replay_journal(ws: Any, run_id: str, journal_dir: Path) -> None:
    """Record what the job's journal run logged (``runs/journal.py``) in the run history."""
    journal = journal_dir / "journal.jsonl"
    if not journal.exists():
        return
    runs = ws._context.runs
    allowed = {run_id, runs.run(run_id).get("parent_run_id")} - {None}  # the job's run and its parent only
    metrics = []
    for line in journal.read_text().splitlines():
        entry = json.loads(line)
        op, target = entry["op"], entry.get("run") or run_id
        if target not in allowed:
            continue
        if op == "metric":
            metrics.append(entry)
        elif op == "tags":
            runs.set_tags(target, entry["tags"])
        elif op == "properties":
            runs.add_properties(target, entry["properties"])
        elif op == "file":
            artifacts.upload_paths(ws, target, [(entry["name"], str(journal_dir / entry["file"]))])
    for m in metrics:
        runs.log_metric(m.get("run") or run_id, m["name"], m["kind"], m["value"], m.get("step"),
                        m.get("description") or "")
