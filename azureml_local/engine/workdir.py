"""A run's working directory over its read-only snapshot, at a cost independent of the source size.

Where the kernel allows it, the working directory is an overlay mounted in the step process's own
user + mount namespace: the snapshot is the read-only lower layer and the run's folder (``wd``) is
the upper layer, mounted over itself. The script sees (and may change) its whole source at the
usual path; every write lands in ``wd``; the snapshot, other runs and later reuses never see it.
Nothing is copied, and the namespace (with its mount) ends with the process.

Outside the namespace, ``wd`` holds only what the run created or changed. So before the launch,
every folder already made in ``wd`` (``./outputs``, bound output and input folders) gets the
snapshot's contents of that folder copied in, and after the exit the overlay's deletion markers
(whiteouts) are removed: readers of output folders see exactly what the script left there.

Inside the workspace service the overlay is mounted by the service itself, in its private mount
namespace (``engine/mount_namespace.py``), so a step pays no ``unshare``/``sh``/``mount`` chain:
:func:`mount` before the launch, :func:`unmount` after the exit.

Without overlay support (probed once per process and file system) the snapshot is copied, as before.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import threading
import uuid
from pathlib import Path

from azureml_local.engine import mount_namespace

# the mount, then the command in the merged view ("$1" options, "$2" the working dir, then argv)
_MOUNT_AND_EXEC = 'mount -t overlay overlay -o "$1" "$2" && cd "$2" && shift 2 && exec "$@"'
_UNSAFE = (",", ":", "\\", "\n")  # overlay option syntax; such paths use the copy
_probed: dict[str, bool] = {}
_probe_lock = threading.Lock()


def _unshare_args() -> list[str]:
    """A new mount namespace; unprivileged users also need a user namespace to mount in."""
    return ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]


def overlay_argv(lower: Path, work_dir: Path, argv: list[str]) -> list[str]:
    """``argv`` wrapped so it runs in ``work_dir`` mounted as an overlay of ``lower`` (same pid: exec)."""
    lower, work_dir = Path(os.path.abspath(lower)), Path(os.path.abspath(work_dir))  # sh starts in work_dir
    options = f"lowerdir={lower},upperdir={work_dir},workdir={_overlay_work(work_dir)}"
    return [*_unshare_args(), "/bin/sh", "-c", _MOUNT_AND_EXEC, "sh", options, str(work_dir), *argv]


def _overlay_work(work_dir: Path) -> Path:
    """The overlay's scratch folder: next to the upper layer (same file system), removed after the run."""
    return work_dir.parent / f".{work_dir.name}-overlay"


def overlay_available(folder: Path) -> bool:
    """Whether an overlay can be mounted for working directories under ``folder``.

    Probed once per folder and process (a mount in a scratch folder there: ~10 ms), so the answer
    costs no system call afterwards. ``AZUREML_LOCAL_WORKDIR=copy`` forces the copy.
    """
    if os.environ.get("AZUREML_LOCAL_WORKDIR") == "copy":
        return False
    key = str(folder)
    known = _probed.get(key)
    if known is None:
        with _probe_lock:
            known = _probed.get(key)
            if known is None:
                folder.mkdir(parents=True, exist_ok=True)
                known = _probed[key] = _probe(folder)
    return known


def _probe(folder: Path) -> bool:
    """Mount a scratch overlay the way runs will get theirs, write through it, check both layers."""
    in_namespace = mount_namespace.active()
    if not in_namespace and shutil.which("unshare") is None:
        return False
    probe = folder / f".overlay-probe-{uuid.uuid4().hex[:8]}"
    lower, upper = probe / "lower", probe / "wd"
    try:
        lower.mkdir(parents=True)
        prepare_upper(upper)
        (lower / "probe").write_text("lower")
        ok = _write_through_namespace(lower, upper) if in_namespace else _write_through_chain(lower, upper)
        ok = ok and (lower / "probe").read_text() == "lower" and (upper / "probe").read_text().strip() == "upper"
    except (OSError, subprocess.SubprocessError):
        ok = False
    finally:
        cleanup(upper)
        shutil.rmtree(probe, ignore_errors=True)
    return ok


def _write_through_chain(lower: Path, upper: Path) -> bool:
    argv = overlay_argv(lower, upper, ["/bin/sh", "-c", "echo upper > probe"])
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=10).returncode == 0


def _write_through_namespace(lower: Path, upper: Path) -> bool:
    mount(lower, upper)
    try:
        seen = (upper / "probe").read_text() == "lower"
        (upper / "probe").write_text("upper")
    finally:
        unmount(upper)
    return seen


def mount(lower: Path, work_dir: Path) -> None:
    """Mount ``work_dir`` as the overlay of ``lower`` in this process's namespace (service only)."""
    lower, work_dir = Path(os.path.abspath(lower)), Path(os.path.abspath(work_dir))
    mount_namespace.mount_overlay(lower, work_dir, _overlay_work(work_dir))


def unmount(work_dir: Path) -> None:
    mount_namespace.unmount(Path(os.path.abspath(work_dir)))


def is_mounted(work_dir: Path) -> bool:
    """Whether ``work_dir`` is a mount point here (an overlay mounted over it in this namespace)."""
    return os.path.ismount(work_dir)


def release(work_dir: Path) -> None:
    """After the process: unmount the overlay mounted by :func:`mount` and clean the upper layer."""
    unmount(work_dir)
    cleanup(work_dir)


def can_overlay(snapshot_dir: Path, work_dir: Path) -> bool:
    """Overlay for this run: supported here, and paths the mount options can carry."""
    paths = (str(snapshot_dir), str(work_dir), str(_overlay_work(work_dir)))
    if any(c in p for p in paths for c in _UNSAFE):
        return False
    return overlay_available(work_dir.parent.parent)  # the runs folder: one probe for all runs


def prepare_upper(work_dir: Path) -> None:
    """The (empty) upper layer and the overlay's scratch folder."""
    if not work_dir.is_dir():
        work_dir.mkdir(parents=True)
    _overlay_work(work_dir).mkdir(exist_ok=True)


def prepare_layers(snapshot_dir: Path, work_dir: Path) -> None:
    """Just before the mount: the snapshot's files of the folders already made in the upper layer
    (:func:`fill_prepared_folders`), and the overlay's scratch folder."""
    fill_prepared_folders(snapshot_dir, work_dir)
    prepare_upper(work_dir)


def fill_prepared_folders(snapshot_dir: Path, work_dir: Path) -> None:
    """Copy the snapshot's contents of every folder that exists in both layers into the upper one.

    Run after the binding hooks, just before the launch: folders made then (``outputs``, output
    folders) are read from ``wd`` after the process, so they must hold their snapshot files too.
    Costs nothing unless the source itself has such folders.
    """
    for dirpath, dirs, _files in os.walk(work_dir):
        rel = os.path.relpath(dirpath, work_dir)
        lower = snapshot_dir if rel == "." else snapshot_dir / rel
        dirs[:] = [d for d in dirs if (lower / d).is_dir()]  # never walk downloaded data the source lacks
        if rel == ".":
            continue  # the root's files stay in the lower layer: only made folders are merged
        for entry in os.scandir(lower):
            target = Path(dirpath) / entry.name
            if target.exists() or target.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.copytree(entry.path, target, symlinks=True)
            else:
                shutil.copy2(entry.path, target, follow_symlinks=False)


def cleanup(work_dir: Path) -> None:
    """After the process: drop the overlay's whiteouts from ``wd`` and its scratch folder."""
    for dirpath, _dirs, files in os.walk(work_dir):
        for name in files:
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:
                os.unlink(full)
    scratch = _overlay_work(work_dir)
    try:  # the usual case: overlay left work/ (mode 000), holding incompat/volatile/dirty after a volatile mount
        volatile = scratch / "work" / "incompat" / "volatile"
        if os.path.lexists(volatile):
            os.unlink(volatile / "dirty")
            os.rmdir(volatile)
            os.rmdir(volatile.parent)
        os.rmdir(scratch / "work")
        os.rmdir(scratch)
        return
    except OSError:
        pass
    for dirpath, dirs, _files in os.walk(scratch):
        for name in dirs:  # overlay leaves work/ with mode 000
            os.chmod(os.path.join(dirpath, name), 0o700)
    shutil.rmtree(scratch, ignore_errors=True)
