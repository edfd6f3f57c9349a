"""Run history rows: transitions, numbering, and no lost writes under concurrent processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from azureml.exceptions import ServiceException, UserErrorException
from azureml_local.runs import records


def test_status_transitions_and_times(ws) -> None:
    run_id = records.create_run(ws, "exp", status="Queued")
    row = records.get_run_row(ws, run_id)
    assert row["status"] == "Queued" and row["start_time_utc"] is None and row["run_number"] == 1
    assert records.set_status(ws, run_id, "Running", start=True)
    assert not records.set_status(ws, run_id, "Running", only_from=("Queued",))  # compare-and-set
    assert records.set_status(ws, run_id, "Failed", error=records.error_dict("bad"))
    row = records.get_run_row(ws, run_id)
    assert row["end_time_utc"] >= row["start_time_utc"]
    assert json.loads(row["error"])["error"] == {"code": "UserError", "message": "bad"}
    with pytest.raises(UserErrorException, match="Unknown run status"):
        records.set_status(ws, run_id, "Weird")


def test_duplicate_and_unknown_ids(ws) -> None:
    run_id = records.create_run(ws, "exp", "fixed-id")
    with pytest.raises(UserErrorException, match="already exists"):
        records.create_run(ws, "exp", run_id)
    with pytest.raises(ServiceException, match="was not found"):
        records.create_run(ws, "exp", parent_run_id="missing-parent")
    assert records.list_runs(ws) and len(records.list_runs(ws)) == 1


def test_concurrent_processes_lose_nothing(ws) -> None:
    run_id = records.create_run(ws, "exp", status="Running", start=True)
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
    numbers = [r["run_number"] for r in records.list_runs(ws)]
    assert sorted(numbers) == list(range(1, 22))  # unique run numbers, none lost


@pytest.mark.parametrize("status", ["Queued", "Finalizing", "CancelRequested"])
def test_delete_experiment_refuses_while_a_run_is_still_active(ws, status) -> None:
    run_id = records.create_run(ws, "busy", status=status)
    experiment_id = records.get_run_row(ws, run_id)["experiment_id"]
    with pytest.raises(UserErrorException, match="still active"):
        records.delete_experiment(ws, experiment_id)
    assert records.get_status(ws, run_id) == status
