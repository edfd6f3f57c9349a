"""Dataset-based ports: OutputFileDatasetConfig variants, registered datasets, PipelineData.as_dataset()."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import PythonScriptStep


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "s.py").write_text("print('s')\n")
    return folder


@pytest.fixture
def raw(ws, tmp_path):
    from azureml.core import Dataset

    csv = tmp_path / "raw.csv"
    csv.write_text("a,b\n1,2\n")
    store = ws.get_default_datastore()
    store.upload_files([str(csv)], target_path="raw", overwrite=True, show_progress=False)
    return Dataset.Tabular.from_delimited_files(path=(store, "raw/raw.csv")).register(ws, "raw")


def _step(scripts, name, **kw):
    return PythonScriptStep("s.py", name=name, source_directory=str(scripts), compute_target="local", **kw)


def _defs(ws, *steps):
    return {s["name"]: s for s in Pipeline(ws, steps=list(steps))._definition(snapshot=False)["steps"]}


def test_raw_dataset_rejected(scripts, raw):
    with pytest.raises(ValueError, match="Datasets cannot be used directly as arguments. Please make sure you've "
                                         "called the as_named_input method on the dataset object."):
        _step(scripts, "s", arguments=["--d", raw])
    with pytest.raises(ValueError, match="cannot be directly used as a step's input. Please call the "
                                         "as_named_input method"):
        _step(scripts, "s", inputs=[raw])


def test_output_config_upload_destination_and_registration(ws, scripts):
    from azureml.data import OutputFileDatasetConfig

    out = OutputFileDatasetConfig("clean", destination=(ws.get_default_datastore(), "clean/{run-id}")) \
        .as_upload(overwrite=True, source_globs=["*.csv"]).register_on_complete("clean_ds", tags={"k": "v"})
    producer = _step(scripts, "prep", arguments=["--out", out])
    consumer = _step(scripts, "use", arguments=["--in", out.read_delimited_files().as_input("clean_in")])
    steps = _defs(ws, producer, consumer)
    (entry,) = steps["prep"]["outputs"]
    assert (entry["name"], entry["path"], entry["mode"]) == ("clean", "clean/{run-id}", "upload")
    assert entry["upload"] == {"overwrite": True, "source_globs": ["*.csv"]}
    assert entry["register"]["name"] == "clean_ds" and entry["register"]["tags"] == {"k": "v"}
    (inp,) = steps["use"]["inputs"]
    assert (inp["name"], inp["kind"], inp["output"], inp["mode"]) == ("clean_in", "step_output", "clean", "direct")
    assert inp["producer"] == steps["prep"]["node_id"]
    assert inp["tabular"]["reader"]["format"] == "delimited"


def test_output_config_in_args_and_inputs_becomes_input(ws, scripts):
    from azureml.data import OutputFileDatasetConfig

    out = OutputFileDatasetConfig("mid")
    producer = _step(scripts, "prep", arguments=["--out", out])
    consumer = _step(scripts, "use", arguments=["--in", out], inputs=[out])
    (inp,) = _defs(ws, producer, consumer)["use"]["inputs"]
    assert inp["kind"] == "step_output" and inp["output"] == "mid" and inp["mode"] == "mount"


def test_output_config_consumer_pulls_in_producer_and_unconnected(ws, scripts):
    from azureml.data import OutputFileDatasetConfig

    out = OutputFileDatasetConfig("mid")
    producer = _step(scripts, "prep", arguments=["--out", out])
    consumer = _step(scripts, "use", arguments=["--in", out.as_input()])
    assert set(_defs(ws, consumer)) == {"prep", "use"}
    orphan = _step(scripts, "lonely", arguments=["--in", OutputFileDatasetConfig("nobody").as_input("x")])
    with pytest.raises(ValueError, match=r"Input x on step lonely is not connected to any previous step\."):
        Pipeline(ws, steps=[orphan])
    assert producer.name == "prep"


def test_registered_dataset_modes(ws, scripts, raw):
    step = _step(scripts, "s", arguments=["--a", raw.as_named_input("direct_in"),
                                          "--b", raw.as_named_input("other")])
    inputs = {i["name"]: i for i in _defs(ws, step)["s"]["inputs"]}
    assert inputs["direct_in"]["mode"] == "direct"
    assert inputs["direct_in"]["dataset"]["id"] == raw.id and inputs["direct_in"]["dataset"]["name"] == "raw"


def test_pipeline_data_as_dataset(ws, scripts):
    data = PipelineData("features").as_dataset()
    registered = data.register("features_ds")
    producer = _step(scripts, "prep", outputs=[registered], arguments=["--o", registered])
    consumer = _step(scripts, "use", inputs=[data.parse_delimited_files().as_named_input("feat")],
                     arguments=["--i", "x"])
    steps = _defs(ws, producer, consumer)
    (out,) = steps["prep"]["outputs"]
    assert out["kind"] == "pipeline_data" and out["as_dataset"] and out["register"]["name"] == "features_ds"
    assert steps["prep"]["arguments"] == [{"literal": "--o"}, {"output": "features"}]
    (inp,) = steps["use"]["inputs"]
    assert (inp["name"], inp["mode"], inp["output"]) == ("feat", "direct", "features")
    assert inp["tabular"]["format"] == "delimited"


def test_dataset_pipeline_parameter(ws, scripts, raw):
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig
    from azureml.pipeline.core import PipelineParameter

    param = PipelineParameter("ds_param", raw)
    step = _step(scripts, "s", arguments=["--d", DatasetConsumptionConfig("tab", param)])
    definition = Pipeline(ws, steps=[step])._definition(snapshot=False)
    assert definition["parameters"]["ds_param"]["type"] == "dataset"
    assert definition["parameters"]["ds_param"]["default"]["id"] == raw.id
    (inp,) = definition["steps"][0]["inputs"]
    assert (inp["name"], inp["kind"], inp["parameter"]) == ("tab", "dataset", "ds_param")
    with pytest.raises(TypeError, match="Pipeline parameter with name ds_param is of incorrect type str"):
        Pipeline(ws, steps=[step]).submit("exp", pipeline_parameters={"ds_param": "not a dataset"})


def test_pipeline_default_datastore_for_outputs(ws, scripts):
    from azureml.core import Datastore

    Datastore.register_azure_blob_container(ws, "other_store", container_name="other", account_name="devstoreaccount1",
                                            account_key="x")
    out = PipelineData("o")
    step = _step(scripts, "s", outputs=[out], arguments=["--o", out])
    entry = Pipeline(ws, steps=[step], default_datastore=Datastore(ws, "other_store"))._definition(
        snapshot=False)["steps"][0]
    assert entry["outputs"][0]["datastore"] == "other_store"
