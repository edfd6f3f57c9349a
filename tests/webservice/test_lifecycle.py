"""Scoring processes belong to the workspace service: they survive the deploying code, stop and come
back with the service on the same scoring URI, and stop when the workspace folder goes."""
from __future__ import annotations

import json
from pathlib import Path

import requests

from azureml.core import Model, Webservice
from azureml.core.model import InferenceConfig
from azureml.core.webservice import AciWebservice
from azureml_local.service import control

from tests.webservice.conftest import scoring_processes, wait_until

TIMEOUT = 120


def _deployed(ws, model, source_dir, name="survivor"):
    inference = InferenceConfig(entry_script="score.py", source_directory=str(source_dir))
    service = Model.deploy(ws, name, [model], inference, AciWebservice.deploy_configuration())
    service.wait_for_deployment(timeout_sec=TIMEOUT)
    return service


def test_restart_with_the_workspace_service_keeps_the_scoring_uri(ws, model, source_dir, local_home: Path):
    service = _deployed(ws, model, source_dir)
    uri = service.scoring_uri
    assert wait_until(lambda: control.service_info(ws) is not None)  # deploying started the workspace service
    assert control.stop_service(ws)
    assert wait_until(lambda: not scoring_processes(local_home), timeout=30)  # stopped with it
    service.update_deployment_state()
    assert service.state == "Unhealthy"

    control.start_service(ws)
    again = Webservice(ws, "survivor")
    again.wait_for_deployment(timeout_sec=TIMEOUT)
    assert again.scoring_uri == uri
    assert requests.post(uri, data=json.dumps({"data": [21]})).json() == [42]
    assert len(scoring_processes(local_home)) == 1
    again.delete()


def test_scoring_process_stops_when_the_workspace_folder_goes(ws, model, source_dir, local_home: Path, delete_in_use):
    _deployed(ws, model, source_dir)
    assert len(scoring_processes(local_home)) == 1
    delete_in_use(ws._context.folder)
    assert wait_until(lambda: not scoring_processes(local_home), timeout=60)


DEPLOY_AND_EXIT = """
import sys
from azureml.core import Model, Workspace
from azureml.core.model import InferenceConfig
ws = Workspace.from_config()
model = Model(ws, "doubler")
service = Model.deploy(ws, "from-script", [model], InferenceConfig(entry_script="score.py", source_directory=sys.argv[1]))
service.wait_for_deployment()
print("URI", service.scoring_uri)
"""


def test_a_service_outlives_the_script_that_deployed_it(ws, model, source_dir, tmp_path: Path):
    import subprocess
    import sys

    script = tmp_path / "deploy_and_exit.py"
    script.write_text(DEPLOY_AND_EXIT)
    done = subprocess.run([sys.executable, str(script), str(source_dir)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    uri = done.stdout.split("URI ")[1].split()[0]
    assert requests.post(uri, data=json.dumps({"data": [4]})).json() == [8]  # the script has exited
    service = Webservice(ws, "from-script")
    assert service.scoring_uri == uri and service.state == "Healthy"
    service.delete()


def test_a_crashed_scoring_process_is_started_again(ws, model, source_dir, local_home: Path):
    import os
    import signal

    service = _deployed(ws, model, source_dir, name="crashy")
    first = service._row["pid"]
    os.kill(first, signal.SIGKILL)
    assert wait_until(lambda: (ws._context.webservices.get("crashy")["pid"] or first) != first, timeout=60)
    again = Webservice(ws, "crashy")
    again.wait_for_deployment(timeout_sec=TIMEOUT)
    assert again.scoring_uri == service.scoring_uri
    assert again.run(json.dumps({"data": [1]})) == [2]
    again.delete()
