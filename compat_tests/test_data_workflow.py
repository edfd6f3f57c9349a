"""SDK v1 data workflow, written as a notebook would be, on both storage backends (Azurite and folder)."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

TRAIN_TABULAR = textwrap.dedent('''
    import argparse, os
    from azureml.core import Run

    parser = argparse.ArgumentParser()
    parser.add_argument("--input-data", type=str)
    args = parser.parse_args()
    run = Run.get_context()
    df = run.input_datasets["training_data"].to_pandas_dataframe()
    assert args.input_data == run.input_datasets["training_data"].id
    run.log("rows", len(df))
    run.log("mean_score", float(df["score"].mean()))
    os.makedirs("outputs", exist_ok=True)
    with open("outputs/columns.txt", "w") as f:
        f.write(",".join(df.columns))
    run.complete()
''')

TRAIN_FILES = textwrap.dedent('''
    import argparse, glob, os
    from azureml.core import Run

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-folder", type=str)
    args = parser.parse_args()
    run = Run.get_context()
    files = sorted(glob.glob(os.path.join(args.data_folder, "**", "*.csv"), recursive=True))
    run.log("files", len(files))
    run.log("same_path", int(run.input_datasets["raw"] == args.data_folder))
    run.log("env_matches", int(os.environ["raw"] == args.data_folder))
    run.log("env_vars", os.environ["AZUREML_DATASET_ENVIRONMENT_VARS"])
''')


WRITE_OUTPUT = textwrap.dedent('''
    import argparse, os
    from azureml.core import Run

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=str)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "summary.csv"), "w") as f:
        f.write("k,v\\nrows,12\\n")
''')


@pytest.fixture(params=["default", "folder"])
def backend(request, monkeypatch):
    if request.param == "folder":
        monkeypatch.delenv("AZUREML_LOCAL_STORAGE_CONNECTION_STRING", raising=False)
        monkeypatch.setenv("AZUREML_LOCAL_STORAGE", "folder")
    return request.param


@pytest.fixture
def project(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for i in range(3):
        folder = data / f"part{i}"
        folder.mkdir(parents=True)
        (folder / f"scores{i}.csv").write_text("id,score\n" + "".join(f"{i * 10 + j},{j}\n" for j in range(4)))
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "train_tabular.py").write_text(TRAIN_TABULAR)
    (scripts / "train_files.py").write_text(TRAIN_FILES)
    (scripts / "write_output.py").write_text(WRITE_OUTPUT)
    return tmp_path


def test_data_workflow(backend, ws, project):
    from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig

    # --- notebook code, unmodified SDK v1 usage ------------------------------------------------
    datastore = ws.get_default_datastore()
    datastore.upload(src_dir=str(project / "data"), target_path="scores-data", overwrite=True, show_progress=True)

    tabular = Dataset.Tabular.from_delimited_files(path=(datastore, "scores-data/**/*.csv"))
    tabular = tabular.register(workspace=ws, name="scores", description="score table", tags={"format": "CSV"},
                               create_new_version=True)
    files = Dataset.File.from_files(path=(datastore, "scores-data/"))
    files = files.register(workspace=ws, name="score files", create_new_version=True)

    names = list(ws.datasets.keys())
    assert "scores" in ws.datasets and "score files" in names
    assert ws.datasets.get("scores").description == "score table"

    env = Environment("local-env")
    env.python.user_managed_dependencies = True
    experiment = Experiment(workspace=ws, name="data-compat")
    config = ScriptRunConfig(source_directory=str(project / "scripts"), script="train_tabular.py",
                             arguments=["--input-data", tabular.as_named_input("training_data")],
                             environment=env)
    run = experiment.submit(config)
    run.wait_for_completion(show_output=False)
    _check(run)
    metrics = run.get_metrics()
    assert metrics["rows"] == 12 and metrics["mean_score"] == 1.5

    config = ScriptRunConfig(source_directory=str(project / "scripts"), script="train_files.py",
                             arguments=["--data-folder", Dataset.get_by_name(ws, "score files")
                                        .as_named_input("raw").as_download()],
                             environment=env)
    run = experiment.submit(config)
    run.wait_for_completion(show_output=False)
    _check(run)
    metrics = run.get_metrics()
    assert metrics["files"] == 3 and metrics["same_path"] == 1 and metrics["env_matches"] == 1
    assert metrics["env_vars"] == "raw:download"

    from azureml.data import OutputFileDatasetConfig

    output = OutputFileDatasetConfig(name="summary").register_on_complete(name="summary_ds")
    config = ScriptRunConfig(source_directory=str(project / "scripts"), script="write_output.py",
                             arguments=["--out", output], environment=env)
    run = experiment.submit(config)
    run.wait_for_completion(show_output=False)
    _check(run)
    summary = Dataset.get_by_name(ws, "summary_ds")
    assert summary.to_path() == ["/summary.csv"]
    frame = Dataset.Tabular.from_delimited_files(path=(datastore, f"dataset/{run.id}/summary/summary.csv"))
    assert frame.to_pandas_dataframe()["v"].tolist() == [12]


def _check(run):
    import time

    for _ in range(50):  # wait_for_completion may return while the run is still Finalizing
        if run.get_status() not in ("Finalizing", "Running"):
            break
        time.sleep(0.1)
    details = run.get_details()
    logs = {k: open(v[len("file://"):]).read() for k, v in details.get("logFiles", {}).items()
            if v.startswith("file://") and os.path.exists(v[len("file://"):])}
    assert run.get_status() == "Completed", logs
