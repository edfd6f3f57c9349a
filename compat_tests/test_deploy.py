"""Real-time inferencing as the course notebooks do it, unmodified SDK v1 code against local services.

Train in a submitted run, register the model from the run, deploy it with ``Model.deploy`` to an
``AciWebservice`` configuration with key auth, score with ``service.run`` and with
``requests.post(service.scoring_uri, ...)``, update to a new model version, delete; a scoring
script whose ``init()`` fails shows its traceback in ``get_logs()``; ``LocalWebservice`` too.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

TRAIN = """
import argparse, os, pickle
from azureml.core import Run

parser = argparse.ArgumentParser()
parser.add_argument("--slope", type=float)
args = parser.parse_args()
run = Run.get_context()
run.log("slope", args.slope)
os.makedirs("outputs", exist_ok=True)
with open("outputs/model.pkl", "wb") as fh:
    pickle.dump({"slope": args.slope, "intercept": 1.0}, fh)
run.complete()
"""

SCORE = """
import json, os, pickle
from azureml.core.model import Model

def init():
    global model
    # both ways scoring scripts find their model: AZUREML_MODEL_DIR and Model.get_model_path
    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl")
    assert os.path.samefile(path, Model.get_model_path("linear-model"))
    with open(path, "rb") as fh:
        model = pickle.load(fh)

def run(raw_data):
    data = json.loads(raw_data)["data"]
    return {"predictions": [model["slope"] * x + model["intercept"] for x in data]}
"""

BROKEN = """
import json

def init():
    global model
    model = json.loads("this is not a model")

def run(raw_data):
    return model
"""


def _train(ws, slope: float):
    from azureml.core import Environment, Experiment, ScriptRunConfig

    env = Environment("train-env")
    env.python.user_managed_dependencies = True
    config = ScriptRunConfig(source_directory="train", script="train.py", arguments=["--slope", slope],
                             environment=env)
    run = Experiment(ws, "linear-training").submit(config)
    run.wait_for_completion(show_output=False)
    assert run.get_status() == "Completed"
    return run.register_model(model_name="linear-model", model_path="outputs/model.pkl",
                              tags={"slope": str(slope)})


@pytest.fixture
def scripts():
    Path("train").mkdir()
    Path("train/train.py").write_text(TRAIN)
    Path("service").mkdir()
    Path("service/score.py").write_text(SCORE)
    Path("service/broken.py").write_text(BROKEN)


def test_train_register_deploy_call_update_delete(ws, scripts):
    import requests
    from azureml.core import Environment, Webservice
    from azureml.core.model import InferenceConfig, Model
    from azureml.core.webservice import AciWebservice

    model = _train(ws, 2.0)
    assert model.version == 1 and model.run_id

    env = Environment("inference-env")
    env.python.user_managed_dependencies = True
    inference_config = InferenceConfig(entry_script="score.py", source_directory="service", environment=env)
    deployment_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, auth_enabled=True)
    service = Model.deploy(ws, "linear-service", [model], inference_config, deployment_config)
    service.wait_for_deployment(show_output=True)
    print(service.state)
    assert service.state == "Healthy"

    result = service.run(input_data=json.dumps({"data": [1, 2]}))
    assert result == {"predictions": [3.0, 5.0]}

    key, _ = service.get_keys()
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + key}
    response = requests.post(service.scoring_uri, json.dumps({"data": [10]}), headers=headers)
    assert response.status_code == 200 and response.json() == {"predictions": [21.0]}
    assert requests.post(service.scoring_uri, json.dumps({"data": [10]})).status_code == 401

    model2 = _train(ws, 3.0)
    assert model2.version == 2
    service.update(models=[model2])
    service.wait_for_deployment(show_output=True)
    assert service.run(json.dumps({"data": [1]})) == {"predictions": [4.0]}
    assert ws.webservices["linear-service"].scoring_uri == service.scoring_uri

    service.delete()
    assert "linear-service" not in ws.webservices
    assert "linear-service" not in [s.name for s in Webservice.list(ws)]


def test_failing_init_traceback_in_logs(ws, scripts):
    from azureml.core.model import InferenceConfig, Model
    from azureml.core.webservice import AciWebservice
    from azureml.exceptions import WebserviceException

    model = _train(ws, 1.0)
    inference_config = InferenceConfig(entry_script="broken.py", source_directory="service")
    service = Model.deploy(ws, "broken-service", [model], inference_config, AciWebservice.deploy_configuration())
    with pytest.raises(WebserviceException, match="current service state: Failed"):
        service.wait_for_deployment(show_output=True)
    logs = service.get_logs()
    print(logs)
    assert "Traceback (most recent call last)" in logs
    assert "json.decoder.JSONDecodeError" in logs and "in init" in logs
    service.delete()


def test_local_webservice(ws, scripts):
    from azureml.core.model import InferenceConfig, Model
    from azureml.core.webservice import LocalWebservice

    model = _train(ws, 0.5)
    inference_config = InferenceConfig(entry_script="score.py", source_directory="service")
    service = Model.deploy(ws, "local-linear", [model], inference_config, LocalWebservice.deploy_configuration())
    service.wait_for_deployment(show_output=True)
    assert service.state == "running"
    assert service.run(json.dumps({"data": [2]})) == {"predictions": [2.0]}
    service.delete()
