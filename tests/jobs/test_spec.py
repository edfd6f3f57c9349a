"""The JSON job spec: what ScriptRunConfig.submit compiles to, its validation, and runs queued by older versions."""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from azureml.core import Dataset, Experiment, ScriptRunConfig
from azureml.data import OutputFileDatasetConfig
from azureml_local.engine.execute import run_folder
from azureml_local.jobs import spec as job_spec
from azureml_local.jobs.runner import LEGACY_BINDINGS_FILE, handle_script_run
from azureml_local.store.runs import new_run_id

SCRIPT = (
    "import json, os, sys\n"
    "keys = ('tab', 'prepared', 'AZUREML_DATASET_ENVIRONMENT_VARS', 'AZUREML_DATASET_FILE_OUTPUTS',\n"
    "        'AZURE_ML_INPUT_tab', 'AZURE_ML_OUTPUT_prepared', 'AZUREML_DATAREFERENCE_refs_in', 'FROM_ENV')\n"
    "open(os.path.join(sys.argv[4], 'r.txt'), 'w').write(open(os.path.join(sys.argv[6], 'a.txt')).read())\n"
    "os.makedirs('outputs', exist_ok=True)\n"
    "json.dump({'argv': sys.argv[1:], 'env': {k: os.environ.get(k) for k in keys}}, open('outputs/seen.json', 'w'))\n")


def _data(ws, tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("hello")
    (data / "t.csv").write_text("x\n1\n")
    store = ws.get_default_datastore()
    store.upload(str(data), target_path="refs", overwrite=True, show_progress=False)
    return store, Dataset.Tabular.from_delimited_files(path=(store, "refs/t.csv"))


def test_script_run_config_compiles_to_a_json_spec_and_runs_through_the_binder(ws, tmp_path: Path) -> None:
    store, tabular = _data(ws, tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(SCRIPT)
    ref = store.path("refs", data_reference_name="refs_in").as_download()
    config = ScriptRunConfig(str(src), "train.py", arguments=[
        "--in", tabular.as_named_input("tab"), "--out", OutputFileDatasetConfig(name="prepared"), "--ref", ref])
    config.run_config.environment_variables = {"FROM_ENV": "yes"}
    run = Experiment(ws, "spec").submit(config)
    run.wait_for_completion(raise_on_error=True)

    definition = json.loads(ws._context.runs.run(run.id)["definition"])
    spec = definition[job_spec.JOB_KEY]
    assert json.loads(json.dumps(spec)) == spec and job_spec.validate(spec) is spec
    assert spec["script_name"] == "train.py" and spec["command"] is None
    assert spec["arguments"] == [{"literal": "--in"}, {"input": "tab"}, {"literal": "--out"}, {"output": "prepared"},
                                 {"literal": "--ref"}, {"input": "refs_in"}]
    tab, refs_in = spec["inputs"]
    assert tab["kind"] == "dataset" and tab["mode"] == "direct" and tab["dataset"]["id"] == tabular.id
    assert refs_in == {"name": "refs_in", "kind": "datastore_path", "datastore": "workspaceblobstore", "path": "refs",
                       "mode": "download", "path_on_compute": None, "overwrite": False}
    (out,) = spec["outputs"]
    assert out["kind"] == "output_file_dataset" and out["name"] == "prepared"
    assert out["path"] == "dataset/{run-id}/{output-name}" and out["mode"] == "mount"
    assert spec["environment_variables"]["FROM_ENV"] == "yes"
    # the SDK-visible run definition keeps the SDK's textual placeholders; no pickle anywhere in the run folder
    assert definition["arguments"] == ["--in", "DatasetConsumptionConfig:tab", "--out", "DatasetOutputConfig:prepared",
                                       "--ref", "$AZUREML_DATAREFERENCE_refs_in"]
    assert not list(run_folder(ws, run.id).rglob("*.pkl"))

    run.download_file("outputs/seen.json", str(tmp_path / "seen.json"))
    seen = json.loads((tmp_path / "seen.json").read_text())
    wd = str(run_folder(ws, run.id) / "wd")
    out_dir, ref_dir = f"{wd}/.azureml_outputs/prepared", f"{wd}/.azureml_inputs/refs_in"
    assert seen["argv"] == ["--in", tabular.id, "--out", out_dir, "--ref", ref_dir]
    assert seen["env"] == {"tab": tabular.id, "prepared": out_dir, "AZUREML_DATASET_ENVIRONMENT_VARS": "tab:direct",
                           "AZUREML_DATASET_FILE_OUTPUTS": "prepared", "AZURE_ML_INPUT_tab": tabular.id,
                           "AZURE_ML_OUTPUT_prepared": out_dir, "AZUREML_DATAREFERENCE_refs_in": ref_dir,
                           "FROM_ENV": "yes"}
    details = run.get_details()
    assert [d["consumptionDetails"]["inputName"] for d in details["inputDatasets"]] == ["tab"]
    assert details["outputDatasets"][0]["outputDetails"] == {"outputName": "prepared"}
    produced = Dataset.get_by_id(ws, details["outputDatasets"][0]["dataset"]["id"])
    assert produced.to_path() == ["/r.txt"]


def test_validate_names_the_first_problem() -> None:
    ok = {"script_name": "s.py", "arguments": [{"input": "i"}, "--x", {"literal": 1}],
          "inputs": [{"name": "i", "kind": "dataset"}], "outputs": [{"name": "o", "kind": "pipeline_data"}]}
    assert job_spec.validate(ok) is ok
    bad = [({"arguments": []}, "neither script_name nor command"),
           (dict(ok, arguments=[{"input": "nope"}]), "names no input"),
           (dict(ok, arguments=[{"output": "i"}]), "names no output"),
           (dict(ok, arguments=[{"input": "i", "literal": "x"}]), "exactly one of"),
           (dict(ok, inputs=[{"name": "i", "kind": "blob"}]), "has kind 'blob'"),
           (dict(ok, outputs=[{"kind": "pipeline_data"}]), "needs a name"),
           (dict(ok, inputs=[{"name": "i", "kind": "dataset"}] * 2), "used twice"),
           (dict(ok, environment_variables={"A": object()}), "is not JSON"),
           ("s.py", "is a dict")]
    for spec, message in bad:
        with pytest.raises(job_spec.JobSpecError, match=message):
            job_spec.validate(spec)


def test_a_run_queued_with_a_pickle_fails_with_a_clear_message(ws) -> None:
    run_id = ws._context.runs.create_run("legacy", new_run_id(), status="Queued",
                                         definition={"script": "train.py", "arguments": []})
    folder = run_folder(ws, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LEGACY_BINDINGS_FILE).write_bytes(pickle.dumps({"inputs": {}, "outputs": {}}))
    handle_script_run(ws, run_id)
    row = ws._context.runs.run(run_id)
    assert row["status"] == "Failed"
    message = json.loads(row["error"])["error"]["message"]
    assert "queued by an older azureml-local" in message and "data_bindings.pkl" in message
    assert "Submit the run again" in message
