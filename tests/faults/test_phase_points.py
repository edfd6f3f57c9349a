"""The workspace service SIGKILLed exactly at each phase of a run and of a pipeline (no timing guesses).

The service is started with ``AZUREML_LOCAL_FAULT_PAUSE=<point>`` (``azureml_local.faults``): it
writes the marker file and waits at that point, and the test SIGKILLs it there. Then, with the
variable gone: the run ends Failed with the reason, or Completed when it was still queued (the
waiting client wakes a new service); a client waiting on it never hangs; nothing
stays active, the database passes ``PRAGMA integrity_check``, every file the killed run lists has
its full content, and the next submit starts a new service by itself and completes. For a
pipeline: a step that finished publishing before the kill is reused; a step killed while
publishing its outputs is re-run (never reused with partial outputs) and its outputs are whole.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from azureml_local import status
from azureml_local.faults import MARKER_ENV, PAUSE_ENV
from azureml_local.service.control import service_processes

PARTS = 4
PART_SIZE = 512 * 1024
WRITE_PARTS = f"""
import os, sys
folder = sys.argv[1] if len(sys.argv) > 1 else "outputs"
os.makedirs(folder, exist_ok=True)
for i in range({PARTS}):
    with open(os.path.join(folder, f"part{{i}}.bin"), "wb") as fh:
        fh.write(bytes([i + 1]) * {PART_SIZE})
print("wrote", folder)
"""
CHECK_PARTS = f"""
import os, sys
for i in range({PARTS}):
    data = open(os.path.join(sys.argv[1], f"part{{i}}.bin"), "rb").read()
    assert data == bytes([i + 1]) * {PART_SIZE}, f"part{{i}}.bin is {{len(data)}} bytes, not whole"
print("inputs whole")
"""
REASON = "stopped unexpectedly"


def part(i: int) -> bytes:
    return bytes([i + 1]) * PART_SIZE


def kill_at(ws, monkeypatch: pytest.MonkeyPatch, marker: Path, submit):
    """Submit with the service pausing at the point, SIGKILL it there; return what ``submit`` returned."""
    assert not service_processes(ws._local_folder)  # the service starts with the pause variable
    run = submit()
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert time.monotonic() < deadline, f"the service never reached {os.environ[PAUSE_ENV]}"
        time.sleep(0.02)
    pid = int(marker.read_text())
    assert pid in [p.pid for p in service_processes(ws._local_folder)]  # the service itself paused there
    os.kill(pid, signal.SIGKILL)
    monkeypatch.delenv(PAUSE_ENV)  # the next service runs normally
    monkeypatch.delenv(MARKER_ENV)
    return run


def assert_consistent(ws) -> None:
    rows = ws._context.runs.list_runs()
    assert not [(r["run_id"], r["status"]) for r in rows if status.is_active(r["status"])]
    assert ws._context.db.query_one("PRAGMA integrity_check")[0] == "ok"


def assert_listed_files_whole(run, tmp_path: Path) -> None:
    """Every output file the run lists downloads whole (nothing half-published)."""
    for name in run.get_file_names():
        if name.startswith("outputs/"):
            target = tmp_path / "check" / run.id / name
            run.download_file(name, str(target))
            assert target.read_bytes() == part(int(name[len("outputs/part"):-len(".bin")])), name


@pytest.fixture
def paused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Set the pause point (the test's parameter) for the service the next submit starts; the marker path."""
    def arm(point: str) -> Path:
        marker = tmp_path / "paused"
        monkeypatch.setenv(PAUSE_ENV, point)
        monkeypatch.setenv(MARKER_ENV, str(marker))
        return marker
    return arm


def script_run(ws, src: Path):
    from azureml.core import Experiment, ScriptRunConfig

    config = ScriptRunConfig(str(src), "write.py", compute_target="local")
    config.run_config.environment.python.user_managed_dependencies = True
    return Experiment(ws, "phase-points").submit(config)


# point -> the killed run's final status (a run still queued is executed by the next service)
RUN_POINTS = {"run.queued": "Completed", "run.claimed": "Failed", "run.snapshot": "Failed", "run.upload": "Failed",
              "run.finalize": "Failed"}


@pytest.mark.parametrize("point", list(RUN_POINTS))
def test_service_killed_at_a_phase_of_a_run(ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paused,
                                            point: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "write.py").write_text(WRITE_PARTS)
    run = kill_at(ws, monkeypatch, paused(point), lambda: script_run(ws, src))

    details = run.wait_for_completion(raise_on_error=False)  # must not hang
    assert details["status"] == RUN_POINTS[point], details
    if details["status"] == "Failed":
        assert REASON in details["error"]["error"]["message"], details
    assert_consistent(ws)
    listed = [n for n in run.get_file_names() if n.startswith("outputs/")]
    assert len(listed) == (0 if point in ("run.claimed", "run.snapshot", "run.upload") else PARTS)  # all or none
    assert_listed_files_whole(run, tmp_path)

    again = script_run(ws, src)  # a new service starts by itself
    assert again.wait_for_completion(raise_on_error=False)["status"] == "Completed"
    assert sorted(n for n in again.get_file_names() if n.startswith("outputs/")) == [
        f"outputs/part{i}.bin" for i in range(PARTS)]
    assert_listed_files_whole(again, tmp_path)


def pipeline(ws, src: Path):
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import PythonScriptStep

    src.mkdir(exist_ok=True)
    (src / "write.py").write_text(WRITE_PARTS)
    (src / "check.py").write_text(CHECK_PARTS)
    data = PipelineData("data", datastore=ws.get_default_datastore())
    prep = PythonScriptStep("write.py", name="prep", source_directory=str(src), compute_target="local",
                            arguments=[data], outputs=[data], allow_reuse=True)
    check = PythonScriptStep("check.py", name="check", source_directory=str(src), compute_target="local",
                             arguments=[data], inputs=[data], allow_reuse=False)
    return Pipeline(ws, steps=[prep, check])


# point -> (the killed pipeline's final status, its prep step's status (None: never started), prep reusable).
# A step is Completed only once its outputs are in the datastore, and reusable only once its reuse entry
# is recorded after that: killed before, it is re-run by the next submit.
PIPELINE_POINTS = {
    "run.queued": ("Finished", "Completed", True),  # still queued: the next service runs it
    "run.claimed": ("Failed", None, False),
    "step.snapshot:prep": ("Failed", "Failed", False),
    "step.upload:prep": ("Failed", "Failed", False),  # its process ended, its outputs not uploaded
    "step.publish:prep": ("Failed", "Completed", False),  # outputs uploaded, reuse not recorded
    "pipeline.finalize": ("Failed", "Completed", True),  # every step published, the pipeline's status not written
}


@pytest.mark.parametrize("point", list(PIPELINE_POINTS))
def test_service_killed_at_a_phase_of_a_pipeline(ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paused,
                                                 point: str) -> None:
    from azureml.core import Experiment

    final, prep_status, reusable = PIPELINE_POINTS[point]
    experiment = Experiment(ws, "phase-points")
    first = kill_at(ws, monkeypatch, paused(point), lambda: experiment.submit(pipeline(ws, tmp_path / "src")))

    assert first.wait_for_completion(show_output=False, raise_on_error=False) == final  # must not hang
    if final == "Failed":
        assert REASON in str(ws._context.runs.error(first.id)), ws._context.runs.error(first.id)
    assert_consistent(ws)
    prep_rows = [r for r in ws._context.runs.list_runs(root_run_id=first.id) if r["name"] == "prep"]
    assert [r["status"] for r in prep_rows] == ([prep_status] if prep_status else [])
    if prep_status == "Failed":
        assert REASON in str(ws._context.runs.error(prep_rows[0]["run_id"]))
    query = "SELECT 1 FROM reuse_entries WHERE step_run_id = ?"
    assert any(ws._context.db.query_one(query, (r["run_id"],)) for r in prep_rows) == reusable

    second = experiment.submit(pipeline(ws, tmp_path / "src"))  # a new service starts by itself
    assert second.wait_for_completion(show_output=False) == "Finished"  # check.py found prep's outputs whole
    prep = second.find_step_run("prep")[0]
    assert (bool(prep_rows) and prep.id == prep_rows[0]["run_id"]) == reusable  # reused, or re-run
