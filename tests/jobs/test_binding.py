"""The binder on a real workspace: a spec's data -> local folders, argv/command, environment, then uploads."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core import Dataset
from azureml_local.engine.job import ScriptJob
from azureml_local.jobs.binding import BindContext, bind_job, finalize_outputs
from azureml_local.jobs.spec import JobSpecError


def _blobs(ws, prefix: str) -> list[str]:
    return [b.name for b in ws._blobs.list_blobs(ws.get_default_datastore()._container(), prefix)]


def test_outputs_and_textual_placeholders_of_a_command_then_upload(ws, tmp_path: Path) -> None:
    spec = {"command": "python s.py DatasetOutputConfig:o $AZUREML_DATAREFERENCE_up --k=$AML_PARAMETER_k",
            "params": {"k": "v"},
            "outputs": [{"name": "o", "kind": "output_file_dataset", "datastore": None, "path": None, "mode": "mount"},
                        {"name": "up", "kind": "datastore_path", "datastore": "workspaceblobstore",
                         "path": "exact/place", "mode": "upload", "overwrite": True}]}
    job = ScriptJob("run-x", "exp")
    outputs = bind_job(BindContext(ws, "run-x"), spec, job, tmp_path)
    o, up = outputs["o"]["local_path"], outputs["up"]["local_path"]
    assert (o, up) == (str(tmp_path / ".azureml_outputs" / "o"), str(tmp_path / ".azureml_inputs" / "up"))
    assert job.command == f"python s.py {o} {up} --k=v"
    env = job.environment_variables
    assert env["AZUREML_DATASET_FILE_OUTPUTS"] == "o" and env["o"] == o and env["AZUREML_DATAREFERENCE_up"] == up
    assert env["AML_PARAMETER_k"] == "v"
    assert outputs["o"]["path"] == "dataset/run-x/o" and outputs["up"]["path"] == "exact/place"
    Path(o, "f.txt").write_text("f")
    Path(up, "g.txt").write_text("g")
    lineage = finalize_outputs(ws, outputs, "run-x", lineage=True)
    assert [e["outputDetails"]["outputName"] for e in lineage] == ["o"]  # an upload DataReference is no dataset
    assert Dataset.get_by_id(ws, lineage[0]["dataset"]["id"]).to_path() == ["/f.txt"]
    assert _blobs(ws, "dataset/run-x/") == ["dataset/run-x/o/f.txt"] and _blobs(ws, "exact/") == ["exact/place/g.txt"]


def test_dataset_input_download_and_pipeline_output_root(ws, tmp_path: Path) -> None:
    store = ws.get_default_datastore()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("a")
    store.upload(str(tmp_path / "d"), target_path="bind", overwrite=True, show_progress=False)
    files = Dataset.File.from_files((store, "bind/"))
    spec = {"script_name": "s.py",
            "arguments": [{"input": "i"}, {"output": "p"}, {"parameter": "rate"}],
            "inputs": [dict(files.as_named_input("i").as_download("here")._to_definition())],
            "outputs": [{"name": "p", "kind": "pipeline_data", "datastore": None,
                         "path": "azureml/{run-id}/{output-name}", "mode": "mount"}]}
    job = ScriptJob("step-1", "exp", script="s.py")
    work = tmp_path / "wd"
    outputs = bind_job(BindContext(ws, "step-1", {"rate": 0.5}, output_root=tmp_path / "data" / "step-1"),
                       spec, job, work)
    assert job.arguments == [str(work / "here"), str(tmp_path / "data" / "step-1" / "p"), "0.5"]
    assert (work / "here" / "a.txt").read_text() == "a"
    env = job.environment_variables
    assert env["AZUREML_DATASET_ENVIRONMENT_VARS"] == "i:download" and env["AZURE_ML_INPUT_i"] == str(work / "here")
    assert "AZUREML_DATASET_FILE_OUTPUTS" not in env  # PipelineData is not a file-dataset output
    assert outputs["p"]["path"] == "azureml/step-1/p" and outputs["p"]["datastore"] == "workspaceblobstore"


def test_a_broken_spec_fails_before_anything_is_bound(ws, tmp_path: Path) -> None:
    spec = {"script_name": "s.py", "arguments": [{"output": "missing"}]}
    with pytest.raises(JobSpecError, match="names no output"):
        bind_job(BindContext(ws, "r"), spec, ScriptJob("r", "exp", script="s.py"), tmp_path / "wd")
    assert not (tmp_path / "wd").exists()
