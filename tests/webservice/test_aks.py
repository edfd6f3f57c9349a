"""AksWebservice: an AksCompute record as target, token auth, the cluster URL shape, swagger from
inference_schema decorators (JSON fields as keyword arguments of run)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from azureml.core import ComputeTarget, Model
from azureml.core.compute import AksCompute
from azureml.core.model import InferenceConfig
from azureml.core.webservice import AciWebservice, AksWebservice
from azureml.exceptions import WebserviceException

SCHEMA_SCORE = '''
import json, os
from inference_schema.schema_decorators import input_schema, output_schema
from inference_schema.parameter_types.standard_py_parameter_type import StandardPythonParameterType

def init():
    global factor
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as fh:
        factor = json.load(fh)["factor"]

@input_schema("data", StandardPythonParameterType([1.0, 2.0]))
@output_schema(StandardPythonParameterType([2.0, 4.0]))
def run(data):
    return [x * factor for x in data]
'''


def test_token_auth_and_swagger(ws, model, tmp_path: Path):
    folder = tmp_path / "schema_src"
    folder.mkdir()
    (folder / "score.py").write_text(SCHEMA_SCORE)
    aks = ComputeTarget.create(ws, "aks-cluster", AksCompute.provisioning_configuration())
    inference = InferenceConfig(entry_script="score.py", source_directory=str(folder))
    with pytest.raises(WebserviceException, match="deployment_target must be an AksCompute"):
        Model.deploy(ws, "bad-target", [model], inference, AksWebservice.deploy_configuration(),
                     deployment_target=object())
    service = Model.deploy(ws, "aks-svc", [model], inference,
                           AksWebservice.deploy_configuration(token_auth_enabled=True), deployment_target=aks)
    service.wait_for_deployment(timeout_sec=120)
    assert isinstance(service, AksWebservice) and service.compute_name == "aks-cluster"
    assert service.scoring_uri.endswith("/api/v1/service/aks-svc/score")
    assert service.token_auth_enabled and not service.auth_enabled
    assert service.run(json.dumps({"data": [1.5, 2]})) == [3.0, 4]

    with pytest.warns(DeprecationWarning):
        token, refresh_after = service.get_token()
    body = json.dumps({"data": [3]})
    assert requests.post(service.scoring_uri, data=body, headers={"Authorization": "Bearer " + token}).json() == [6]
    assert requests.post(service.scoring_uri, data=body).status_code == 401

    swagger = requests.get(service.swagger_uri).json()
    assert swagger["swagger"] == "2.0" and "/score" in swagger["paths"]
    assert swagger["definitions"]["ServiceInput"]["properties"]["data"]["type"] == "array"
    service.delete()


def test_aci_has_no_token_and_no_swagger_without_decorators(ws, model, source_dir):
    service = Model.deploy(ws, "plain-svc", [model], InferenceConfig(entry_script="score.py",
                                                                     source_directory=str(source_dir)))
    service.wait_for_deployment(timeout_sec=120)
    with pytest.raises(NotImplementedError, match="ACI webservices do not support Token Authentication."):
        service.get_token()
    assert requests.get(service.swagger_uri).status_code == 404
    service.delete()
