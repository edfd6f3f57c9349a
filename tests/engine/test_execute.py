"""engine/execute.py through the real runner: how a killed process's run ends."""
from __future__ import annotations

import time
from pathlib import Path

from azureml.core import Experiment, ScriptRunConfig


def test_cancel_after_the_process_started_ends_canceled_not_failed(ws, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    run = Experiment(ws, "cancel-late").submit(ScriptRunConfig(str(src), "train.py"))
    deadline = time.time() + 20
    while time.time() < deadline:  # Run.cancel kills the process itself once its pid is recorded
        row = ws._store.query_one("SELECT status, pid FROM runs WHERE run_id=?", (run.id,))
        if row["status"] == "Running" and row["pid"]:
            break
        time.sleep(0.02)
    run.cancel()
    details = run.wait_for_completion(raise_on_error=False)
    assert details["status"] == "Canceled"
    assert "error" not in details


def test_a_script_that_exits_0_on_sigterm_still_ends_canceled(ws, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text("import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n"
                                  "print('started', flush=True)\ntime.sleep(60)\n")
    run = Experiment(ws, "cancel-graceful").submit(ScriptRunConfig(str(src), "train.py"))
    deadline = time.time() + 20
    while time.time() < deadline:
        row = ws._store.query_one("SELECT status, pid FROM runs WHERE run_id=?", (run.id,))
        if row["status"] == "Running" and row["pid"]:
            break
        time.sleep(0.02)
    time.sleep(0.3)  # let the script install its handler
    run.cancel()
    assert run.wait_for_completion(raise_on_error=False)["status"] == "Canceled"


def test_cancel_requested_before_the_engine_started_ends_canceled(ws) -> None:
    """Run.cancel between the runner's claim and the engine's start leaves CancelRequested: the engine ends it."""
    from azureml_local.engine.execute import execute_script_job
    from azureml_local.engine.job import ScriptJob
    from azureml_local.store.runs import new_run_id

    run_id = ws._context.runs.create_run("claimed", new_run_id(), status="CancelRequested")
    assert execute_script_job(ws, ScriptJob(run_id=run_id, experiment_name="claimed", script="train.py")) == "Canceled"
    row = ws._context.runs.run(run_id)
    assert row["status"] == "Canceled" and row["end_time_utc"]


def test_a_run_canceled_while_its_script_exits_cleanly_ends_canceled(ws, tmp_path: Path) -> None:
    """The cancel lands after the process's last status poll: the clean exit must not finalize the run."""
    from azureml_local.engine.execute import execute_script_job
    from azureml_local.engine.job import ScriptJob
    from azureml_local.store.runs import new_run_id

    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(
        "import os, sys\nfrom pathlib import Path\nfrom azureml_local.context import WorkspaceContext\n"
        "WorkspaceContext.for_folder(Path(sys.argv[1])).runs.set_status(os.environ['AZUREML_RUN_ID'], "
        "'CancelRequested')\n")
    run_id = ws._context.runs.create_run("cancel-at-exit", new_run_id(), status="Queued")
    job = ScriptJob(run_id=run_id, experiment_name="cancel-at-exit", snapshot_dir=src, script="train.py",
                    arguments=[str(ws._local_folder)])
    assert execute_script_job(ws, job) == "Canceled"
    row = ws._context.runs.run(run_id)
    assert row["status"] == "Canceled" and row["end_time_utc"] and not row["error"]


def test_a_script_changing_its_own_folder_changes_neither_the_snapshot_nor_a_later_run(ws, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "data.txt").write_text("original")
    (src / "pkg" / "gone.txt").write_text("delete me")
    (src / "train.py").write_text(
        "import os\n"
        "assert open('data.txt').read() == 'original', 'sees an earlier run\\'s change'\n"
        "assert os.path.exists('pkg/gone.txt') and not os.path.exists('new.txt')\n"
        "open('data.txt', 'a').write(' + changed')\nos.remove('pkg/gone.txt')\nopen('new.txt', 'w').write('new')\n"
        "open('outputs/result.txt', 'w').write('result')\n")
    experiment = Experiment(ws, "writes-own-folder")
    runs = [experiment.submit(ScriptRunConfig(str(src), "train.py")) for _ in range(2)]
    for run in runs:
        assert run.wait_for_completion(raise_on_error=False)["status"] == "Completed", run.get_details()
        assert run.get_file_names().count("outputs/result.txt") == 1
    snapshot = ws._local_folder / "snapshots" / runs[0].get_properties()["ContentSnapshotId"]
    assert (snapshot / "data.txt").read_text() == "original" and (snapshot / "pkg" / "gone.txt").is_file()
    assert not (snapshot / "new.txt").exists()
    assert (src / "data.txt").read_text() == "original"


def test_run_folders_are_made_inside_the_workspace_folder_never_the_folder_itself(tmp_path: Path) -> None:
    import os
    from types import SimpleNamespace

    import pytest

    from azureml_local.engine.execute import make_log_files, make_run_dirs

    ws = SimpleNamespace(_local_folder=tmp_path / "ws")  # making folders needs only the workspace's folder
    ws._local_folder.mkdir()
    logs = make_log_files(ws, "r1")
    assert all(path.is_file() for path in logs.values()) and os.path.samefile(*logs.values())
    make_run_dirs(ws, ws._local_folder / "runs" / "r1" / "wd" / "outputs")  # again and deeper: idempotent
    assert (ws._local_folder / "runs" / "r1" / "wd" / "outputs").is_dir()
    for not_inside in (tmp_path / "elsewhere", ws._local_folder):
        with pytest.raises(ValueError, match="is not a folder inside the workspace folder"):
            make_run_dirs(ws, not_inside)
    os.rename(ws._local_folder, tmp_path / "moved")  # deleted or moved while a service used it
    with pytest.raises(FileNotFoundError, match="The workspace folder .* is gone"):
        make_log_files(ws, "r2")
    assert not ws._local_folder.exists() and not (tmp_path / "elsewhere").exists()
