"""When a step's overlay working directory is unmounted (service namespace): after its outputs upload
unless a bound output folder lies inside it, where consumers read it in place and it is unmounted at exit.

Either way, once the pipeline has ended nothing stays mounted in the service and each step's folder
holds exactly what its script wrote. The next steps' overlays are mounted ahead (pipeline/execution/ahead.py)
unless an output folder lies inside the working directory; one whose step never starts is unmounted.
"""
from __future__ import annotations

import os
from pathlib import Path

from azureml_local.engine import workdir
from azureml_local.engine.snapshot import snapshot
from azureml_local.pipeline.submission import start_pipeline_run

from pipeline_defs import consume, definition, out, step

import pytest

overlay_only = pytest.mark.skipif(not workdir.overlay_available(Path("/tmp")),
                                  reason="overlay mounts in a user namespace are not available here")

PRODUCE = ("import os, sys\nos.remove('gone.txt')\nopen(os.path.join(sys.argv[1], 'v.txt'), 'w').write('in wd')\n"
           "open(os.path.join('outputs', 'x.txt'), 'w').write('x')\n")
CONSUME = ("import os, sys\nprint('inputs', sorted(os.listdir(sys.argv[1])))\n"
           "open(os.path.join(sys.argv[2], 'w.txt'), 'w').write(open(os.path.join(sys.argv[1], 'v.txt')).read())\n")


def _service_mounts(ws, run_id: str) -> list[str]:
    """The overlays mounted in the mount namespace of the service that ran ``run_id``."""
    pid = ws._context.runs.run(run_id)["runner_pid"]
    return [line.split()[1] for line in Path(f"/proc/{pid}/mounts").read_text().splitlines()
            if line.startswith("overlay ") and str(ws._local_folder) in line]


def _whiteouts(folder: Path) -> list[str]:
    found = []
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            st = os.lstat(os.path.join(dirpath, name))
            if not (st.st_mode & 0o170000 == 0o100000):  # anything but a regular file: a whiteout
                found.append(os.path.join(dirpath, name))
    return found


@overlay_only
def test_outputs_inside_and_outside_the_working_directory(runner_ws, src):
    (src / "p.py").write_text(PRODUCE)
    (src / "c.py").write_text(CONSUME)
    (src / "gone.txt").write_text("deleted by the producer")
    inside = dict(out("o"), path_on_compute="results")  # a folder of the producer's working directory
    d = definition(
        step("n1", "produce", "p.py", src, [{"output": "o"}], outputs=[inside]),
        step("n2", "consume", "c.py", src, [{"input": "i"}, {"output": "o2"}],
             inputs=[consume("i", "n1", "o")], outputs=[out("o2", "pipeline_data")]))
    run = start_pipeline_run(runner_ws, "exp", d, {}, False, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    producer, consumer = run.find_step_run("produce")[0], run.find_step_run("consume")[0]
    assert "inputs ['v.txt']" in consumer.get_details_with_logs()["logFiles"]["user_logs/std_log.txt"]
    assert sorted(producer.get_file_names()) == ["azureml-logs/70_driver_log.txt", "outputs/x.txt",
                                                 "user_logs/std_log.txt"]
    assert _service_mounts(runner_ws, run.id) == []
    for step_run in (producer, consumer):
        wd = runner_ws._local_folder / "runs" / step_run.id / "wd"
        assert _whiteouts(wd) == [] and not (wd.parent / ".wd-overlay").exists()
    wd = runner_ws._local_folder / "runs" / producer.id / "wd"
    assert sorted(p.relative_to(wd).as_posix() for p in wd.rglob("*") if p.is_file()) == \
        ["outputs/x.txt", "results/v.txt"]


def _snapshotted(ws, *steps: dict) -> list[dict]:
    """The steps with their snapshot taken at submit, as compiling an SDK Pipeline does."""
    for s in steps:
        s["snapshot_id"], snapshot_dir = snapshot(ws, s["source_directory"])
        s["snapshot_dir"] = str(snapshot_dir)
    return list(steps)


def _mounted_step_dirs(ws, pipeline_run_id: str) -> set[str]:
    """Run ids whose working directory is mounted in the service, read while the pipeline runs."""
    runs = str(ws._local_folder / "runs") + "/"
    return {m[len(runs):].split("/")[0] for m in _service_mounts(ws, pipeline_run_id) if m.startswith(runs)}


@overlay_only
def test_an_overlay_mounted_ahead_for_a_step_that_never_starts_is_unmounted(runner_ws, src):
    """While the first step runs, the second step's overlay is mounted ahead (pipeline/execution/ahead.py);
    the first fails, so the second never starts: its mount and folders are gone when the pipeline ends."""
    import time

    from azureml_local.exceptions import ActivityFailedException

    (src / "fail.py").write_text("import time\ntime.sleep(3)\nraise SystemExit(3)\n")
    (src / "ok.py").write_text("print('never')\n")
    d = definition(*_snapshotted(runner_ws, step("n1", "first", "fail.py", src),
                                 step("n2", "second", "ok.py", src, run_after=["n1"])))
    run = start_pipeline_run(runner_ws, "exp", d, {}, True, False)
    seen: set[str] = set()
    deadline = time.monotonic() + 60
    while len(seen) < 2 and time.monotonic() < deadline and run.get_status() in ("NotStarted", "Queued", "Running"):
        if runner_ws._context.runs.run(run.id).get("runner_pid"):
            seen |= _mounted_step_dirs(runner_ws, run.id)
        time.sleep(0.05)
    assert len(seen) == 2  # the running first step's and the second's, mounted ahead
    with pytest.raises(ActivityFailedException):
        run.wait_for_completion(show_output=False)
    first = run.find_step_run("first")[0]
    assert [c.id for c in run.get_children()] == [first.id]
    assert _service_mounts(runner_ws, run.id) == []
    assert {p.name for p in (runner_ws._local_folder / "runs").iterdir()} - {run.id} == {first.id}


@overlay_only
def test_steps_mounted_ahead_keep_the_snapshots_outputs_and_write_through_the_overlay(runner_ws, src):
    (src / "outputs").mkdir()
    (src / "outputs" / "seed.txt").write_text("from the source folder")
    (src / "gone.txt").write_text("deleted by each step")
    (src / "w.py").write_text("import os\nos.remove('gone.txt')\nopen(os.path.join('outputs', 'x.txt'), 'w').write('x')\n")
    d = definition(*_snapshotted(runner_ws, step("n1", "a", "w.py", src), step("n2", "b", "w.py", src, run_after=["n1"]),
                                 step("n3", "c", "w.py", src, run_after=["n2"])))
    run = start_pipeline_run(runner_ws, "exp", d, {}, True, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    for child in run.get_children():
        assert sorted(n for n in child.get_file_names() if n.startswith("outputs/")) == ["outputs/seed.txt",
                                                                                         "outputs/x.txt"]
        wd = runner_ws._local_folder / "runs" / child.id / "wd"
        assert sorted(p.relative_to(wd).as_posix() for p in wd.rglob("*") if p.is_file()) == \
            ["outputs/seed.txt", "outputs/x.txt"]
        assert _whiteouts(wd) == [] and not (wd.parent / ".wd-overlay").exists()
    assert (src / "gone.txt").exists() and _service_mounts(runner_ws, run.id) == []


@overlay_only
def test_an_output_folder_inside_the_working_directory_is_merged_with_the_snapshots(runner_ws, src):
    """Such a step is not mounted ahead: its output folder is made in the upper layer and filled with the
    snapshot's files of that folder before the mount, so its consumer reads both."""
    (src / "results").mkdir()
    (src / "results" / "seed.txt").write_text("from the source folder")
    (src / "p.py").write_text("import os, sys\nopen(os.path.join(sys.argv[1], 'v.txt'), 'w').write('new')\n")
    (src / "c.py").write_text("import os, sys\nprint('inputs', sorted(os.listdir(sys.argv[1])))\n")
    inside = dict(out("o"), path_on_compute="results")
    d = definition(*_snapshotted(
        runner_ws, step("n0", "first", "c.py", src, ["."]),
        step("n1", "produce", "p.py", src, [{"output": "o"}], outputs=[inside], run_after=["n0"]),
        step("n2", "consume", "c.py", src, [{"input": "i"}], inputs=[consume("i", "n1", "o")])))
    run = start_pipeline_run(runner_ws, "exp", d, {}, True, False)
    assert run.wait_for_completion(show_output=False) == "Finished"
    consumer = run.find_step_run("consume")[0]
    assert "inputs ['seed.txt', 'v.txt']" in consumer.get_details_with_logs()["logFiles"]["user_logs/std_log.txt"]
    assert _service_mounts(runner_ws, run.id) == []
