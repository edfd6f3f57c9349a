"""RunConfiguration: SDK defaults, dict round trip (pipelines), save/load, bad input."""
import json

import pytest

from azureml.core import Environment, RunConfiguration
from azureml.core.conda_dependencies import CondaDependencies
from azureml.core.runconfig import (DEFAULT_CPU_IMAGE, DataReferenceConfiguration, DockerConfiguration,
                                    MpiConfiguration, PyTorchConfiguration)
from azureml.exceptions import RunConfigurationException, UserErrorException


def test_defaults_match_sdk():
    rc = RunConfiguration()
    assert rc.target == "local" and rc.framework == "Python" and rc.communicator == "None"
    assert rc.node_count == 1 and rc.environment.name == "default-environment"
    assert list(rc.environment.python.conda_dependencies.pip_packages) == ["azureml-defaults"]
    assert rc.history.output_collection is True and rc.environment_variables == {}
    assert DEFAULT_CPU_IMAGE.startswith("mcr.microsoft.com/azureml/")


def test_dict_round_trip_is_json_and_lossless():
    rc = RunConfiguration(conda_dependencies=CondaDependencies.create(pip_packages=["pandas"]))
    rc.target = "cpu-cluster"
    rc.environment_variables = {"A": "1"}
    rc.docker = DockerConfiguration(use_docker=True)
    rc.mpi = MpiConfiguration(process_count_per_node=2)
    rc.data_references["in"] = DataReferenceConfiguration("workspaceblobstore", path_on_datastore="x", mode="download")
    env = Environment("myenv")
    env.docker.base_image = "python:3.11"
    rc.environment = env
    data = json.loads(json.dumps(rc.to_dict()))
    assert data["target"] == "cpu-cluster" and data["environmentVariables"] == {"A": "1"}
    assert data["environment"]["python"]["condaDependencies"]["dependencies"][-1]["pip"][0] == "azureml-defaults" \
        or "myenv" == data["environment"]["name"]
    back = RunConfiguration.from_dict(data)
    assert back.to_dict() == data
    assert back.data_references["in"].mode == "download" and back.environment.docker.base_image == "python:3.11"


def test_target_accepts_compute_like_object():
    class Target:
        name = "gpu"
    rc = RunConfiguration()
    rc.target = Target()
    assert rc.target == "gpu"


def test_save_and_load(tmp_path):
    rc = RunConfiguration(script="train.py", arguments=["--x", "1"])
    rc.environment.python.conda_dependencies.add_pip_package("scipy")
    rc.save(str(tmp_path), name="mine")
    assert (tmp_path / ".azureml" / "mine").is_file()
    assert (tmp_path / ".azureml" / "conda_dependencies.yml").is_file()
    loaded = RunConfiguration.load(str(tmp_path), name="mine")
    assert loaded.script == "train.py" and loaded.arguments == ["--x", "1"]
    assert "scipy" in list(loaded.environment.python.conda_dependencies.pip_packages)
    RunConfiguration.delete(str(tmp_path), "mine")
    with pytest.raises(UserErrorException, match="Failed to load RunConfiguration"):
        RunConfiguration.load(str(tmp_path), name="mine")


def test_bad_inputs(tmp_path):
    with pytest.raises(UserErrorException, match="without a name"):
        RunConfiguration().save(str(tmp_path))
    with pytest.raises(RunConfigurationException, match="not a supported backend"):
        PyTorchConfiguration(communication_backend="mpi")
    with pytest.raises(UserErrorException, match="not found"):
        RunConfiguration.delete(str(tmp_path), "nothing")


def test_unknown_attribute_is_an_error_like_the_sdk():
    rc = RunConfiguration()
    with pytest.raises(AttributeError, match="has no attribute enviroment"):
        rc.enviroment = None
    env = Environment("e")
    with pytest.raises(AttributeError):
        env.docker.enable = True
    env.docker.base_image = "python:3.11"  # real attributes still assignable
    import copy
    clone = copy.deepcopy(rc)
    with pytest.raises(AttributeError):
        clone.typo = 1


def test_sdk_internal_helpers(tmp_path):
    rc = RunConfiguration(script="a.py")
    assert RunConfiguration._get_run_config_object(str(tmp_path), rc) is rc
    rc.save(str(tmp_path), name="saved")
    assert RunConfiguration._get_run_config_object(str(tmp_path), "saved").script == "a.py"
    assert RunConfiguration._get_runconfig_using_dict(rc.to_dict()).script == "a.py"
    with pytest.raises(UserErrorException, match="Unsupported runconfig type"):
        RunConfiguration._get_run_config_object(str(tmp_path), 3)
