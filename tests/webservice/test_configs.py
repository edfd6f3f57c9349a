"""Deployment configurations and InferenceConfig: the SDK's validation messages (no deployment needed)."""
from __future__ import annotations

from pathlib import Path

import pytest

from azureml.core.model import InferenceConfig
from azureml.core.webservice import AciWebservice, AksWebservice, LocalWebservice
from azureml.exceptions import WebserviceException


def test_aci_defaults_and_recorded_values():
    config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=2, auth_enabled=True, tags={"a": "b"})
    assert (config.cpu_cores, config.memory_gb, config.auth_enabled, config.tags) == (1, 2, True, {"a": "b"})
    assert config._webservice_type is AciWebservice


@pytest.mark.parametrize("kwargs,message", [
    ({"cpu_cores": 0}, "Invalid configuration, cpu_cores must be positive."),
    ({"memory_gb": -1}, "Invalid configuration, memory_gb must be positive."),
    ({"ssl_enabled": True}, "SSL is enabled, you must provide a SSL certificate, key, and cname."),
    ({"vnet_name": "v"}, "vnet_name and subnet_name must all have values or both are empty/null"),
    ({"cmk_key_name": "k"}, "customer managed key vault_base_url, key_name and key_version must all have values"),
])
def test_aci_validation_messages(kwargs, message):
    with pytest.raises(WebserviceException, match=message.replace(".", r"\.")):
        AciWebservice.deploy_configuration(**kwargs)


def test_aks_defaults_and_messages():
    config = AksWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
    assert config.auth_enabled is None and config.token_auth_enabled is None
    assert AksWebservice._auth_settings(config) == {"auth_enabled": True, "token_auth_enabled": False}
    token = AksWebservice.deploy_configuration(token_auth_enabled=True)
    assert AksWebservice._auth_settings(token) == {"auth_enabled": False, "token_auth_enabled": True}
    with pytest.raises(WebserviceException) as info:
        AksWebservice.deploy_configuration(cpu_cores=0, autoscale_enabled=False, auth_enabled=True,
                                           token_auth_enabled=True, namespace="Bad_NS")
    assert info.value.message == (
        "Invalid configuration, cpu_cores must be greater than zero.\n"
        "Invalid configuration, namespace must be a valid Kubernetes namespace. Regex for validation is "
        "^[a-z0-9]([a-z0-9-]{,61}[a-z0-9])?$\n"
        "Invalid configuration, autoscale disabled but num_replicas not provided.\n"
        "Invalid configuration, auth_enabled and token_auth_enabled cannot both be true.\n")
    with pytest.raises(WebserviceException, match="autoscale_min_replicas cannot be greater than"):
        AksWebservice.deploy_configuration(autoscale_enabled=True, autoscale_min_replicas=3, autoscale_max_replicas=2)


def test_local_port_validation():
    assert LocalWebservice.deploy_configuration(port=6789).port == 6789
    with pytest.raises(WebserviceException, match=r"port must be an integer in range \[1, 65535\]"):
        LocalWebservice.deploy_configuration(port=70000)


def test_inference_config_validation(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("score.py").write_text("def init(): pass\ndef run(raw_data): return raw_data\n")
    Path("score.txt").write_text("")
    Path("class.py").write_text("")
    assert InferenceConfig(entry_script="score.py").entry_script == "score.py"
    with pytest.raises(WebserviceException, match="entry_script missing.py doesn't exist. entry_script should be "
                                                  "path relative to current working directory"):
        InferenceConfig(entry_script="missing.py")
    with pytest.raises(WebserviceException, match="Invalid driver type. Currently only Python drivers are supported."):
        InferenceConfig(entry_script="score.txt")
    with pytest.raises(WebserviceException, match='Error, invalid name "class" for provided entry script'):
        InferenceConfig(entry_script="class.py")
    with pytest.raises(WebserviceException, match="source directory .*nowhere doesn't exist"):
        InferenceConfig(entry_script="score.py", source_directory="nowhere")
    with pytest.warns(DeprecationWarning, match="runtime parameter has been deprecated"):
        legacy = InferenceConfig(entry_script="score.py", runtime="python", conda_file="score.py")
    assert legacy.runtime == "python"
    with pytest.raises(WebserviceException, match="Provided runtime not supported. Possible runtimes are: "
                                                  "spark-py|python"), pytest.warns(DeprecationWarning):
        InferenceConfig(entry_script="score.py", runtime="java")


def test_inference_config_environment_excludes_the_older_form(tmp_path: Path, monkeypatch):
    from azureml.core import Environment

    monkeypatch.chdir(tmp_path)
    Path("score.py").write_text("")
    env = Environment("scoring")
    env.environment_variables = {"GREETING": "hello"}
    config = InferenceConfig(entry_script="score.py", environment=env)
    assert config._environment_variables() == {"GREETING": "hello"}
    with pytest.raises(WebserviceException, match="Error, unable to provide runtime, conda_file"), \
            pytest.warns(DeprecationWarning):
        InferenceConfig(entry_script="score.py", environment=env, runtime="python")
