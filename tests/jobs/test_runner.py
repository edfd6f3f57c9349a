"""Script runs through the azureml.scriptrun handler (jobs/runner.py): data objects in arguments, bound at run time."""
from __future__ import annotations

import json
from pathlib import Path

from azureml.core import Dataset, Experiment, ScriptRunConfig
from azureml.data import OutputFileDatasetConfig


def test_inputs_and_outputs_are_bound(ws, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x,y\n1,2\n3,4\n")
    store = ws.get_default_datastore()
    store.upload(str(data), target_path="raw", overwrite=True, show_progress=False)
    tabular = Dataset.Tabular.from_delimited_files(path=(store, "raw/a.csv"))
    files = Dataset.File.from_files(path=(store, "raw/"))
    out = OutputFileDatasetConfig(name="prepared")
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(
        "import json, os, sys\nfrom azureml.core import Run\n"
        "run = Run.get_context()\n"
        "tab_id, folder, out_dir = sys.argv[1:4]\n"
        "ds = run.input_datasets['tab']\n"
        "rows = len(ds.to_pandas_dataframe())\n"
        "open(os.path.join(out_dir, 'result.txt'), 'w').write(str(rows))\n"
        "json.dump({'tab_id': tab_id, 'ds_id': ds.id, 'listing': sorted(os.listdir(folder)),\n"
        "           'outputs': dict(run.output_datasets), 'out_dir': out_dir}, open('outputs/seen.json', 'w'))\n")
    run = Experiment(ws, "data").submit(ScriptRunConfig(
        str(src), "train.py", arguments=[tabular.as_named_input("tab"), files.as_named_input("files").as_download(),
                                         out]))
    details = run.wait_for_completion()
    assert details["runDefinition"]["arguments"] == ["DatasetConsumptionConfig:tab", "DatasetConsumptionConfig:files",
                                                     "DatasetOutputConfig:prepared"]
    run.download_file("outputs/seen.json", str(tmp_path / "seen.json"))
    seen = json.loads((tmp_path / "seen.json").read_text())
    assert seen["tab_id"] == seen["ds_id"]
    assert seen["listing"] == ["a.csv"]
    assert seen["outputs"] == {"prepared": seen["out_dir"]}
    assert [d["consumptionDetails"]["inputName"] for d in details["inputDatasets"]] == ["tab", "files"]
    assert details["outputDatasets"][0]["outputDetails"] == {"outputName": "prepared"}
    blobs = [b.name for b in ws._blobs.list_blobs(store._container(), f"dataset/{run.id}/prepared/")] \
        if hasattr(store, "_container") else []
    assert blobs == [f"dataset/{run.id}/prepared/result.txt"]


def test_data_references_in_arguments(ws, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("hello")
    store = ws.get_default_datastore()
    store.upload(str(data), target_path="refs", overwrite=True, show_progress=False)
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(
        "import os, sys\n"
        "mounted, whole, out = sys.argv[1:4]\n"
        "print('mounted', sorted(os.listdir(mounted)))\n"
        "print('whole', open(os.path.join(whole, 'refs', 'a.txt')).read())\n"
        "os.makedirs(out, exist_ok=True)\n"
        "open(os.path.join(out, 'result.txt'), 'w').write('written')\n")
    args = [store.path("refs").as_download(), str(store.as_mount()),
            store.path("results").as_upload()]
    run = Experiment(ws, "refs").submit(ScriptRunConfig(str(src), "train.py", arguments=args))
    run.wait_for_completion()
    log = run._download_artifact_contents_to_string("user_logs/std_log.txt")
    assert "mounted ['a.txt']" in log and "whole hello" in log
    assert run.get_details()["runDefinition"]["arguments"][1] == f"$AZUREML_DATAREFERENCE_{store.name}"
    names = [b.name for b in ws._blobs.list_blobs(store._container(), "results/")]
    assert names == ["results/result.txt"]
