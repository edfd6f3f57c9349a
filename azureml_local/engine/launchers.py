"""Launchers: where and how one job's process runs (KFP's ``ITaskHandler`` shape).

``engine/execute.py`` keeps the run's bookkeeping (status, logs, artifacts, cancel and timeout
decisions) and talks to a :class:`Launcher` only through this small protocol, so another launcher
(a Dask worker, a container) can be added without touching it::

    launcher.prepare(job, work_dir, log) -> None   # the job's sources in work_dir (before the binding hooks)
    handle = launcher.start(job, work_dir, log)    # log: an open binary file for stdout + stderr
    handle.wait(timeout) -> exit code | None       # None: still running after ``timeout`` seconds
    handle.cancel()                                # graceful, then for sure
    handle.release()                               # free the working directory's mount (after the exit)
    handle.pid

:class:`LocalProcessLauncher` runs the job as a local process in its own session (the run's
process group, so cancel and timeout stop everything it started), over an overlay of the snapshot
when the kernel allows it (``engine/workdir.py``), else in a copy.
"""
from __future__ import annotations

import functools
import os
import select
import signal
import subprocess
from pathlib import Path
from typing import BinaryIO, Callable, Protocol

from azureml_local.engine import mount_namespace, workdir
from azureml_local.engine.job import ScriptJob
from azureml_local.engine.snapshot import materialize
from azureml_local.processes import kill_process_group

GRACE_SECONDS = 5.0


class RunHandle(Protocol):
    """A started job."""

    pid: int

    def wait(self, timeout: float | None) -> int | None:
        """The exit code once the job has ended; ``None`` when it still runs after ``timeout`` s."""

    def cancel(self) -> None:
        """Stop the job: gracefully, then for sure; returns once it has ended."""

    def release(self) -> None:
        """Free what the job's working directory still holds (an overlay mount); idempotent. Called
        after the exit, at once or, for ``ScriptJob.unmount_after_upload``, after the files upload."""


class Launcher(Protocol):
    """Prepares a job's working directory and starts the job."""

    def prepare(self, job: ScriptJob, work_dir: Path, log: BinaryIO) -> None:
        """Make ``job.snapshot_dir``'s files the contents of ``work_dir`` as the job will see it
        (before the binding hooks, which may write into it); a line in ``log`` for anything notable."""

    def start(self, job: ScriptJob, work_dir: Path, log: BinaryIO) -> RunHandle:
        """Start the job in ``work_dir`` with stdout and stderr to ``log``."""


class LocalProcess:
    """A local process in its own session; wakes on exit through a pidfd, not on a poll tick.

    ``on_exit`` (unmount and clean the overlay) runs when the process has ended, or only on
    :meth:`release` when ``release_on_exit`` is False (the engine then calls it off the critical path).
    """

    def __init__(self, proc: subprocess.Popen, on_exit: Callable[[], None] | None = None,
                 release_on_exit: bool = True):
        self.proc = proc
        self.pid = proc.pid
        self._on_exit = on_exit
        self._release_on_exit = release_on_exit
        try:
            self._fd: int | None = os.pidfd_open(proc.pid)
        except (AttributeError, OSError):
            self._fd = None

    def wait(self, timeout: float | None) -> int | None:
        if self.proc.returncode is None:
            if self._fd is not None:
                ready, _, _ = select.select([self._fd], [], [], timeout)
                if not ready and self.proc.poll() is None:
                    return None
            else:
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    return None
        code = self.proc.wait()
        self._exited()
        return code

    def cancel(self) -> None:
        kill_process_group(self.pid)
        try:
            self.proc.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            kill_process_group(self.pid, signal.SIGKILL)
            self.proc.wait()
        self._exited()

    def _exited(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._release_on_exit:
            self.release()

    def release(self) -> None:
        if self._on_exit is not None:
            on_exit, self._on_exit = self._on_exit, None
            on_exit()


class LocalProcessLauncher:
    """Today's local execution: ``Popen`` in a new session, the working directory over the snapshot.

    Stateless: whether a run gets an overlay is decided from its paths and the (cached) probe.
    """

    @staticmethod
    def uses_overlay(job: ScriptJob, work_dir: Path) -> bool:
        """Whether ``work_dir`` is (to be) an overlay over the job's snapshot."""
        return job.snapshot_dir is not None and workdir.can_overlay(Path(job.snapshot_dir), work_dir)

    def prepare(self, job: ScriptJob, work_dir: Path, log: BinaryIO) -> None:
        if self.uses_overlay(job, work_dir):
            work_dir.mkdir(parents=True, exist_ok=True)  # the upper layer: the binding hooks write here
            return
        if job.snapshot_dir is not None:
            log.write(b"azureml-local: overlay working directories are not available here; "
                      b"copying the snapshot into the working directory.\n")
            log.flush()
            materialize(job.snapshot_dir, work_dir)
        work_dir.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def mount_ahead(snapshot_dir: Path, work_dir: Path) -> bool:
        """Mount ``work_dir`` over the snapshot before its job is started (``start`` then uses that mount),
        in the service's namespace; returns whether it did.

        Only for a job with no bound output folder inside its working directory: a folder the binding
        hooks make in a mounted overlay is not merged with the snapshot's copy of it
        (``workdir.fill_prepared_folders``), and consumers read output folders from the upper layer.
        """
        if not (mount_namespace.active() and workdir.can_overlay(snapshot_dir, work_dir)):
            return False
        work_dir.mkdir(parents=True, exist_ok=True)
        workdir.prepare_layers(snapshot_dir, work_dir)
        workdir.mount(snapshot_dir, work_dir)
        return True

    def start(self, job: ScriptJob, work_dir: Path, log: BinaryIO) -> LocalProcess:
        env = dict(os.environ)
        env.update(job.environment_variables)
        argv = job.argv()
        on_exit = None
        if self.uses_overlay(job, work_dir):
            if workdir.is_mounted(work_dir):  # mounted before the job existed (mount_ahead)
                on_exit = functools.partial(workdir.release, work_dir)
            else:
                workdir.prepare_layers(Path(job.snapshot_dir), work_dir)
                argv, on_exit = self._overlay(Path(job.snapshot_dir), work_dir, argv)
        try:
            proc = subprocess.Popen(argv, cwd=work_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    shell=isinstance(argv, str))
        except BaseException:
            if on_exit is not None:
                on_exit()
            raise
        return LocalProcess(proc, on_exit, release_on_exit=not job.unmount_after_upload)

    @staticmethod
    def _overlay(snapshot_dir: Path, work_dir: Path, argv: list[str] | str) -> tuple[list[str] | str, Callable[[], None]]:
        """The argv and the after-exit clean-up of a run over an overlay.

        In the service's own mount namespace the overlay is mounted here and the argv is unchanged;
        elsewhere (or if that mount fails) the process mounts it itself (``workdir.overlay_argv``).
        """
        if mount_namespace.active():
            try:
                workdir.mount(snapshot_dir, work_dir)
            except OSError:
                pass
            else:
                return argv, functools.partial(workdir.release, work_dir)
        wrapped = workdir.overlay_argv(snapshot_dir, work_dir, ["/bin/sh", "-c", argv] if isinstance(argv, str) else argv)
        return wrapped, lambda: workdir.cleanup(work_dir)
