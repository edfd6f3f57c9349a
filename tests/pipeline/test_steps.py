"""Step types and data-input kinds in the definition: EstimatorStep, DataReference, DataPath parameters."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
from azureml.pipeline.steps import EstimatorStep, PythonScriptStep


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "train.py").write_text("print('train')\n")
    return folder


def test_estimator_step(ws, scripts):
    from azureml.train.estimator import Estimator

    est = Estimator(source_directory=str(scripts), entry_script="train.py", compute_target="local",
                    environment_variables={"MY_FLAG": "1"}, max_run_duration_seconds=30)
    out = PipelineData("model_dir")
    step = EstimatorStep(name="est", estimator=est, estimator_entry_script_arguments=["--out", out],
                         outputs=[out], compute_target="local")
    entry = Pipeline(ws, steps=[step])._definition(snapshot=False)["steps"][0]
    assert entry["kind"] == "EstimatorStep"
    assert entry["script_name"] == "train.py"
    assert entry["source_directory"] == str(scripts)
    assert entry["environment_variables"]["MY_FLAG"] == "1"
    assert entry["timeout_seconds"] == 30
    assert entry["arguments"] == [{"literal": "--out"}, {"output": "model_dir"}]


def test_estimator_step_errors(scripts):
    from azureml.train.estimator import Estimator

    est = Estimator(source_directory=str(scripts), entry_script="train.py")
    with pytest.raises(ValueError, match="Estimator, compute_target parameters are required"):
        EstimatorStep(name="e", estimator=est, estimator_entry_script_arguments=[])
    with pytest.raises(ValueError, match="estimator_entry_script_arguments is a required parameter"):
        EstimatorStep(name="e", estimator=est, compute_target="local")
    with_params = Estimator(source_directory=str(scripts), entry_script="train.py", script_params={"--a": 1})
    with pytest.raises(ValueError, match="script_params in Estimator should not be provided to EstimatorStep"):
        EstimatorStep(name="e", estimator=with_params, estimator_entry_script_arguments=[], compute_target="local")


def test_data_reference_and_datapath_parameter_inputs(ws, scripts):
    from azureml.data.data_reference import DataReference
    from azureml.data.datapath import DataPath, DataPathComputeBinding

    store = ws.get_default_datastore()
    ref = DataReference(store, data_reference_name="raw", path_on_datastore="raw/x.csv")
    path_param = PipelineParameter("input_path", DataPath(store, "raw/y.csv", name="ypath"))
    io = (path_param, DataPathComputeBinding(mode="download"))
    step = PythonScriptStep("train.py", name="s", source_directory=str(scripts), compute_target="local",
                            arguments=["--ref", ref, "--dp", io], inputs=[ref, io])
    definition = Pipeline(ws, steps=[step])._definition(snapshot=False)
    assert definition["parameters"]["input_path"] == {
        "type": "DataPath", "default": {"datastore": "workspaceblobstore", "path": "raw/y.csv"}}
    raw, dp = definition["steps"][0]["inputs"]
    assert (raw["kind"], raw["datastore"], raw["path"], raw["mode"]) == ("datastore_path", "workspaceblobstore",
                                                                          "raw/x.csv", "mount")
    assert (dp["kind"], dp["parameter"], dp["mode"], dp["name"]) == ("datapath_parameter", "input_path",
                                                                      "download", "ypath")
    assert definition["steps"][0]["arguments"] == [{"literal": "--ref"}, {"input": "raw"},
                                                   {"literal": "--dp"}, {"input": "ypath"}]


def test_unknown_compute_target_is_sdk_error(ws, scripts):
    from azureml.exceptions import ComputeTargetException

    step = PythonScriptStep("train.py", name="s", source_directory=str(scripts), compute_target="aml-cluster")
    with pytest.raises(ComputeTargetException, match="Compute Target with name aml-cluster not found"):
        Pipeline(ws, steps=[step])


def test_no_compute_target_runs_locally(ws, scripts):
    step = PythonScriptStep("train.py", name="s", source_directory=str(scripts))
    assert Pipeline(ws, steps=[step])._definition(snapshot=False)["steps"][0]["compute_target"] == "local"


def test_step_params_and_runconfig_env(ws, scripts):
    from azureml.core.runconfig import RunConfiguration

    rc = RunConfiguration()
    rc.environment_variables = {"FROM_RC": "yes"}
    step = PythonScriptStep("train.py", name="s", source_directory=str(scripts), compute_target="local",
                            runconfig=rc, params={"alpha": 0.5, "rate": PipelineParameter("rate", 3)})
    definition = Pipeline(ws, steps=[step])._definition(snapshot=False)
    entry = definition["steps"][0]
    assert entry["params"] == {"alpha": 0.5, "rate": {"parameter": "rate"}}
    assert entry["environment_variables"]["FROM_RC"] == "yes"
    assert definition["parameters"]["rate"]["default"] == 3


def test_command_step_from_script_run_config(ws, scripts):
    from azureml.core import ScriptRunConfig
    from azureml.pipeline.steps import CommandStep

    src = ScriptRunConfig(source_directory=str(scripts), command=["python train.py --epochs 30"],
                          compute_target="local")
    step = CommandStep(name="train-cmd", runconfig=src)
    entry = Pipeline(ws, steps=[step])._definition(snapshot=False)["steps"][0]
    assert entry["source_directory"] == str(scripts) and entry["compute_target"] == "local"
    assert entry["command"] == [{"literal": "python"}, {"literal": "train.py"}, {"literal": "--epochs"},
                                {"literal": "30"}]
    assert entry["script_name"] is None and entry["kind"] == "CommandStep"
