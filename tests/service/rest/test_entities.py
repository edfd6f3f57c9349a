"""``rest/entities.py``: the PipelineRunEntity of a recorded pipeline run, and nothing for other runs."""
from __future__ import annotations

import pytest

from azureml_local.exceptions import ServiceException
from azureml_local.pipeline.start import record_pipeline_run
from azureml_local.service.rest.entities import pipeline_run_entity
from azureml_local.store.runs import new_run_id

DEFINITION = {"steps": [{"node_id": "a"}, {"node_id": "b"}]}


def test_a_recorded_pipeline_run_as_the_sdk_deserialises_it(ws) -> None:
    ctx = ws._context
    run_id = record_pipeline_run(ctx, "entity-exp", DEFINITION, {"n": 3, "path": {"datastore": "d", "path": "p"}},
                                 tags={"t": "v"}, pipeline_id="pp-1", run_source="SDK", run_type="HTTP",
                                 properties={"azureml.scheduleId": "s-1"}, description="described")
    entity = pipeline_run_entity(ctx, run_id)
    assert entity["Id"] == run_id and entity["Description"] == "described"
    assert entity["Status"]["StatusCode"] == "NotStarted"  # recorded and queued, not claimed yet
    assert entity["Status"]["CreationTime"] == entity["CreatedDate"] and entity["Status"]["EndTime"] is None
    assert entity["ParameterAssignments"] == {"n": "3", "path": '{"datastore": "d", "path": "p"}'}
    assert (entity["RunHistoryExperimentName"], entity["PipelineId"], entity["TotalRunSteps"]) == \
        ("entity-exp", "pp-1", 2)
    assert (entity["RunSource"], entity["RunType"], entity["ScheduleId"]) == ("SDK", "HTTP", "s-1")
    assert entity["tags"] == {"t": "v"} and entity["Properties"]["azureml.pipelineid"] == "pp-1"
    ctx.runs.set_status(run_id, "Failed", error={"error": {"message": "boom"}})
    failed = pipeline_run_entity(ctx, run_id)
    assert (failed["Status"]["StatusCode"], failed["Status"]["StatusDetail"], failed["HasErrors"]) == \
        ("Failed", "boom", True)
    assert failed["Etag"] != entity["Etag"]


def test_other_runs_and_unknown_ids_are_404(ws) -> None:
    ctx = ws._context
    script_run = ctx.runs.create_run("scripts", new_run_id("scripts"))
    for run_id in (script_run, "no-such-run"):
        with pytest.raises(ServiceException) as raised:
            pipeline_run_entity(ctx, run_id)
        assert raised.value.status_code == 404
