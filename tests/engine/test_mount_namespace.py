"""engine/mount_namespace.py: the service's private namespace mounts each run's overlay itself.

Entering a namespace cannot be undone, so each case runs in a fresh interpreter (a real
subprocess), as the workspace service does at its start.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from azureml_local.engine import workdir

overlay_only = pytest.mark.skipif(not workdir.overlay_available(Path("/tmp")),
                                  reason="overlay mounts in a user namespace are not available here")

SCRIPT = """import os
assert open('data.txt').read() == 'original'
open('data.txt', 'a').write(' + changed')
os.remove('gone.txt')
open(os.path.join('outputs', 'result.txt'), 'w').write('result')
"""

DRIVER = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    from azureml_local.engine import mount_namespace, workdir
    from azureml_local.engine.job import ScriptJob
    from azureml_local.engine.launchers import LocalProcessLauncher

    entered = mount_namespace.enter_private_namespace()
    if os.environ.get("DRIVER_PLAIN_MOUNT"):  # as on kernels before 5.10, which refuse "volatile"
        mount_namespace._state["volatile"] = False
    snap, work_dir = Path(sys.argv[1]), Path(sys.argv[2])
    work_dir.parent.mkdir(parents=True)
    job = ScriptJob("run-1", "exp", snapshot_dir=snap, script="train.py", python=sys.executable)
    launcher = LocalProcessLauncher()
    with open(work_dir.parent / "log.txt", "ab") as log:
        launcher.prepare(job, work_dir, log)
        (work_dir / "outputs").mkdir(exist_ok=True)
        handle = launcher.start(job, work_dir, log)
        mounts = [line for line in open("/proc/self/mounts") if str(work_dir) in line]
        mounted_while_running = bool(mounts)
        options = {option for line in mounts for option in line.split()[3].split(",")}
        volatile = bool(options & {"volatile", "fsync=volatile"})  # newer kernels show "fsync=volatile"
        code = handle.wait(30)
    still_mounted = any(str(work_dir) in line for line in open("/proc/self/mounts"))
    print(json.dumps({"entered": entered, "active": mount_namespace.active(), "code": code,
                      "mounted_while_running": mounted_while_running, "still_mounted": still_mounted,
                      "volatile": volatile}))
""")


def _snapshot(root: Path) -> Path:
    snap = root / "snapshot"
    snap.mkdir()
    (snap / "train.py").write_text(SCRIPT)
    (snap / "data.txt").write_text("original")
    (snap / "gone.txt").write_text("delete me")
    return snap


def _drive(tmp_path: Path, **env: str) -> dict:
    snap, work_dir = _snapshot(tmp_path), tmp_path / "runs" / "r1" / "wd"
    done = subprocess.run([sys.executable, "-c", DRIVER, str(snap), str(work_dir)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


@overlay_only
def test_the_service_namespace_mounts_the_overlay_without_a_process_chain(tmp_path):
    result = _drive(tmp_path)
    assert result == {"entered": True, "active": True, "code": 0, "mounted_while_running": True,
                      "still_mounted": False, "volatile": _kernel_at_least(5, 10)}
    work_dir = tmp_path / "runs" / "r1" / "wd"
    assert _files(tmp_path / "snapshot") == {"train.py": SCRIPT, "data.txt": "original", "gone.txt": "delete me"}
    # outside, the run's folder holds exactly what the script wrote (no whiteout of gone.txt, no scratch)
    assert _files(work_dir) == {"data.txt": "original + changed", "outputs/result.txt": "result"}
    assert not (work_dir.parent / ".wd-overlay").exists()
    own = {line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()}
    assert str(work_dir) not in own  # the mount never reached the test's (the host's) namespace


@overlay_only
def test_without_volatile_overlays_the_run_sees_and_leaves_the_same_files(tmp_path):
    result = _drive(tmp_path, DRIVER_PLAIN_MOUNT="1")
    assert result["code"] == 0 and result["mounted_while_running"] and not result["volatile"]
    work_dir = tmp_path / "runs" / "r1" / "wd"
    assert _files(work_dir) == {"data.txt": "original + changed", "outputs/result.txt": "result"}
    assert not (work_dir.parent / ".wd-overlay").exists()


def _kernel_at_least(major: int, minor: int) -> bool:
    """Volatile overlays (no sync of the upper file system at unmount) came with Linux 5.10."""
    numbers = [int(part) for part in os.uname().release.split("-")[0].split(".")[:2]]
    return tuple(numbers) >= (major, minor)


@overlay_only
def test_switched_off_the_step_mounts_its_own_overlay_as_before(tmp_path):
    result = _drive(tmp_path, AZUREML_LOCAL_SERVICE_NAMESPACE="0")
    assert result["entered"] is False and result["active"] is False and result["code"] == 0
    assert result["mounted_while_running"] is False  # the step's own namespace holds the mount
    assert _files(tmp_path / "runs" / "r1" / "wd") == {"data.txt": "original + changed",
                                                       "outputs/result.txt": "result"}


def test_entering_refuses_once_threads_run():
    code = textwrap.dedent("""
        import threading, time
        from azureml_local.engine import mount_namespace
        threading.Thread(target=time.sleep, args=(1,), daemon=True).start()
        print(mount_namespace.enter_private_namespace(), mount_namespace.active())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.stdout.split() == ["False", "False"], done.stderr


LINGERING = """import subprocess, sys
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(1)'], start_new_session=True)  # cwd: the overlay
open('outputs/result.txt', 'w').write('result')
"""


@overlay_only
def test_a_process_left_in_the_working_directory_does_not_block_the_unmount(tmp_path):
    """A busy mount is detached lazily: the run still ends at once and its folder is clean outside."""
    snap, work_dir = _snapshot(tmp_path), tmp_path / "runs" / "r1" / "wd"
    (snap / "train.py").write_text(LINGERING)
    done = subprocess.run([sys.executable, "-c", DRIVER, str(snap), str(work_dir)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0 and result["still_mounted"] is False
    assert _files(work_dir) == {"outputs/result.txt": "result"}
