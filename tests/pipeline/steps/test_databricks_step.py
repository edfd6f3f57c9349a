"""DatabricksStep construction: every SDK check and message, defaults, the SDK's param encoding."""
from __future__ import annotations

import logging

import pytest

EXACTLY_ONE = "Exactly one of notebook_path, python_script_path, python_script_name or main_class_name is required"


def _step(**kwargs):
    from azureml.pipeline.steps import DatabricksStep

    args = dict(name="db", num_workers=1, notebook_path="/Users/me/nb", compute_target="dbx")
    args.update(kwargs)
    return DatabricksStep(**args)


@pytest.mark.parametrize("kwargs, message", [
    ({"name": None}, "name is required"),
    ({"name": 1}, "name must be a string"),
    ({"compute_target": None}, "compute_target is required"),
    ({"spark_version": 10}, "spark_version must be a string"),
    ({"node_type": 3}, "node_type must be a string"),
    ({"node_type": "Standard_D3_v2", "instance_pool_id": "pool"},
     "Exactly one of node_type or instance_pool_id can be specified"),
    ({"instance_pool_id": 5}, "instance_pool_id must be a string"),
    ({"num_workers": None}, "one of num_workers or min_workers and max_workers is required"),
    ({"num_workers": None, "min_workers": 1}, "one of num_workers or min_workers and max_workers is required"),
    ({"min_workers": 1, "max_workers": 2}, "exactly one of num_workers or min_workers and max_workers is required"),
    ({"num_workers": "2"}, "num_workers must be an int"),
    ({"num_workers": None, "min_workers": "1", "max_workers": 2}, "min_workers must be an int"),
    ({"num_workers": None, "min_workers": 1, "max_workers": 2.5}, "max_workers must be an int"),
    ({"permit_cluster_restart": True}, "existing_cluster_id is not specified, you cannot set permit_cluster_restart"),
    ({"num_workers": None, "existing_cluster_id": 7}, "existing_cluster_id must be a string"),
    ({"notebook_path": 1}, "notebook_path must be a string"),
    ({"python_script_path": "dbfs:/x.py"}, EXACTLY_ONE),
    ({"notebook_path": None}, EXACTLY_ONE),
    ({"notebook_path": None, "main_class_name": 3}, "main_class_name must be a string"),
    ({"notebook_path": None, "python_script_name": "t.py"},
     "If python_script_name is specified then source_directory must be too"),
    ({"timeout_seconds": "10"}, "timeout_seconds must be an int"),
    ({"run_name": 3}, "run_name must be a string"),
    ({"init_scripts": "dbfs:/init.sh"}, "init_scripts should be a list of strings"),
    ({"cluster_log_dbfs_path": 1}, "cluster_log_dbfs_path should be a string"),
])
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        _step(**kwargs)
    assert str(info.value) == message


def test_runconfig_rules():
    from azureml.core.databricks import DatabricksCluster, PyPiLibrary
    from azureml.core.runconfig import RunConfiguration

    with pytest.raises(ValueError, match="^Either pass runconfig or each library type as a separate parameter$"):
        _step(runconfig=RunConfiguration(), pypi_libraries=[PyPiLibrary("x")])
    with pytest.raises(ValueError, match="^runconfig must be a RunConfiguration$"):
        _step(runconfig=object())
    config = RunConfiguration()
    config.environment.databricks.cluster = DatabricksCluster(num_workers=3, spark_version="13.3.x-scala2.12")
    config.environment.databricks.pypi_libraries = [PyPiLibrary("pandas", repo="https://pypi.org")]
    with pytest.raises(ValueError, match="^Either pass cluster in runconfig  or each cluster parameter separately$"):
        _step(runconfig=config)
    step = _step(runconfig=config, num_workers=None)
    assert step._params["num_workers"] == 3 and step._params["spark_version"] == "13.3.x-scala2.12"
    assert step._params["pypi_libraries"] == "package=pandas|repo=https://pypi.org"


def test_defaults_and_param_encoding(caplog):
    from azureml.core.databricks import JarLibrary, MavenLibrary
    from azureml.pipeline.core import PipelineParameter

    param = PipelineParameter("p", "v|1")
    step = _step(notebook_params={"a": "x", "b": param}, run_name="r", timeout_seconds=60,
                 maven_libraries=[MavenLibrary("g:a:1", exclusions=["x:y"])], jar_libraries=[JarLibrary("dbfs:/a.jar")])
    params = step._params
    assert params["spark_version"] == "10.4.x-scala2.12" and params["node_type_id"] == "Standard_D3_v2"
    assert params["spark_env_vars"] == "PYSPARK_PYTHON=/databricks/python3/bin/python3"
    assert params["base_parameters"] == "a=x;b=v|1"
    assert params["_AML_PARAMETER_b"] is param
    assert params["maven_libraries"] == "coordinates=g:a:1|exclusions=x:y"
    assert params["jar_libraries"] == "dbfs:/a.jar" and params["compute_name"] == "dbx"
    script = _step(notebook_path=None, python_script_path="dbfs:/s.py", python_script_params={"--k|v"})
    assert script._params["python_script_params"] == "--k|-v"
    with caplog.at_level(logging.WARNING):
        _step(init_scripts=["dbfs:/init.sh"])
    assert "Init script stored in DBFS will stop work" in caplog.text
    existing = _step(num_workers=None, existing_cluster_id="0101-x", permit_cluster_restart=True)
    assert existing._params["existing_cluster_id"] == "0101-x" and existing._params["permit_cluster_restart"] is True
    assert "spark_version" not in existing._params


def test_compute_target_must_be_attached(ws):
    from azureml.pipeline.core import Pipeline

    with pytest.raises(ValueError, match="Error in getting Databricks compute named `dbx`"):
        Pipeline(ws, [_step()])


def test_definition_records_cluster_and_local_code(ws, tmp_path):
    from azureml.core.compute import ComputeTarget, DatabricksCompute
    from azureml.pipeline.core import Pipeline

    compute = ComputeTarget.attach(ws, "dbx", DatabricksCompute.attach_configuration(
        resource_group="rg", workspace_name="w", access_token="t"))
    assert isinstance(DatabricksCompute(ws, "dbx"), DatabricksCompute)
    (tmp_path / "nb.ipynb").write_text("{}")
    described = Pipeline(ws, [_step(notebook_path="nb", source_directory=str(tmp_path),
                                    compute_target=compute)])._described[0]
    assert described["kind"] == "DatabricksStep" and described["execution_type"] == "databrickscloud"
    assert described["databricks"]["local_code"] == "nb.ipynb"
    assert described["source_directory"] == str(tmp_path)
    assert described["databricks"]["cluster"]["num_workers"] == 1


def test_a_databricks_workspace_path_is_found_below_source_directory(tmp_path):
    from azureml_local.pipeline.steps.databricks_step import local_file

    (tmp_path / "Users" / "me").mkdir(parents=True)
    (tmp_path / "Users" / "me" / "nb.ipynb").write_text("{}")
    assert local_file("/Users/me/nb", str(tmp_path), notebook=True) == str(tmp_path / "Users" / "me" / "nb.ipynb")
    assert local_file("/Users/me/other", str(tmp_path), notebook=True) is None
    assert local_file("dbfs:/x.py", str(tmp_path)) is None
