"""The sample project's tests: they use only the azureml-local pytest plugin's fixtures (docs/testing.md)."""
import requests
from azureml.core import Experiment, Workspace
from azureml.core.authentication import InteractiveLoginAuthentication
from azureml.pipeline.core import PipelineRun

from pipeline.build import build_pipeline


def test_pipeline_computes_the_total(azureml_workspace, azureml_runs_finished):
    ws = Workspace.from_config()  # the fixture's config.json, as the code under test would open it
    run = Experiment(ws, "ci-sample").submit(build_pipeline(ws), pipeline_parameters={"n": 4})
    assert run.wait_for_completion(show_output=False) == "Finished"
    total = run.find_step_run("total")[0]
    assert total.get_metrics()["total"] == 1 + 4 + 9 + 16


def test_stored_cloud_endpoint_is_answered_locally(azureml_workspace, azureml_cloud_urls, azureml_runs_finished):
    published = build_pipeline(azureml_workspace).publish(name="squares")
    # what a config file written against Azure would hold
    stored = "https://westeurope.api.azureml.ms" + published.endpoint.split("/pipelines/", 1)[1].join(["/pipelines/", ""])
    answer = requests.post(stored, headers=InteractiveLoginAuthentication().get_authentication_header(),
                           json={"ExperimentName": "from-endpoint", "ParameterAssignments": {"n": 3}})
    assert answer.status_code == 200, answer.text
    run = PipelineRun(Experiment(azureml_workspace, "from-endpoint"), answer.json()["Id"])
    assert run.wait_for_completion(show_output=False) == "Finished"
