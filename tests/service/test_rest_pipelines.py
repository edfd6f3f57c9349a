"""The pipelines REST API, success paths: real POSTs on loopback start real pipeline runs.

``requests.post(published.endpoint, headers=auth.get_authentication_header(), json=...)`` as the
public docs write it; the SDK's own request shape (``application/json-patch+json``, string
parameters); pipeline endpoints by id, by id and version, by ``?pipelineVersion=``, by name; the
run entity; an unexpected failure (a real database fault) answered 500 with nothing recorded.
"""
from __future__ import annotations

import re
from pathlib import Path

import requests

from azureml.core import Experiment
from azureml.core.authentication import InteractiveLoginAuthentication
from azureml.pipeline.core import PipelineEndpoint, PipelineRun
from azureml_local.service import urls
from rest_helpers import publish_echo, row_counts, start

ENTITY_KEYS = {"Id", "Description", "Status", "GraphId", "IsSubmitted", "HasErrors", "HasWarnings", "UploadState",
               "ParameterAssignments", "DataSetDefinitionValueAssignments", "RunHistoryExperimentName", "PipelineId",
               "RunSource", "RunType", "TotalRunSteps", "ScheduleId", "tags", "Properties", "EntityStatus", "Etag",
               "CreatedDate", "LastModifiedDate"}


def _auth() -> dict:
    return InteractiveLoginAuthentication().get_authentication_header()


def _stdout(run) -> str:
    [step] = list(run.get_steps())
    return step.get_stdout_log()


def test_post_as_the_docs_write_it_runs_the_published_pipeline_with_its_parameters(ws, tmp_path: Path) -> None:
    published = publish_echo(ws, tmp_path / "echo")
    start(ws)
    response = requests.post(published.endpoint, headers=_auth(), timeout=30,
                             json={"ExperimentName": "rest-exp", "ParameterAssignments": {"count": 20, "label": "hi"},
                                   "Description": "from curl", "tags": {"team": "a"}, "Properties": {"p": 1}})
    assert response.status_code == 200, response.text
    entity = response.json()
    assert set(entity) == ENTITY_KEYS
    assert entity["Status"]["StatusCode"] in ("NotStarted", "Running")
    assert (entity["RunHistoryExperimentName"], entity["PipelineId"], entity["Description"]) == \
        ("rest-exp", published.id, "from curl")
    assert entity["ParameterAssignments"] == {"count": "20", "label": "hi"}
    assert entity["tags"] == {"team": "a"} and entity["Properties"]["p"] == "1"
    assert (entity["RunSource"], entity["RunType"], entity["TotalRunSteps"]) == ("SDK", "SDK", 1)

    run = PipelineRun(ws.experiments["rest-exp"], entity["Id"])  # the id is one the SDK follows
    run.wait_for_completion(show_output=False)
    assert run.get_status() == "Finished"
    assert "ECHO one ['--count', '20', '--label', 'hi']" in _stdout(run)

    got = requests.get(f"{urls.pipelines_url(ws)}/PipelineRuns/{entity['Id']}", headers=_auth(), timeout=30)
    assert got.status_code == 200 and got.json()["Status"]["StatusCode"] == "Finished"
    assert got.json()["Status"]["EndTime"]


def test_the_sdk_request_shape_string_values_and_any_key_case(ws, tmp_path: Path) -> None:
    published = publish_echo(ws, tmp_path / "echo")
    info = start(ws)
    parent = Experiment(ws, "parents").start_logging()
    body = ('{"experimentName": "sdk-shape", "description": "sdk-shape", "runSource": "SDK", "runType": "SDK", '
            '"parameterAssignments": {"count": "5"}, "continueRunOnStepFailure": false, '
            '"EnableNotification": null, "SomethingNew": {"ignored": true}}')
    response = requests.post(f"{published.endpoint}?parentRunId={parent.id}", data=body.encode(), timeout=30,
                             headers={**_auth(), "Content-Type": "application/json-patch+json; charset=utf-8"})
    assert response.status_code == 200, response.text
    entity = response.json()
    assert entity["ParameterAssignments"] == {"count": "5"}
    assert ws._context.runs.run(entity["Id"])["parent_run_id"] == parent.id
    parent.complete()
    # a workspace token (what service.json publishes) is accepted like the authentication classes' one
    again = requests.post(published.endpoint, headers={"Authorization": f"Bearer {info['token']}"},
                          json={"ExperimentName": "sdk-shape"}, timeout=30)
    assert again.status_code == 200, again.text


def test_pipeline_endpoint_by_id_version_query_and_name(ws, tmp_path: Path) -> None:
    first = publish_echo(ws, tmp_path / "one", name="v-one", marker="one")
    second = publish_echo(ws, tmp_path / "two", name="v-two", marker="two")
    endpoint = PipelineEndpoint.publish(ws, "my-endpoint", "two versions", first)
    endpoint.add(second)  # version "1"; the default stays "0"
    start(ws)
    by_id = endpoint.endpoint
    assert by_id == urls.pipeline_endpoint_url(ws, endpoint.id)
    by_name = f"{urls.pipelines_url(ws)}/PipelineRuns/PipelineEndpointSubmit/Name?name=my-endpoint"
    expected = {by_id: first.id, f"{by_id}/1": second.id, f"{by_id}?pipelineVersion=1": second.id,
                f"{by_id}/1?pipelineVersion=1": second.id, f"{by_id}/0": first.id,
                by_name: first.id, f"{by_name}&pipelineVersion=1": second.id}
    runs = {}
    for url, pipeline_id in expected.items():
        response = requests.post(url, headers=_auth(), json={"ExperimentName": "endpoint-exp"}, timeout=30)
        assert response.status_code == 200, (url, response.text)
        entity = response.json()
        assert entity["PipelineId"] == pipeline_id, url
        assert entity["Properties"]["azureml.pipelineEndpointId"] == endpoint.id
        runs[url] = entity["Id"]
    run = PipelineRun(ws.experiments["endpoint-exp"], runs[f"{by_id}/1"])
    run.wait_for_completion(show_output=False)
    assert "ECHO two" in _stdout(run)


def test_an_unexpected_failure_is_a_500_without_traceback_and_records_nothing(ws, tmp_path: Path) -> None:
    published = publish_echo(ws, tmp_path / "echo")
    start(ws)
    ctx = ws._context
    ctx.runs.get_or_create_experiment("fault-exp")  # so only the run rows are in question
    # a real fault in the real database: inserting a run row fails after the pipeline_runs row went in
    ctx.db.execute("CREATE TRIGGER injected_fault BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
    before = row_counts(ws)
    response = requests.post(published.endpoint, headers=_auth(), json={"ExperimentName": "fault-exp"}, timeout=30)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "InternalServerError" and "nothing was started" in error["message"]
    assert "Traceback" not in response.text and "disk on fire" not in response.text
    request_id = re.search(r"request id ([0-9a-f-]{36})", error["message"]).group(1)
    log = (ws._local_folder / "service.log").read_text()
    assert f"ERROR: request {request_id}" in log and "disk on fire" in log
    assert row_counts(ws) == before
    assert ctx.pipeline_runs.of_published_pipeline(published.id) == []  # one transaction: no half-created run
    ctx.db.execute("DROP TRIGGER injected_fault")
    assert requests.post(published.endpoint, headers=_auth(), json={"ExperimentName": "fault-exp"},
                         timeout=30).status_code == 200
