"""Execute one :class:`ScriptJob` as one run: the unit every run type builds on.

Blocking and thread-safe: the runner calls it in a worker thread per run, and
pipeline handlers call it for each step (in parallel threads if they like).

The process itself is started, waited for and stopped by a launcher (``engine/launchers.py``);
this module keeps the run's bookkeeping: status, logs, artifacts, cancel and timeout decisions.

Run folder layout (``<workspace>/runs/<run id>/``)::

    wd/                         the process cwd: an overlay over the snapshot (holding only what
                                the run wrote) or, where overlays are unavailable, a copy of it
    logs/user_logs/std_log.txt  stdout + stderr of the process
    logs/azureml-logs/70_driver_log.txt   hard link to the same file

Status path: Running -> Finalizing -> Completed | Failed | Canceled.
A Failed run's error holds the script's own traceback.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from azureml_local.engine import dask_clusters
from azureml_local.engine.env import run_environment
from azureml_local.engine.job import ScriptJob
from azureml_local.engine.launchers import Launcher, LocalProcessLauncher, RunHandle
from azureml_local.faults import pause_point
from azureml_local.runs import artifacts
from azureml_local.status import RUNNING_STATES
from azureml_local.store.runs import error_dict

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

STD_LOG = "user_logs/std_log.txt"
DRIVER_LOG = "azureml-logs/70_driver_log.txt"
_POLL = 0.25


def run_folder(ws: "Workspace", run_id: str) -> Path:
    return ws._local_folder / "runs" / run_id


def log_paths(ws: "Workspace", run_id: str) -> dict[str, Path]:
    """``{artifact log name: local file}`` of a run (files may not exist yet)."""
    logs = run_folder(ws, run_id) / "logs"
    return {DRIVER_LOG: logs / DRIVER_LOG, STD_LOG: logs / STD_LOG}


def make_run_dirs(ws: "Workspace", *folders: Path) -> None:
    """``mkdir -p`` of folders inside the workspace folder, never of the workspace folder itself: a
    workspace deleted while its service starts a step stays deleted (``FileNotFoundError`` here, and
    the service exits), instead of coming back as a folder of stray run logs."""
    root = ws._local_folder
    for folder in folders:
        if folder == root or not folder.is_relative_to(root):
            raise ValueError(f"{folder} is not a folder inside the workspace folder {root}")
        _mkdir_below(root, folder)


def _mkdir_below(root: Path, folder: Path) -> None:
    try:
        folder.mkdir()
    except FileExistsError:
        return
    except FileNotFoundError:
        if folder.parent == root:
            raise FileNotFoundError(f"The workspace folder {root} is gone (deleted while in use).") from None
        _mkdir_below(root, folder.parent)
        folder.mkdir(exist_ok=True)


def make_log_files(ws: "Workspace", run_id: str) -> dict[str, Path]:
    """A run's log files: the std log (empty if new) and the driver log as its hard link; idempotent.
    Returns :func:`log_paths`."""
    logs = log_paths(ws, run_id)
    make_run_dirs(ws, logs[STD_LOG].parent, logs[DRIVER_LOG].parent)
    logs[STD_LOG].touch()
    try:
        os.link(logs[STD_LOG], logs[DRIVER_LOG])
    except OSError:  # linked already, or no hard links here (its artifact is an alias of the std log's anyway)
        pass
    return logs


def prepare_run_folder(ws: "Workspace", run_id: str, working_dir: bool) -> None:
    """Make a run's folders before it is started: its log files and, with ``working_dir``, ``wd/outputs``
    (the upper layer of its overlay, or the folder its copy goes to).

    What :func:`execute_script_job` makes itself when they are missing. A pipeline makes them for its
    next steps while the current one runs: every new file or folder is an inode allocated, 0.1-0.5 ms
    each on a file system busy with recent deletions (ext4 without a journal checks each candidate
    inode's deletion time), and a step's start is on the pipeline's critical path.
    """
    make_log_files(ws, run_id)
    if working_dir:
        make_run_dirs(ws, run_folder(ws, run_id) / "wd" / "outputs")


def execute_script_job(ws: "Workspace", job: ScriptJob, launcher: Launcher | None = None) -> str:
    """Run ``job`` to the end and return the run's final status: as a local process, or as a task of the
    Dask cluster behind a Dask-backed target (``engine/dask_clusters.py``), unless a ``launcher`` is given."""
    experiment_id = job.experiment_id or ws._context.runs.run(job.run_id)["experiment_id"]
    folder = run_folder(ws, job.run_id)
    work_dir = Path(job.working_dir) if job.working_dir else folder / "wd"
    if not ws._context.runs.set_status(job.run_id, "Running", start=True, only_from=RUNNING_STATES,
                              runner_pid=os.getpid(), work_dir=str(work_dir)):
        # canceled before it started; a cancel that only got as far as CancelRequested is completed here
        ws._context.runs.set_status(job.run_id, "Canceled", only_from=("CancelRequested",))
        return ws._context.runs.status(job.run_id)
    logs = make_log_files(ws, job.run_id)
    with open(logs[STD_LOG], "ab") as log:
        try:
            launcher = launcher or dask_clusters.launcher_for(ws, job.target) or LocalProcessLauncher()
            _prepare(ws, job, experiment_id, work_dir, launcher, log)
        except Exception as exc:  # noqa: BLE001 - any setup failure fails the run with its message
            log.write(f"azureml-local: could not prepare the run: {exc}\n".encode())
            log.flush()
            return _finish(ws, job, work_dir, "Failed",
                           error_dict(f"Preparing the run failed: {exc}", code="UserError"))
        try:
            exit_code, reason, handle = _launch_and_wait(ws, job, work_dir, log, launcher)
        except Exception as exc:  # noqa: BLE001 - a launcher that could not start or follow the job fails the run
            log.write(f"azureml-local: the run's process could not be started or followed: {exc}\n".encode())
            log.flush()
            return _finish(ws, job, work_dir, "Failed",
                           error_dict(f"Starting the run failed: {exc}", code="SystemError"))
    if not job.unmount_after_upload or reason != "exited" or exit_code != 0:
        handle.release()  # a mount kept for the deferred upload (_launch_and_wait decided) is kept only on that path
    if reason == "canceled":
        return _finish(ws, job, work_dir, "Canceled")
    if reason == "timeout":
        return _finish(ws, job, work_dir, "Failed", error_dict(
            f"The run exceeded its maximum duration of {job.timeout_seconds} seconds and was stopped "
            "(max_run_duration_seconds).", code="UserError"))
    if exit_code != 0:
        return _finish(ws, job, work_dir, "Failed", _script_error(job, exit_code, logs[STD_LOG]))
    # a deferred completion keeps the end time of the process (run_after order holds in the history);
    # a run that is no longer Running was canceled while its process ended (that check costs no read here)
    if not ws._context.runs.set_status(job.run_id, "Finalizing", only_from=("Running",),
                                       end=job.defer_completion or None) and _cancel_requested(ws, job):
        handle.release()
        return _finish(ws, job, work_dir, "Canceled")
    try:
        for hook in job.after_process:
            hook(job, work_dir, exit_code)
    except Exception as exc:  # noqa: BLE001
        return _finish(ws, job, work_dir, "Failed",
                       error_dict(f"Finalizing the run's outputs failed: {exc}", code="SystemError"))
    if job.defer_completion:  # the caller uploads and completes off its critical path (ScriptJob docs)
        def complete() -> str:
            handle.release()  # the overlay kept for this upload (unmount_after_upload), if any
            return _finish(ws, job, work_dir, "Completed", end=False)
        job.complete = complete
        return "Completed"
    return _finish(ws, job, work_dir, "Completed")


def _prepare(ws: "Workspace", job: ScriptJob, experiment_id: str, work_dir: Path, launcher: Launcher, log: BinaryIO) -> None:
    pause_point("run.snapshot")
    launcher.prepare(job, work_dir, log)
    (work_dir / "outputs").mkdir(exist_ok=True)
    if job.script and job.command is None and not _has_script(job, work_dir):
        raise FileNotFoundError(f"the script '{job.script}' is not in the source directory")
    env = run_environment(ws, job.run_id, job.experiment_name, experiment_id, job.target)
    env.update({str(k): str(v) for k, v in job.environment_variables.items()})
    job.environment_variables = env
    for hook in job.before_launch:
        hook(job, work_dir)


def _has_script(job: ScriptJob, work_dir: Path) -> bool:
    """The script is in the working directory, or in the snapshot it shows (an overlay's lower layer)."""
    return (work_dir / job.script).is_file() or (
        job.snapshot_dir is not None and (Path(job.snapshot_dir) / job.script).is_file())


def _launch_and_wait(ws: "Workspace", job: ScriptJob, work_dir: Path, log: BinaryIO,
                     launcher: Launcher) -> tuple[int | None, str, RunHandle]:
    """Start the job and follow it to its end: ``(exit code, "exited" | "canceled" | "timeout", handle)``."""
    job.unmount_after_upload = job.unmount_after_upload and job.defer_completion and not job.after_process
    handle = launcher.start(job, work_dir, log)
    ws._context.runs.update_run(job.run_id, pid=handle.pid)
    for hook in job.after_launch:
        hook(job)
    deadline = time.monotonic() + job.timeout_seconds if job.timeout_seconds else None
    while True:
        code = handle.wait(_POLL)
        if code is not None:
            if code != 0 and _cancel_requested(ws, job):
                return None, "canceled", handle  # Run.cancel killed the process group itself
            return code, "exited", handle  # a clean exit meets the cancel check when it leaves Running
        if deadline is not None and time.monotonic() > deadline:
            handle.cancel()
            return None, "timeout", handle
        if _cancel_requested(ws, job):
            handle.cancel()
            return None, "canceled", handle


def _cancel_requested(ws: "Workspace", job: ScriptJob) -> bool:
    return ws._context.runs.status(job.run_id) in ("CancelRequested", "Canceled")


def _script_error(job: ScriptJob, exit_code: int, log_file: Path) -> dict:
    text = log_file.read_text(errors="replace") if log_file.exists() else ""
    idx = text.rfind("Traceback (most recent call last):")
    tail = text[idx:].strip() if idx >= 0 else "\n".join(text.strip().splitlines()[-20:])
    process = "python" if job.command is None else "command"
    message = (f"Execution failed. User process '{process}' exited with status code {exit_code}. "
               f"Please check log file '{STD_LOG}' for error details. Error: {tail}")
    return error_dict(message, code="UserError")


def _finish(ws: "Workspace", job: ScriptJob, work_dir: Path, status: str, error: dict | None = None,
            end: bool | None = None) -> str:
    """Upload outputs and logs (what exists), then record the final status."""
    items: list[tuple[str, str]] = []
    for folder, prefix in job.output_uploads:
        local = Path(folder) if os.path.isabs(folder) else work_dir / folder
        if local.is_dir():
            items += artifacts.folder_items(local, prefix)
    std_log = log_paths(ws, job.run_id)[STD_LOG]
    if std_log.exists():
        items.append((STD_LOG, str(std_log)))
    pause_point("run.upload")
    try:
        artifacts.upload_paths(ws, job.run_id, items)
        if std_log.exists():  # the driver log is the same file (hard link): index it, upload once
            artifacts.alias(ws, job.run_id, DRIVER_LOG, STD_LOG)
    except Exception as exc:  # noqa: BLE001 - the run still needs a final status
        if status == "Completed":
            status, error = "Failed", error_dict(f"Uploading the run's files failed: {exc}",
                                                         code="SystemError")
    pause_point("run.finalize")
    with ws._context.db.transaction():  # the run and the children it left open end together
        ws._context.runs.close_open_children(job.run_id, status)
        ws._context.runs.set_status(job.run_id, status, error=error, pid=None, end=end)
    return status
