"""ParallelRunStep: SDK validation, and a local run over file and tabular datasets."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

ENTRY = """
import os
def init():
    global prefix
    prefix = "seen"
def run(mini_batch):
    if hasattr(mini_batch, "columns"):
        mini_batch = mini_batch.assign(double=mini_batch["a"] * 2)
        return mini_batch[["a", "double"]]
    return [prefix + " " + os.path.basename(path) for path in mini_batch]
"""


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "score.py").write_text(ENTRY)
    return folder


def _config(entry, **kw):
    from azureml.core import Environment

    kw.setdefault("output_action", "append_row")
    return ParallelRunConfig(environment=Environment("batch-env"), entry_script="score.py", error_threshold=0,
                             compute_target="local", node_count=1, source_directory=str(entry), **kw)


def test_config_validation(entry):
    from azureml.core import Environment

    with pytest.raises(ValueError, match="Parameter environment is required"):
        ParallelRunConfig(None, "score.py", 0, "append_row", "local", 1)
    with pytest.raises(ValueError, match="Parameter output_action must be summary_only or append_row."):
        _config(entry, output_action="everything")
    with pytest.raises(ValueError, match="error_threshold '-2' is not an int value greater than or equal to -1."):
        ParallelRunConfig(Environment("e"), "score.py", -2, "append_row", "local", 1)
    with pytest.raises(ValueError, match=r"Parameter mini_batch_size must follow regex rule"):
        _config(entry, mini_batch_size="ten")
    assert _config(entry, mini_batch_size="2MB").mini_batch_size == 2 * 1024 * 1024


def test_step_validation(ws, entry):
    from azureml.core import Dataset

    store = ws.get_default_datastore()
    files = Dataset.File.from_files(path=(store, "x/"), validate=False)
    with pytest.raises(Exception, match="Please specify output parameter."):
        ParallelRunStep("s", _config(entry), inputs=[files.as_named_input("f")])
    with pytest.raises(ValueError, match="'mini_batch_size' is a reserved argument in ParallelRunStep"):
        ParallelRunStep("s", _config(entry), inputs=[files.as_named_input("f")], output=PipelineData("o"),
                        arguments=["--mini_batch_size", "3"])
    with pytest.raises(ValueError, match="Found invalid argument 'x'"):
        ParallelRunStep("s", _config(entry), inputs=[files.as_named_input("f")], output=PipelineData("o"),
                        arguments=["x"])


def test_file_and_tabular_runs(ws, entry, tmp_path):
    from azureml.core import Dataset, Experiment

    store = ws.get_default_datastore()
    data = tmp_path / "data"
    data.mkdir()
    for i in range(5):
        (data / f"f{i}.txt").write_text(str(i))
    (tmp_path / "t.csv").write_text("a\n1\n2\n3\n")
    store.upload(str(data), target_path="prs/files", overwrite=True, show_progress=False)
    store.upload_files([str(tmp_path / "t.csv")], target_path="prs", overwrite=True, show_progress=False)
    files = Dataset.File.from_files(path=(store, "prs/files/"))
    table = Dataset.Tabular.from_delimited_files(path=(store, "prs/t.csv"))
    out_files, out_table = PipelineData("files_out"), PipelineData("table_out")
    file_step = ParallelRunStep("score-files", _config(entry, mini_batch_size="2", process_count_per_node=2),
                                inputs=[files.as_named_input("files")], output=out_files)
    table_step = ParallelRunStep("score-table", _config(entry), inputs=[table.as_named_input("table")],
                                 output=out_table)
    run = Experiment(ws, "prs").submit(Pipeline(ws, steps=[file_step, table_step]))
    assert run.wait_for_completion(show_output=False) == "Finished"
    got = {}
    for name in ("score-files", "score-table"):
        step_run = run.find_step_run(name)[0]
        output = step_run.get_output_data("files_out" if name == "score-files" else "table_out")
        output.download(str(tmp_path / name))
        (result,) = list((tmp_path / name).rglob("parallel_run_step.txt"))
        got[name] = sorted(result.read_text().splitlines())
    assert got["score-files"] == [f"seen f{i}.txt" for i in range(5)]
    assert got["score-table"] == ["1 2", "2 4", "3 6"]
