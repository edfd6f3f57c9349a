"""Model registry: register/list/get, run registration, download/cache, tags and bad input."""
import os

import pytest

from azureml.core import Model
from azureml.exceptions import ModelPathNotFoundException, UserErrorException, WebserviceException
from azureml_local.store.containers import artifacts_container, run_artifact_prefix


def _write(path, text="x"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def test_register_file_versions_and_list(ws, capsys):
    _write("model.pkl", "v1")
    m1 = Model.register(ws, model_path="model.pkl", model_name="sk-model", tags={"area": "diabetes"},
                        properties={"r2": 0.5}, description="ridge")
    assert "Registering model sk-model" in capsys.readouterr().out
    assert (m1.name, m1.version, m1.id) == ("sk-model", 1, "sk-model:1")
    assert m1.tags == {"area": "diabetes"} and m1.properties == {"r2": "0.5"} and m1.description == "ridge"
    _write("model.pkl", "v2")
    m2 = Model.register(ws, "model.pkl", "sk-model")
    assert m2.version == 2
    assert Model(ws, "sk-model").version == 2 and Model(ws, name="sk-model", version=1).description == "ridge"
    assert Model(ws, id="sk-model:1").version == 1
    listed = Model.list(ws)
    assert [(m.name, m.version) for m in listed] == [("sk-model", 2), ("sk-model", 1)]
    assert [m.version for m in Model.list(ws, latest=True)] == [2]
    assert [m.version for m in Model.list(ws, tags=[["area", "diabetes"]])] == [1]
    assert [m.version for m in Model.list(ws, tags=["area"])] == [1]
    assert ws.models["sk-model"].version == 2


def test_register_folder_download_and_get_model_path(ws, tmp_path):
    _write("outputs/model/a.txt", "A")
    _write("outputs/model/sub/b.txt", "B")
    model = Model.register(ws, "outputs/model", "folder-model")
    target = tmp_path / "dl"
    path = model.download(str(target))
    assert path == str(target / "model") and (target / "model" / "sub" / "b.txt").read_text() == "B"
    with pytest.raises(WebserviceException, match="File already exists"):
        model.download(str(target))
    assert model.download(str(target), exist_ok=True) == path
    cached = Model.get_model_path("folder-model", _workspace=ws)
    assert cached == os.path.join("azureml-models", "folder-model", "1", "model")
    assert Model.get_model_path("folder-model", version=1) == cached  # from the local cache, no workspace
    with pytest.raises(WebserviceException, match="version should be an int"):
        Model.get_model_path("folder-model", version="1")


def test_tags_properties_update_delete(ws, capsys):
    _write("m.bin")
    model = Model.register(ws, "m.bin", "m", tags={"a": "1"}, properties={"p": "1"})
    model.add_tags({"b": "2"})
    model.remove_tags(["a"])
    model.add_properties({"q": "2"})
    with pytest.raises(WebserviceException, match="properties are immutable"):
        model.add_properties({"p": "x"})
    model.update(description="new")
    again = Model(ws, "m")
    assert again.tags == {"b": "2"} and again.properties == {"p": "1", "q": "2"} and again.description == "new"
    assert Model.deserialize(ws, {**again.serialize(), "createdTime": None}).id == "m:1"
    again.delete()
    with pytest.raises(WebserviceException, match="ModelNotFound: Model with name m not found"):
        Model(ws, "m")


def test_register_from_run(ws):
    class Exp:
        name = "exp"
        workspace = ws

    class FakeRun:
        id = "exp_1_abcd"
        experiment = Exp()

    blobs = ws._blobs
    blobs.create_container(artifacts_container(ws))
    prefix = run_artifact_prefix(FakeRun.id)
    blobs.upload_bytes(artifacts_container(ws), prefix + "outputs/model.pkl", b"weights")
    blobs.upload_bytes(artifacts_container(ws), prefix + "azureml-logs/70_driver_log.txt", b"log")
    model = Model._register_from_run(FakeRun(), "run-model", model_path="outputs/model.pkl", tags={"t": "1"})
    assert model.run_id == FakeRun.id and model.experiment_name == "exp" and model.version == 1
    assert Model.list(ws, run_id=FakeRun.id)[0].name == "run-model"
    path = model.download("dl")
    assert open(path, "rb").read() == b"weights" and path.endswith("model.pkl")
    with pytest.raises(ModelPathNotFoundException, match="Could not locate the provided model_path nope"):
        Model._register_from_run(FakeRun(), "nope")
    assert Model.list(ws, name="nope") == []


def test_bad_inputs(ws):
    _write("m.bin")
    with pytest.raises(WebserviceException, match="provided model name is invalid"):
        Model.register(ws, "m.bin", "-bad name")
    with pytest.raises(WebserviceException, match="cannot be found"):
        Model.register(ws, "missing.bin", "m")
    with pytest.raises(WebserviceException, match="framework version cannot be provided"):
        Model.register(ws, "m.bin", "m", model_framework_version="1.0")
    with pytest.raises(WebserviceException, match="one of id or name"):
        Model(ws)
    with pytest.raises(UserErrorException, match="page_count"):
        Model.list(ws, page_count=5)
    with pytest.raises(UserErrorException, match="tags must be list"):
        Model.list(ws, tags={"a": "b"})
    assert Model.list(ws) == []  # nothing half-registered


def test_failed_upload_leaves_nothing(ws, monkeypatch):
    from azureml_local import model_store

    _write("m.bin")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(model_store, "upload_local", boom)
    with pytest.raises(OSError):
        Model.register(ws, "m.bin", "m")
    assert Model.list(ws) == [] and ws._store.query("SELECT * FROM models") == []


def test_real_run_register_model(ws):
    from azureml.core import Experiment

    run = Experiment(ws, "model-exp").start_logging()
    _write("outputs/model.pkl", "trained")
    run.upload_file("outputs/model.pkl", "outputs/model.pkl")
    model = run.register_model(model_name="from-run", model_path="outputs/model.pkl", tags={"k": "v"})
    run.complete()
    assert model.version == 1 and model.run_id == run.id and model.experiment_name == "model-exp"
    assert Model(ws, "from-run").run.id == run.id


def test_dataset_lineage(ws):
    from azureml.core import Dataset

    store = ws.get_default_datastore()
    _write("data.csv", "a,b\n1,2\n")
    store.upload_files(["data.csv"], target_path="lin", overwrite=True)
    tab = Dataset.Tabular.from_delimited_files(path=[(store, "lin/data.csv")]).register(ws, "lin-ds")
    _write("m.bin")
    Model.register(ws, "m.bin", "lin-model", datasets=[("training", tab)], sample_input_dataset=tab)
    model = Model(ws, "lin-model")
    assert list(model.datasets) == ["training"] and model.datasets["training"][0].id == tab.id
    assert model.sample_input_dataset.id == tab.id
    assert [m.name for m in Model.list(ws, dataset_id=tab.id)] == ["lin-model"]
    with pytest.raises(WebserviceException, match="Invalid dataset"):
        Model.register(ws, "m.bin", "lin-model", datasets=[("training", "not a dataset")])
