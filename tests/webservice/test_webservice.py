"""Deployed services end to end: a real scoring process on loopback per service (no mocks).

Deploy -> Healthy -> run / HTTP with key auth -> keys -> update to a new model version -> delete
(process gone); init() failing -> Failed with its traceback in get_logs(); lookups and listing.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from azureml.core import Model, Webservice
from azureml.core.model import InferenceConfig
from azureml.core.webservice import AciWebservice, LocalWebservice
from azureml.exceptions import WebserviceException

from tests.webservice.conftest import scoring_processes, wait_until

TIMEOUT = 120  # generous: two cores shared by many test sessions


def _deploy(ws, model, source_dir, name="doubler-svc", script="score.py", **config):
    inference = InferenceConfig(entry_script=script, source_directory=str(source_dir))
    return Model.deploy(ws, name, [model], inference, AciWebservice.deploy_configuration(**config))


def test_deploy_run_keys_update_delete(ws, model, source_dir, tmp_path: Path, local_home: Path, capsys):
    service = _deploy(ws, model, source_dir, auth_enabled=True)
    assert isinstance(service, AciWebservice) and service.state == "Transitioning"
    service.wait_for_deployment(show_output=True, timeout_sec=TIMEOUT)
    assert 'ACI service creation operation finished, operation "Succeeded"' in capsys.readouterr().out
    assert service.state == "Healthy" and service.scoring_uri.endswith("/score")
    assert service.run(json.dumps({"data": [1, 2, 3]})) == [2, 4, 6]

    primary, secondary = service.get_keys()
    body = json.dumps({"data": [5]})
    assert requests.post(service.scoring_uri, data=body, headers={"Authorization": "Bearer " + primary}).json() == [10]
    assert requests.post(service.scoring_uri, data=body, headers={"Authorization": "Bearer " + secondary}).ok
    assert requests.post(service.scoring_uri, data=body).status_code == 401
    assert requests.post(service.scoring_uri, data=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    service.regen_key("primary")
    new_primary = service.get_keys()[0]
    assert new_primary != primary
    assert requests.post(service.scoring_uri, data=body, headers={"Authorization": "Bearer " + new_primary}).ok
    assert wait_until(lambda: requests.post(service.scoring_uri, data=body, headers={
        "Authorization": "Bearer " + primary}).status_code == 401, timeout=30)  # the old key within a second
    with pytest.raises(WebserviceException, match="Valid options are: Primary, Secondary"):
        service.regen_key("tertiary")

    # get by name, list, ws.webservices, serialize/deserialize
    again = Webservice(ws, "doubler-svc")
    assert type(again) is AciWebservice and again.scoring_uri == service.scoring_uri
    assert [s.name for s in Webservice.list(ws)] == ["doubler-svc"]
    assert list(ws.webservices) == ["doubler-svc"] and Webservice.list(ws, model_name="other") == []
    assert Webservice.deserialize(ws, service.serialize()).scoring_uri == service.scoring_uri
    with pytest.raises(WebserviceException, match="WebserviceNotFound: Webservice with name nothing-here not found"):
        Webservice(ws, "nothing-here")
    with pytest.raises(WebserviceException, match="already exists"):
        _deploy(ws, model, source_dir)

    # update to a new model version: same URI, new answers
    folder = tmp_path / "model_v2"
    folder.mkdir()
    (folder / "model.json").write_text('{"factor": 10}')
    model2 = Model.register(ws, model_path=str(folder / "model.json"), model_name="doubler")
    first_pid = service._row["pid"]
    service.update(models=[model2])
    service.wait_for_deployment(timeout_sec=TIMEOUT)
    assert service.run(json.dumps({"data": [1]})) == [10]
    assert [m.version for m in service.models] == [2] and service._row["pid"] != first_pid

    pids = [p.pid for p in scoring_processes(local_home)]
    assert len(pids) == 1
    service.delete()
    assert not scoring_processes(local_home)
    assert Webservice.list(ws) == []
    with pytest.raises(requests.ConnectionError):
        requests.post(again.scoring_uri, data=body, headers={"Authorization": "Bearer " + new_primary}, timeout=5)


def test_failing_init_is_failed_with_traceback_in_logs(ws, model, source_dir):
    service = _deploy(ws, model, source_dir, name="broken-svc", script="failing.py")
    with pytest.raises(WebserviceException) as info:
        service.wait_for_deployment(timeout_sec=TIMEOUT)
    assert "Service deployment polling reached non-successful terminal state, current service state: Failed" \
        in info.value.message
    assert "the model file is corrupt (raised on purpose)" in info.value.message
    assert service.state == "Failed" and service.scoring_uri is None
    logs = service.get_logs()
    assert "Traceback (most recent call last)" in logs and 'in init' in logs
    assert "RuntimeError: the model file is corrupt (raised on purpose)" in logs
    with pytest.raises(WebserviceException, match="scoring_uri unavailable"):
        service.run("{}")
    service.delete()


def test_run_error_is_a_bad_response(ws, model, source_dir):
    service = _deploy(ws, model, source_dir, name="picky-svc")
    service.wait_for_deployment(timeout_sec=TIMEOUT)
    with pytest.raises(WebserviceException, match="Received bad response from service") as info:
        service.run("not json")
    assert "Response Code: 502" in info.value.message
    assert "JSONDecodeError" in service.get_logs()
    service.delete()


def test_local_webservice(ws, model, source_dir):
    inference = InferenceConfig(entry_script="score.py", source_directory=str(source_dir))
    service = Model.deploy(ws, "local-svc", [model], inference, LocalWebservice.deploy_configuration())
    assert isinstance(service, LocalWebservice)
    service.wait_for_deployment()
    assert service.state == LocalWebservice.STATE_RUNNING
    assert service.scoring_uri == f"http://localhost:{service.port}/score"
    assert service.run(json.dumps({"data": [4]})) == [8]
    assert Webservice.list(ws) == [] and [s.name for s in LocalWebservice.list(ws)] == ["local-svc"]
    assert LocalWebservice(ws, "local-svc").port == service.port
    service.reload(wait=True)
    assert service.run(json.dumps({"data": [1]})) == [2]
    service.delete()
    assert service.state == LocalWebservice.STATE_DELETED


def test_deploy_argument_errors(ws, model, source_dir):
    inference = InferenceConfig(entry_script="score.py", source_directory=str(source_dir))
    with pytest.raises(WebserviceException, match="Error, provided service name is invalid"):
        Model.deploy(ws, "Bad_Name", [model], inference)
    with pytest.raises(WebserviceException, match="Must have a deployment target for an AKS web service."):
        from azureml.core.webservice import AksWebservice

        Model.deploy(ws, "aks-svc", [model], inference, AksWebservice.deploy_configuration())
    with pytest.raises(WebserviceException, match="InferenceConfig"):
        Model.deploy(ws, "no-config", [model])
    assert ws._context.webservices.list() == []


MULTI = '''
import json, os
from azureml.core.model import Model

def init():
    global factor, offset
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "doubler", "1", "model.json")) as fh:
        factor = json.load(fh)["factor"]
    with open(Model.get_model_path("offset")) as fh:
        offset = json.load(fh)["offset"]

def run(raw_data):
    return {"value": json.loads(raw_data)["x"] * factor + offset, "greeting": os.environ["GREETING"]}
'''


def test_several_models_and_environment_variables(ws, model, tmp_path: Path):
    from azureml.core import Environment

    (tmp_path / "offset.json").write_text('{"offset": 100}')
    offset = Model.register(ws, model_path=str(tmp_path / "offset.json"), model_name="offset")
    folder = tmp_path / "multi"
    folder.mkdir()
    (folder / "multi.py").write_text(MULTI)
    env = Environment("scoring")
    env.environment_variables = {"GREETING": "hello"}
    inference = InferenceConfig(entry_script="multi.py", source_directory=str(folder), environment=env)
    service = Model.deploy(ws, "multi-svc", [model, offset], inference)
    service.wait_for_deployment(timeout_sec=TIMEOUT)
    assert service.run(json.dumps({"x": 3})) == {"value": 106, "greeting": "hello"}
    assert sorted(m.name for m in service.models) == ["doubler", "offset"]
    service.delete()


def test_local_webservice_failing_init(ws, model, source_dir, capsys):
    inference = InferenceConfig(entry_script="failing.py", source_directory=str(source_dir))
    service = Model.deploy(ws, "local-broken", [model], inference, LocalWebservice.deploy_configuration())
    with pytest.raises(WebserviceException, match="Error: Container has crashed. Did your init method fail?"):
        service.wait_for_deployment()
    assert service.state == LocalWebservice.STATE_FAILED
    assert "the model file is corrupt (raised on purpose)" in capsys.readouterr().out
    service.delete()


def test_overwrite_redeploys_on_the_same_uri(ws, model, source_dir):
    first = _deploy(ws, model, source_dir, name="twice-svc")
    first.wait_for_deployment(timeout_sec=TIMEOUT)
    (source_dir / "tripler.py").write_text(
        "import json\ndef init():\n    pass\ndef run(raw_data):\n    return [x * 3 for x in json.loads(raw_data)['data']]\n")
    inference = InferenceConfig(entry_script="tripler.py", source_directory=str(source_dir))
    second = Model.deploy(ws, "twice-svc", [model], inference, overwrite=True)
    second.wait_for_deployment(timeout_sec=TIMEOUT)
    assert second.scoring_uri == first.scoring_uri
    assert second.run(json.dumps({"data": [2]})) == [6]
    second.delete()
