"""The other SDK step classes: importable at the SDK's paths, constructors validate with the SDK's messages."""
from __future__ import annotations

import importlib

import pytest

PATHS = {
    "AutoMLStep": "automl_step", "AutoMLStepRun": "automl_step", "AzureBatchStep": "azurebatch_step",
    "KustoStep": "kusto_step", "SynapseSparkStep": "synapse_spark_step", "MpiStep": "mpi_step",
    "RScriptStep": "r_script_step", "_HDInsightStep": "_hdinsight_step", "DataTransferStep": "data_transfer_step",
    "DatabricksStep": "databricks_step",
}


@pytest.mark.parametrize("name", sorted(PATHS))
def test_importable_at_the_sdk_paths(name):
    package = importlib.import_module("azureml.pipeline.steps")
    module = importlib.import_module(f"azureml.pipeline.steps.{PATHS[name]}")
    assert getattr(package, name) is getattr(module, name)


def test_azure_batch_step_checks():
    from azureml.pipeline.steps import AzureBatchStep

    for kwargs, message in (({"name": None}, "name is required"), ({"name": 1}, "name must be a string"),
                            ({"compute_target": None}, "compute_target is required"),
                            ({"executable": None}, "executable is required")):
        args = dict(name="b", executable="run.exe", compute_target="batch")
        args.update(kwargs)
        with pytest.raises(ValueError) as info:
            AzureBatchStep(**args)
        assert str(info.value) == message


def test_kusto_step_checks():
    from azureml.pipeline.core import PipelineData
    from azureml.pipeline.steps import KustoStep

    out = PipelineData("out")
    cases = (({"compute_target": 1}, "compute_target must be a string"),
             ({"database_name": None}, "database_name is required"),
             ({"query_directory": 5}, "query_directory must be a string"),
             ({"output": "x"}, "output must be type PipelineData or OutputPortBinding"),
             ({"parameter_dict": ["a"]}, "parameter_dict must be a dictionary"))
    for kwargs, message in cases:
        args = dict(name="k", compute_target="adx", database_name="db", query_directory="q", output=out)
        args.update(kwargs)
        with pytest.raises(ValueError) as info:
            KustoStep(**args)
        assert str(info.value) == message
    step = KustoStep("k", "adx", "db", "q", PipelineData("out2"), parameter_dict={"a": 1})
    assert step._params["parameter_dict"] == '{"a": 1}'


def test_synapse_spark_step_checks(tmp_path):
    from azureml.pipeline.steps import SynapseSparkStep

    base = dict(file="main.py", source_directory=str(tmp_path), compute_target="synapse", driver_memory="7g",
                driver_cores=4, executor_memory="7g", executor_cores=2, num_executors=1)
    cases = (({"compute_target": "local"}, "SynapseSparkStep doesn't support local compute"),
             ({"compute_target": 3}, "compute_target must be a str or SynapseCompute"),
             ({"driver_cores": "4"}, "driver_cores must be a integer"),
             ({"executor_memory": None}, "executor_memory is required"),
             ({"inputs": ["x"]}, "inputs should be an array of DatasetConsumptionConfig."),
             ({"py_files": 3}, "py_files should be str of [str]"),
             ({"conf": {"spark.driver.memory": "1g"}}, "The values of the paramater spark.driver.memory have conflict"))
    for kwargs, message in cases:
        with pytest.raises(ValueError) as info:
            SynapseSparkStep(**dict(base, **kwargs))
        assert str(info.value) == message
    step = SynapseSparkStep(**base, py_files="a.py", conf={"spark.submit.pyFiles": "b.py"})
    assert step.name == "main.py" and step._spark_configuration["spark.submit.pyFiles"] == "a.py,b.py"


def test_hdinsight_step_checks():
    from azureml.pipeline.steps import _HDInsightStep

    for kwargs, message in (({"file": 1}, "file must be a string"), ({"compute_target": 1.5},
                            "compute_target must be a string or a AbstractComputeTarget"),
                            ({"jars": "a.jar"}, "jars must be a list"), ({"driver_cores": "2"},
                            "driver_cores must be an int"), ({"conf": []}, "conf must be a dictionary")):
        with pytest.raises(ValueError) as info:
            _HDInsightStep(**dict(dict(file="job.py", compute_target="hdi"), **kwargs))
        assert str(info.value) == message
    assert _HDInsightStep("job.py", "hdi").step_type == "HDInsightStep"


def test_automl_step_checks():
    from azureml.pipeline.steps import AutoMLStep

    from azureml_local.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match=r"argument \[name\]"):
        AutoMLStep(None, object())
    with pytest.raises(UserErrorException, match=r"argument \[automl_config\] is provided"):
        AutoMLStep("a", None)
    with pytest.raises(UserErrorException, match="AutoMLConfig"):
        AutoMLStep("a", object())

    class AutoMLConfig:  # what azureml-train-automl would hand over
        user_settings = {"path": ".", "compute_target": "cpu"}

    step = AutoMLStep("automl", AutoMLConfig())
    assert AutoMLStep.DEFAULT_METRIC_PREFIX == "default_metrics_" and step._source_directory == "."


def test_mpi_step_checks(ws):
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.pipeline.steps import MpiStep

    with pytest.raises(ValueError, match=r"^One of the requirement parameters \(name, source_directory"):
        MpiStep(name="m", source_directory=".", script_name="t.py", arguments=[], compute_target="x")
    with pytest.raises(Exception, match="is not supported in MpiStep. AmlCompute and KubernetesCompute"):
        MpiStep(name="m", source_directory=".", script_name="t.py", arguments=[], compute_target="cpu",
                node_count=2, process_count_per_node=2)
    cluster = ComputeTarget.create(ws, "cpu", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2",
                                                                                   max_nodes=2))
    step = MpiStep(name="m", source_directory=".", script_name="t.py", arguments=[], compute_target=cluster,
                   node_count=2, process_count_per_node=3)
    assert step.step_type == "MpiStep" and step._runconfig.node_count == 2


def test_r_script_step_checks():
    from azureml.core.runconfig import RunConfiguration
    from azureml.core.environment import RSection
    from azureml.pipeline.steps import RScriptStep

    with pytest.raises(ValueError, match=r"^RunConfiguration.Environment.RSection is required for r script.$"):
        RScriptStep("s.R", runconfig=RunConfiguration())
    config = RunConfiguration()
    config.environment.r = RSection()
    with pytest.raises(ValueError, match="^Environment.DockerSection.enabled needs to be set True for r script.$"):
        RScriptStep("s.R", runconfig=config)
    config.environment.docker.enabled = True
    config.environment.docker.base_image = "my/image"
    with pytest.raises(ValueError, match="^RSection.user_managed should be true when custom image is used.$"):
        RScriptStep("s.R", runconfig=config)
    config.environment.docker.base_image = None
    step = RScriptStep("s.R", runconfig=config, source_directory=".")
    assert config.environment.docker.base_image == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"
    assert step.step_type == "RScriptStep"
