"""engine/launchers.py: a job's process over its snapshot (overlay or copy), wait, cancel."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil
import pytest

from azureml_local.engine import workdir
from azureml_local.engine.job import ScriptJob
from azureml_local.engine.launchers import LocalProcessLauncher

overlay_only = pytest.mark.skipif(not workdir.overlay_available(Path("/tmp")),
                                  reason="overlay mounts in a user namespace are not available here")


def _snapshot(root: Path, script: str) -> Path:
    snap = root / "snapshot"
    (snap / "pkg").mkdir(parents=True)
    (snap / "outputs").mkdir()
    (snap / "train.py").write_text(script)
    (snap / "data.txt").write_text("original")
    (snap / "pkg" / "gone.txt").write_text("delete me")
    (snap / "outputs" / "from_source.txt").write_text("shipped with the source")
    return snap


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(tmp_path: Path, script: str, name: str = "wd") -> tuple[int | None, Path, Path, str]:
    snap = tmp_path / "snapshot" if (tmp_path / "snapshot").is_dir() else _snapshot(tmp_path, script)
    job = ScriptJob("run-1", "exp", snapshot_dir=snap, script="train.py", python=sys.executable)
    work_dir = tmp_path / "runs" / name
    launcher = LocalProcessLauncher()
    log_file = tmp_path / f"{name}.log"
    with open(log_file, "ab") as log:
        launcher.prepare(job, work_dir, log)
        (work_dir / "outputs").mkdir(exist_ok=True)  # as the engine does before the binding hooks
        handle = launcher.start(job, work_dir, log)
        code = handle.wait(30)
    return code, snap, work_dir, log_file.read_text()


WRITER = """import os, sys
assert open('data.txt').read() == 'original', 'a previous run changed what this one sees'
assert os.path.exists('pkg/gone.txt')
assert not os.path.exists('new.txt')
print('cwd', os.getcwd(), 'path0', sys.path[0], flush=True)
open('data.txt', 'a').write(' + changed')
os.remove('pkg/gone.txt')
open('new.txt', 'w').write('new')
open(os.path.join(os.getcwd(), 'outputs', 'result.txt'), 'w').write('result')
"""


@overlay_only
def test_overlay_run_writes_only_its_own_folder(tmp_path: Path) -> None:
    code, snap, work_dir, log = _run(tmp_path, WRITER)
    assert code == 0, log
    # the script saw its folder at the working directory's own path (absolute paths stay valid)
    assert f"cwd {work_dir} path0 {work_dir}" in log
    # the snapshot is untouched
    assert _files(snap) == {"data.txt": "original", "pkg/gone.txt": "delete me", "train.py": WRITER,
                            "outputs/from_source.txt": "shipped with the source"}
    # the run's folder holds exactly what it wrote (no copy of the sources, no whiteout for the deletion),
    # and its outputs folder as the script left it (including what came with the source)
    assert _files(work_dir) == {"data.txt": "original + changed", "new.txt": "new",
                                "outputs/result.txt": "result",
                                "outputs/from_source.txt": "shipped with the source"}
    assert not (work_dir / "pkg" / "gone.txt").exists()
    assert [p.name for p in work_dir.parent.iterdir()] == ["wd"]  # the overlay's scratch folder is gone


@overlay_only
def test_a_job_unmounted_after_its_upload_keeps_its_overlay_until_released(tmp_path: Path) -> None:
    """``unmount_after_upload``: the exit leaves the overlay's clean-up to ``release()`` (the deferred upload),
    which runs it once; the folder then holds exactly what the script wrote, as with the clean-up at exit."""
    snap = _snapshot(tmp_path, WRITER)
    job = ScriptJob("run-1", "exp", snapshot_dir=snap, script="train.py", python=sys.executable,
                    defer_completion=True, unmount_after_upload=True)
    work_dir = tmp_path / "runs" / "wd"
    launcher = LocalProcessLauncher()
    with open(tmp_path / "wd.log", "ab") as log:
        launcher.prepare(job, work_dir, log)
        (work_dir / "outputs").mkdir(exist_ok=True)
        handle = launcher.start(job, work_dir, log)
        assert handle.wait(30) == 0, (tmp_path / "wd.log").read_text()
    scratch = work_dir.parent / ".wd-overlay"
    assert scratch.exists()  # not cleaned at the exit
    handle.release()
    handle.release()  # idempotent
    assert not scratch.exists() and not (work_dir / "pkg" / "gone.txt").exists()
    assert _files(work_dir) == {"data.txt": "original + changed", "new.txt": "new",
                                "outputs/result.txt": "result",
                                "outputs/from_source.txt": "shipped with the source"}


@overlay_only
def test_a_later_run_sees_the_snapshot_not_an_earlier_runs_changes(tmp_path: Path) -> None:
    first = _run(tmp_path, WRITER, "first")
    second = _run(tmp_path, WRITER, "second")  # WRITER asserts it sees the original files
    assert first[0] == 0 and second[0] == 0, second[3]


def test_copy_fallback_writes_a_private_copy_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZUREML_LOCAL_WORKDIR", "copy")
    code, snap, work_dir, log = _run(tmp_path, WRITER)
    assert code == 0, log
    assert "copying the snapshot" in log.splitlines()[0]
    assert _files(snap)["data.txt"] == "original" and (snap / "pkg" / "gone.txt").exists()
    assert _files(work_dir)["data.txt"] == "original + changed"


def test_wait_times_out_and_cancel_stops_the_whole_process_group(tmp_path: Path) -> None:
    script = ("import subprocess, sys, time\n"
              "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
              "open('child.pid.tmp', 'w').write(str(child.pid))\n"
              "import os; os.replace('child.pid.tmp', 'child.pid')\n"  # appears whole: no half-written read
              "time.sleep(60)\n")
    snap = _snapshot(tmp_path, script)
    job = ScriptJob("run-1", "exp", snapshot_dir=snap, script="train.py")
    work_dir = tmp_path / "runs" / "wd"
    launcher = LocalProcessLauncher()
    with open(tmp_path / "log", "ab") as log:
        launcher.prepare(job, work_dir, log)
        handle = launcher.start(job, work_dir, log)
        try:
            deadline = time.time() + 20
            while not (work_dir / "child.pid").is_file() and time.time() < deadline:
                assert handle.wait(0.05) is None
            child = int((work_dir / "child.pid").read_text())
            assert psutil.pid_exists(child)
        finally:
            started = time.monotonic()
            handle.cancel()
        assert time.monotonic() - started < 5  # SIGTERM was enough
    assert not psutil.pid_exists(handle.pid)
    deadline = time.time() + 5
    while psutil.pid_exists(child) and psutil.Process(child).status() != psutil.STATUS_ZOMBIE:
        assert time.time() < deadline, "the script's child survived the cancel"
        time.sleep(0.05)
    assert handle.wait(0) is not None  # ended: wait answers at once


def test_shell_command_runs_in_the_working_directory(tmp_path: Path) -> None:
    snap = _snapshot(tmp_path, "")
    job = ScriptJob("run-1", "exp", snapshot_dir=snap, command="cat data.txt > copied.txt && pwd")
    work_dir = tmp_path / "runs" / "wd"
    launcher = LocalProcessLauncher()
    with open(tmp_path / "log", "ab") as log:
        launcher.prepare(job, work_dir, log)
        assert launcher.start(job, work_dir, log).wait(30) == 0
    assert (work_dir / "copied.txt").read_text() == "original"
    assert str(work_dir) in (tmp_path / "log").read_text()


def test_paths_overlay_options_cannot_carry_use_the_copy(tmp_path: Path) -> None:
    snap = _snapshot(tmp_path / "a,b", "")
    assert not workdir.can_overlay(snap, tmp_path / "runs" / "wd")
