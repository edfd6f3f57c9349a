"""The driver as the step runs it (``python -m azureml_local.pipeline.parallel.driver``), over a local folder.

Real processes: the driver and its spawned workers. No pipeline: a folder input needs no run context.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = "azureml_local.pipeline.parallel.driver"
SCRIPT = '''
import os, sys, time
from azureml_user.parallel_run import EntryScript

def init():
    with open("inits.txt", "a") as f:
        f.write(f"{os.getpid()} {sys.argv[1:]}\\n")
    EntryScript().logger.info("init() of %s", EntryScript().agent_name)

def run(mini_batch, mini_batch_context):
    out = []
    for path in mini_batch:
        name = os.path.basename(path)
        behaviour = open(path).read().strip()
        marker = name + ".tried"
        first = not os.path.exists(marker)
        open(marker, "a").close()
        if behaviour == "hang" or (behaviour == "hang-once" and first):
            time.sleep(600)
        if behaviour == "raise" or (behaviour == "raise-once" and first):
            raise ValueError("cannot score " + name)
        if behaviour == "wrong-type":
            return {"not": "a list"}
        if behaviour == "skip":
            continue
        print("scored", name)
        out.append(f"{name},{os.getpid()},{mini_batch_context.minibatch_index}")
    return out
'''
INIT_FAILS = "def init():\n    raise RuntimeError('no model here')\n\ndef run(mini_batch):\n    return mini_batch\n"


def _job(tmp_path: Path, behaviours: dict[str, str], *extra: str, script: str = SCRIPT) -> tuple[int, str, Path]:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    for name, behaviour in behaviours.items():
        (data / name).write_text(behaviour)
    (tmp_path / "score.py").write_text(script)
    args = ["--scoring_module_name", "score.py", "--mini_batch_size", "2", "--error_threshold", "0",
            "--output_action", "append_row", "--logging_level", "INFO", "--run_invocation_timeout", "5",
            "--run_max_try", "2", "--process_count_per_node", "2", "--output", str(tmp_path / "out"), *extra,
            "--model_name", "m1", "--input_fds_0", str(data)]
    proc = subprocess.run([sys.executable, "-m", DRIVER, *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    return proc.returncode, proc.stdout + proc.stderr, tmp_path


def _rows(tmp_path: Path, name: str = "parallel_run_step.txt") -> list[list[str]]:
    return sorted(line.split(",") for line in (tmp_path / "out" / name).read_text().splitlines())


def test_workers_start_once_and_stay_warm(tmp_path):
    code, log, root = _job(tmp_path, {f"f{i}.txt": "ok" for i in range(8)}, "--append_row_file_name", "res.txt")
    assert code == 0, log
    rows = _rows(root, "res.txt")
    assert [r[0] for r in rows] == [f"f{i}.txt" for i in range(8)]
    inits = (root / "inits.txt").read_text().splitlines()
    assert len(inits) == 2 and all(line.endswith("['--model_name', 'm1']") for line in inits)  # user args only
    assert {r[1] for r in rows} <= {line.split()[0] for line in inits}  # every run() in a warm worker
    assert sorted({r[2] for r in rows}) == ["0", "1", "2", "3"]  # mini_batch_context.minibatch_index
    assert "progress: 4/4 mini batches processed, 0 failed; 8 items succeeded, 0 failed" in log
    logs = root / "logs"
    assert (logs / "job_result.txt").read_text().startswith("The job succeeded")
    assert len(list(logs.glob("job_progress_overview.*.txt"))) == 1
    stdout = "".join(p.read_text() for p in (logs / "user" / "stdout" / "node0").glob("process*.stdout.txt"))
    assert stdout.count("scored") == 8
    entry_log = (logs / "user" / "entry_script_log" / "node0" / "process000.log.txt").read_text()
    assert "|ParallelRunStep|init()|INFO|init() of process000" in entry_log
    assert not list((root / "out").glob(".*partial"))


def test_a_hung_run_is_killed_and_retried(tmp_path):
    code, log, root = _job(tmp_path, {"a.txt": "hang-once", "b.txt": "ok", "c.txt": "ok"})
    assert code == 0, log
    assert [r[0] for r in _rows(root)] == ["a.txt", "b.txt", "c.txt"]
    assert "did not return within run_invocation_timeout=5 seconds; its process was killed" in log
    assert len((root / "inits.txt").read_text().splitlines()) == 3  # the new worker ran init() again
    errors = "".join(p.read_text() for p in (root / "logs" / "user" / "error").rglob("*.txt"))
    assert "mini batch 0, try 1: run() did not return within run_invocation_timeout=5 seconds" in errors


def test_a_run_that_always_hangs_fails_its_mini_batch_after_run_max_try(tmp_path):
    code, log, root = _job(tmp_path, {"a.txt": "hang", "b.txt": "ok", "c.txt": "ok"}, "--error_threshold", "2")
    assert code == 0, log  # 2 failed items (the mini batch of a.txt and b.txt) are within error_threshold=2
    assert "mini batch 0 failed after 2 tries: run() did not return within run_invocation_timeout=5 seconds" in log
    assert [r[0] for r in _rows(root)] == ["c.txt"]


def test_a_failing_run_is_retried_then_counts_against_error_threshold(tmp_path):
    code, log, root = _job(tmp_path, {"a.txt": "raise-once", "b.txt": "ok"})
    assert code == 0, log  # the second try succeeded
    code, log, root = _job(tmp_path / "again", {"a.txt": "raise", "b.txt": "ok", "c.txt": "ok"})
    assert code == 1
    assert "ParallelRunStep failed: The number of failed items (2) exceeded error_threshold (0)." in log
    assert "mini batch 0 failed after 2 tries: ValueError: cannot score a.txt" in log
    assert not (root / "out" / "parallel_run_step.txt").exists()  # nothing published
    assert not list((root / "out").glob(".*partial"))
    assert "exceeded error_threshold" in (root / "logs" / "job_error.txt").read_text()
    errors = (root / "logs" / "user" / "error" / "node0")
    assert "ValueError: cannot score a.txt" in "".join(p.read_text() for p in errors.glob("*.txt"))


def test_missing_results_and_wrong_return_types(tmp_path):
    code, log, _ = _job(tmp_path, {"a.txt": "skip", "b.txt": "ok"}, "--error_threshold", "1")
    assert code == 0, log  # one file without a result: one failed item, within error_threshold=1
    assert "1 items succeeded, 1 failed" in log
    code, log, _ = _job(tmp_path / "wrong", {"a.txt": "wrong-type"}, "--error_threshold", "-1",
                        "--allowed_failed_count", "0")
    assert code == 1
    assert "The run() method of the entry script returned a value of type dict: it must return a list" in log
    assert "exceeded allowed_failed_count (0)" in log


@pytest.mark.parametrize("script,expected", [
    (INIT_FAILS, "RuntimeError: no model here"),
    ("import os\nos._exit(3)\n", "exited with code 3 before init() completed"),
])
def test_init_failures_fail_the_job(tmp_path, script, expected):
    code, log, root = _job(tmp_path, {"a.txt": "ok"}, script=script)
    assert code == 1
    assert "init() of the entry script failed" in log or "before init() completed" in log
    assert expected in log
    assert not (root / "out" / "parallel_run_step.txt").exists()


def test_summary_only_writes_no_file(tmp_path):
    code, log, root = _job(tmp_path, {"a.txt": "ok"}, "--output_action", "summary_only")
    assert code == 0, log
    assert not (root / "out").exists() or not list((root / "out").iterdir())


def test_partition_keys_over_a_folder_fail_the_job_with_the_reason(tmp_path):
    code, log, root = _job(tmp_path, {"a.txt": "ok"}, "--partition_keys", '["user"]')
    assert code == 1
    assert "ParallelRunStep failed: could not make mini batches: ValueError: partition_keys ['user'] need" in log
    assert "could not make mini batches" in (root / "logs" / "job_result.txt").read_text()
    assert not (root / "out" / "parallel_run_step.txt").exists() and not (root / "inits.txt").exists()


def test_rank_mini_batches_run_without_input(tmp_path):
    script = "def run(mini_batch):\n    return ['rank %d' % len(mini_batch)]\n"
    code, log, root = _job(tmp_path, {}, "--rank_mini_batch_count", "3", script=script)
    assert code == 0, log
    assert (root / "out" / "parallel_run_step.txt").read_text().splitlines() == ["rank 0"] * 3
