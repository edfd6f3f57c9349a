"""The official ParallelRunStep notebook (Azure/MachineLearningNotebooks), executed unedited with nbclient.

``parallel-run/file-dataset-partition-per-folder.ipynb``: a FileDataset with ``partition_format``, a
ParallelRunStep with ``partition_keys=['user', 'genres']`` whose entry script takes
``run(mini_batch, mini_batch_context)``, ``append_row`` to ``file_size_outputs.txt``, read back by the
last cell with pandas. The notebook uploads four ``.wav`` files from ``test_files/``: the test writes
small stand-ins (a few hundred bytes each) instead of vendoring 3.4 MB of audio (README there).
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from compat_tests.notebooks.harness import OFFICIAL, execute, prepare_folder

PARALLEL_RUN = OFFICIAL / "parallel-run"
NOTEBOOK = "file-dataset-partition-per-folder.ipynb"
SIZES = {"disco": 300, "orchestra": 400, "piano": 500, "spirituality": 600}


def test_vendored_files_are_unedited():
    """Every vendored file has the git blob id the README records for the upstream commit."""
    readme = (PARALLEL_RUN / "README.md").read_text()
    recorded = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{40})` \|$", readme, re.M))
    present = {p.relative_to(PARALLEL_RUN).as_posix(): p for p in PARALLEL_RUN.rglob("*")
               if p.is_file() and p.name not in ("README.md", "LICENSE")}
    assert sorted(present) == sorted(recorded)
    for name, path in present.items():
        data = path.read_bytes()
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == recorded[name], name


@pytest.fixture
def parallel_run_folder(tmp_path: Path, local_home: Path):
    """(folder, ws): a copy of the vendored parallel-run folder, its config.json and stand-in test files."""
    _, ws = prepare_folder(tmp_path / "notebook")
    folder = tmp_path / "notebook" / "parallel-run"
    shutil.copytree(PARALLEL_RUN, folder)
    ws.write_config(path=str(folder))
    for genre, size in SIZES.items():
        (folder / "test_files" / genre).mkdir(parents=True)
        (folder / "test_files" / genre / f"{genre}.wav").write_bytes(b"RIFF" + bytes(size - 4))
    return folder, ws


def test_file_dataset_partition_per_folder(parallel_run_folder):
    """Five partitions (user x genres) -> five mini batches; the result file has one row per file."""
    folder, ws = parallel_run_folder
    result = execute(NOTEBOOK, folder)

    from azureml.core import Experiment

    (run,) = Experiment(ws, "file-dataset-partition").get_runs()
    assert run.get_status() == "Finished"
    (step,) = run.get_steps()
    assert step.name == "summarize-file-size" and step.get_status() == "Finished"
    text = result.text()
    assert "Prediction has 6 rows" in text
    logs = step.get_details_with_logs()["logFiles"]
    driver_log = logs["azureml-logs/70_driver_log.txt"]
    assert "5 mini batches (6 items) from 1 input(s), partitioned by ['user', 'genres']" in driver_log
    assert "progress: 5/5 mini batches processed, 0 failed; 6 items succeeded, 0 failed" in driver_log
    stdout = "".join(v for k, v in logs.items() if k.startswith("logs/user/stdout/"))
    assert "partition_key_value = {'user': 'user4', 'genres': 'piano'}" in stdout
    assert "file_count_of_mini_batch = 2" in stdout  # user4/spring and user4/fall hold piano.wav
    # the rows the last cell read: file name, size, ratio, user, genres, partition total
    output = step.get_output_data("file_dataset_inferences")
    target = folder.parent / "result"
    output.download(local_path=str(target))
    (rows_file,) = list(target.rglob("file_size_outputs.txt"))
    rows = sorted(rows_file.read_text().splitlines())
    assert "disco.wav,300,1.0,user1,disco,300" in rows
    assert rows.count("piano.wav,500,0.5,user4,piano,1000") == 2
