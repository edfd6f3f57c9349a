"""submit_published / submit_endpoint: REST-style assignments reach the step's argv; every rejection has its
status and code and leaves nothing behind (rows counted before and after)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from azureml.core import Dataset, Experiment
from azureml.pipeline.core import PipelineRun
from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest
from azureml_local.pipeline.publishing.submit import publish_definition, submit_endpoint, submit_published
from azureml_local.service import control as service_control

PARAMETERS = {
    "rate": {"type": "scalar", "value_type": "float", "default": 0.5},
    "count": {"type": "scalar", "value_type": "int", "default": 3},
    "flag": {"type": "scalar", "value_type": "bool", "default": False},
    "word": {"type": "scalar", "value_type": "string", "default": "w"},
    "where": {"type": "DataPath", "default": {"datastore": "workspaceblobstore", "path": "data/default.csv"}},
    "data": {"type": "dataset", "default": {"id": None, "name": None, "version": None, "type": "file"}},
}


@pytest.fixture
def definition(tmp_path: Path) -> dict:
    src = tmp_path / "src"
    src.mkdir()
    (src / "show.py").write_text("import sys\nprint('ARGV', sys.argv[1:])\n")
    arguments = []
    for name in ("rate", "count", "flag", "word", "where"):
        arguments += [{"literal": f"--{name}"}, {"parameter": name}]
    step = {"node_id": "aaaa0001", "name": "show", "kind": "PythonScriptStep", "compute_target": "local",
            "source_directory": str(src), "script_name": "show.py", "arguments": arguments, "inputs": [],
            "outputs": [], "allow_reuse": False, "fingerprint": "fp-show", "fingerprint_parts": {}}
    return {"version": 1, "parameters": PARAMETERS, "steps": [step]}


def _finished_argv(ws, experiment: str, run_id: str) -> str:
    service_control.wake(ws)
    run = PipelineRun(Experiment(ws, experiment), run_id)
    assert run.wait_for_completion(show_output=False) == "Finished"
    [step] = list(run.get_steps())
    return step.get_stdout_log()


def test_rest_style_values_reach_the_step(ws, definition):
    ctx = ws._context
    row = publish_definition(ctx, definition, "p", "d", "1", None)
    request = SubmitRequest(experiment_name="rest", run_source="Unknown", run_type="HTTP",
                            parameter_assignments={"rate": "0.1", "count": "20", "flag": "true", "word": 7},
                            data_path_assignments={"where": {"DataStoreName": "workspaceblobstore",
                                                             "RelativePath": "in/new.csv"}},
                            tags={"t": 1}, properties={"p": "v"}, schedule_id="sched-1")
    run_id = submit_published(ctx, row["id"], request)
    props = ctx.runs.properties(run_id)
    assert (props["runSource"], props["runType"], props["azureml.pipelineid"]) == ("Unknown", "HTTP", row["id"])
    assert (props["p"], props["azureml.scheduleId"]) == ("v", "sched-1") and ctx.runs.tags(run_id)["t"] == "1"
    out = _finished_argv(ws, "rest", run_id)
    assert "['--rate', '0.1', '--count', '20', '--flag', 'True', '--word', '7', '--where', 'in/new.csv']" in out


def test_endpoint_version_and_continue_on_step_failure(ws, definition):
    ctx = ws._context
    first = publish_definition(ctx, definition, "first", None, None, True)
    second = publish_definition(ctx, definition, "second", None, None, None)
    endpoint = ctx.published.create_endpoint("ep", "d", first["id"])
    ctx.published.add_endpoint_version(endpoint["id"], second["id"])
    run_id = submit_endpoint(ctx, SubmitRequest(experiment_name="e"), name="ep")
    assert ctx.pipeline_runs.get(run_id)["pipeline_id"] == first["id"]
    assert ctx.pipeline_runs.get(run_id)["continue_on_step_failure"] == 1  # the published setting
    props = ctx.runs.properties(run_id)
    assert (props["azureml.pipelineEndpointId"], props["azureml.pipelineEndpointVersion"]) == (endpoint["id"], "0")
    run_id = submit_endpoint(ctx, SubmitRequest(experiment_name="e", continue_on_step_failure=False),
                             endpoint_id=endpoint["id"], version="1")
    row = ctx.pipeline_runs.get(run_id)
    assert (row["pipeline_id"], row["continue_on_step_failure"]) == (second["id"], 0)


def test_dataset_assignments(ws, definition):
    ctx = ws._context
    ds = Dataset.File.from_files((ws.get_default_datastore(), "data/*.csv"), validate=False)
    registered = ds.register(ws, "files")
    row = publish_definition(ctx, definition, "p", None, None, None)
    for value in ({"SavedDataSetReference": {"Id": registered.id}}, {"DataSetReference": {"Name": "files"}},
                  {"DataSetReference": {"Id": registered.id}}):
        run_id = submit_published(ctx, row["id"], SubmitRequest(experiment_name="e", dataset_assignments={"data": value}))
        stored = json.loads(ctx.pipeline_runs.get(run_id)["parameters"])["data"]
        assert stored["id"] == registered.id and stored["name"] == "files"


def _counts(ws) -> tuple:
    db = ws._context.db
    return tuple(db.query_one(f"SELECT COUNT(*) FROM {t}")[0] for t in ("runs", "pipeline_runs", "experiments"))


BAD = [
    ({"experiment_name": ""}, 400, "InvalidExperimentName"),
    ({"experiment_name": None}, 400, "InvalidExperimentName"),
    ({"experiment_name": "bad name!"}, 400, "InvalidExperimentName"),
    ({"parameter_assignments": {"nope": "1"}}, 400, "UnknownPipelineParameter"),
    ({"parameter_assignments": {"rate": "abc"}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"rate": True}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"count": "1.5"}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"count": 1.5}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"flag": "yes"}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"flag": 1}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"word": None}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"word": ["a"]}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"rate": "nan"}}, 400, "InvalidParameterValue"),
    ({"parameter_assignments": {"where": "a/b.csv"}}, 400, "InvalidParameterAssignment"),
    ({"parameter_assignments": {"data": "x"}}, 400, "InvalidParameterAssignment"),
    ({"parameter_assignments": ["rate"]}, 400, "InvalidRequestBody"),
    ({"data_path_assignments": {"rate": {"DataStoreName": "workspaceblobstore", "RelativePath": "x"}}}, 400,
     "InvalidDataPathAssignment"),
    ({"data_path_assignments": {"where": {"DataStoreName": "nostore", "RelativePath": "x"}}}, 400,
     "DatastoreNotFound"),
    ({"data_path_assignments": {"where": {"RelativePath": "x"}}}, 400, "InvalidDataPathAssignment"),
    ({"data_path_assignments": {"where": "x"}}, 400, "InvalidDataPathAssignment"),
    ({"data_path_assignments": {"nope": {"DataStoreName": "workspaceblobstore", "RelativePath": "x"}}}, 400,
     "UnknownPipelineParameter"),
    ({"dataset_assignments": {"data": {"SavedDataSetReference": {"Id": "missing"}}}}, 400, "DatasetNotFound"),
    ({"dataset_assignments": {"data": {"DataSetReference": {"Name": "missing"}}}}, 400, "DatasetNotFound"),
    ({"dataset_assignments": {"data": {"Other": 1}}}, 400, "InvalidDataSetAssignment"),
    ({"dataset_assignments": {"rate": {"SavedDataSetReference": {"Id": "x"}}}}, 400, "InvalidDataSetAssignment"),
    ({"continue_on_step_failure": "yes"}, 400, "InvalidRequestBody"),
    ({"tags": ["a"]}, 400, "InvalidRequestBody"),
    ({"parent_run_id": "no-such-run"}, 400, "ParentRunNotFound"),
]


@pytest.mark.parametrize("fields, status, code", BAD)
def test_rejections_leave_nothing_behind(ws, definition, fields, status, code):
    ctx = ws._context
    row = publish_definition(ctx, definition, "p", None, None, None)
    endpoint = ctx.published.create_endpoint("ep", None, row["id"])
    before = _counts(ws)
    for submit in (lambda r: submit_published(ctx, row["id"], r), lambda r: submit_endpoint(ctx, r, name="ep")):
        request = SubmitRequest(**dict({"experiment_name": "exp"}, **fields))
        with pytest.raises(SubmissionRejected) as info:
            submit(request)
        assert (info.value.status, info.value.code) == (status, code), info.value.message
        assert info.value.to_error_body() == {"error": {"code": code, "message": info.value.message}}
    assert _counts(ws) == before
    assert endpoint["id"]


def test_unknown_ids_and_inactive_pipelines(ws, definition):
    ctx = ws._context
    row = publish_definition(ctx, definition, "p", None, None, None)
    endpoint = ctx.published.create_endpoint("ep", None, row["id"])
    before = _counts(ws)
    cases = [
        (lambda: submit_published(ctx, "missing", SubmitRequest("e")), 404, "PipelineNotFound"),
        (lambda: submit_endpoint(ctx, SubmitRequest("e"), endpoint_id="missing"), 404, "PipelineEndpointNotFound"),
        (lambda: submit_endpoint(ctx, SubmitRequest("e"), name="missing"), 404, "PipelineEndpointNotFound"),
        (lambda: submit_endpoint(ctx, SubmitRequest("e")), 400, "PipelineEndpointNotSpecified"),
        (lambda: submit_endpoint(ctx, SubmitRequest("e"), name="ep", version="3"), 404, "PipelineVersionNotFound"),
    ]
    for call, status, code in cases:
        with pytest.raises(SubmissionRejected) as info:
            call()
        assert (info.value.status, info.value.code) == (status, code)
    ctx.published.set_pipeline_status(row["id"], "Deprecated")
    for call in (lambda: submit_published(ctx, row["id"], SubmitRequest("e")),
                 lambda: submit_endpoint(ctx, SubmitRequest("e"), name="ep")):
        with pytest.raises(SubmissionRejected) as info:
            call()
        assert (info.value.status, info.value.code) == (409, "PipelineNotActive")
    ctx.published.set_pipeline_status(row["id"], "Active")
    ctx.published.update_endpoint(endpoint["id"], status="Disabled")
    with pytest.raises(SubmissionRejected) as info:
        submit_endpoint(ctx, SubmitRequest("e"), endpoint_id=endpoint["id"])
    assert (info.value.status, info.value.code) == (409, "PipelineEndpointNotActive")
    assert _counts(ws) == before


def test_a_pipeline_without_parameters_ignores_assignments(ws, definition):
    """The versioned-endpoint notebook POSTs {"1": "united", "2": "city"} to a pipeline without parameters."""
    ctx = ws._context
    row = publish_definition(ctx, dict(definition, parameters={}), "p", None, None, None)
    run_id = submit_published(ctx, row["id"], SubmitRequest("e", parameter_assignments={"1": "united", "2": "city"}))
    assert ctx.pipeline_runs.get(run_id)["parameters"] == "{}"
