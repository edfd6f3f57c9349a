"""200 runs submitted from 8 processes at once: exactly 200 runs, each executed exactly once.

Real processes (8 submitters, the one workspace service they share, one process per run). Each run
appends its id to one file (O_APPEND: one short write is atomic), so a run executed twice shows up
twice. ``AZUREML_LOCAL_FAULT_RUNS`` lowers the count for a quick local try (default 200).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from azureml_local import status

RUNS = int(os.environ.get("AZUREML_LOCAL_FAULT_RUNS", "200"))
PROCESSES = 8

SUBMITTER = textwrap.dedent("""
    import sys
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    ws = Workspace.from_config(sys.argv[1])
    experiment = Experiment(ws, "burst")
    for _ in range(int(sys.argv[3])):
        config = ScriptRunConfig(sys.argv[2], "mark.py", compute_target="local")
        config.run_config.environment.python.user_managed_dependencies = True
        experiment.submit(config)
""")


def test_200_runs_from_8_processes_each_execute_once(ws, config_json: Path, tmp_path: Path) -> None:
    marks = tmp_path / "marks.txt"
    src = tmp_path / "src"
    src.mkdir()
    (src / "mark.py").write_text(
        "import os\nfrom azureml.core import Run\n"
        f"fd = os.open({str(marks)!r}, os.O_WRONLY | os.O_APPEND | os.O_CREAT)\n"
        "os.write(fd, (Run.get_context().id + '\\n').encode())\nos.close(fd)\n")
    per_process = [RUNS // PROCESSES + (1 if i < RUNS % PROCESSES else 0) for i in range(PROCESSES)]
    submitters = [subprocess.Popen([sys.executable, "-c", SUBMITTER, str(config_json), str(src), str(count)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                  for count in per_process]
    for proc in submitters:
        output, _ = proc.communicate(timeout=900)
        assert proc.returncode == 0, output

    runs = ws._context.runs
    deadline = time.monotonic() + 1200
    rows = runs.list_runs()
    while any(status.is_active(r["status"]) for r in rows) and time.monotonic() < deadline:
        time.sleep(1)
        rows = runs.list_runs()
    assert len(rows) == RUNS
    assert [r["status"] for r in rows] == ["Completed"] * RUNS, {r["status"] for r in rows}
    executed = marks.read_text().split()
    assert len(executed) == RUNS and set(executed) == {r["run_id"] for r in rows}
    assert ws._context.db.query_one("PRAGMA integrity_check")[0] == "ok"
