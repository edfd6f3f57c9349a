"""Official v1 pipeline notebooks (Azure/MachineLearningNotebooks), executed as notebooks.

Each test copies the vendored notebook folder (``compat_tests/notebooks/official``) into a
fresh folder with a local workspace's ``config.json``, runs every cell with nbclient on a
kernel of this project's interpreter (``compat_tests/notebooks/harness.py``), then reads
back from the workspace what the notebook should have left behind. No cell is edited;
what the harness provides beforehand is listed in docs/compat-pipeline-notebooks.md.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from compat_tests.notebooks.harness import NOTEBOOKS, OFFICIAL, execute, prepare_folder

TITANIC = "PassengerId,Survived,Pclass,Name,Sex,Age\n1,0,3,\"Braund, Mr. Owen Harris\",male,22\n" \
          "2,1,1,\"Cumings, Mrs. John Bradley\",female,38\n"


@pytest.fixture
def notebook_folder(tmp_path: Path, local_home: Path):
    """(folder, ws): the notebook folder copy and the workspace its config.json names."""
    return prepare_folder(tmp_path / "notebook")


def _finished(run) -> None:
    assert run.wait_for_completion(show_output=False) == "Finished", run.get_details().get("error")


def test_vendored_files_are_unedited():
    """Every vendored file has the git blob id the README records for the upstream commit."""
    recorded = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{40})` \|$", (OFFICIAL / "README.md").read_text(), re.M))
    present = {p.relative_to(NOTEBOOKS).as_posix(): p for p in NOTEBOOKS.rglob("*") if p.is_file()}
    assert sorted(present) == sorted(recorded)
    for name, path in present.items():
        data = path.read_bytes()
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == recorded[name], name


def test_data_dependency_steps(notebook_folder):
    """DataReference -> PipelineData chain -> DataPath parameter; outputs downloaded by the last cell."""
    from azureml.core import Experiment

    folder, ws = notebook_folder
    source = Path("Titanic.csv")
    source.write_text(TITANIC)
    ws.get_default_datastore().upload_files([str(source)], target_path="titanic", overwrite=True,
                                            show_progress=False)

    result = execute("aml-pipelines-with-data-dependency-steps.ipynb", folder)

    (run,) = Experiment(ws, "Data_dependency_sample").get_runs()
    assert run.get_status() == "Finished"
    steps = {s.name: s.get_status() for s in run.get_steps()}
    assert steps == {"train.py": "Finished", "extract.py": "Finished", "compare.py": "Finished"}
    text = result.text()
    assert "/test_data/Titanic.csv" in text  # train.py printed the mounted DataReference file
    for name in ("processed_data1", "processed_data2", "processed_data3"):  # the get_outputs() cell
        assert f"\tname: {name}\n\tdatastore: workspaceblobstore\n" in text
