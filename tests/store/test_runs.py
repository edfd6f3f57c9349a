"""The SQLite RunStore under concurrent processes: no lost writes, unique run numbers.

The backend-neutral semantics are in ``test_run_store_contract.py``."""
from __future__ import annotations

import os
import subprocess
import sys

from azureml_local.store.runs import new_run_id


def test_concurrent_processes_lose_nothing(ws) -> None:
    run_id = ws._context.runs.create_run("exp", new_run_id(), status="Running", start=True)
    code = ("import sys\nfrom azureml.core import Workspace, Experiment, Run\n"
            "ws = Workspace.from_config()\n"
            "run = Run.get(ws, sys.argv[1])\n"
            "exp = Experiment(ws, 'exp')\n"
            "for i in range(100):\n"
            "    run.log('m', i)\n"
            "    run.tag(f't{sys.argv[2]}_{i}', i)\n"
            "for i in range(5):\n"
            "    exp.start_logging(snapshot_directory=None).complete()\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, run_id, str(n)], env=os.environ) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    from azureml.core import Run

    run = Run.get(ws, run_id)
    assert len(run.get_metrics()["m"]) == 400
    assert len(run.get_tags()) == 400
    numbers = [r["run_number"] for r in ws._context.runs.list_runs()]
    assert sorted(numbers) == list(range(1, 22))  # unique run numbers, none lost
