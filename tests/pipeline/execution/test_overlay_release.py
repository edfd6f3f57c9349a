"""When a step's overlay working directory is unmounted (service namespace): after its outputs upload
unless a bound output folder lies inside it, where consumers read it in place and it is unmounted at exit.

Either way, once the pipeline has ended nothing stays mounted in the service and each step's folder
holds exactly what its script wrote.
"""
from __future__ import annotations

import os
from pathlib import Path

from azureml_local.engine import workdir
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
