"""``rest/payload.py``: what a submit body may look like (no server needed: plain values in, SubmitRequest out)."""
from __future__ import annotations

import json

import pytest

from azureml_local.pipeline.publishing.request import SubmissionRejected
from azureml_local.service.rest.payload import check_content_type, check_length, parse_submission


def _parse(body, content_type: str = "application/json", parent: str | None = None):
    return parse_submission(content_type, json.dumps(body).encode(), parent)


def test_every_field_of_the_sdk_body_is_read() -> None:
    request = _parse({"ExperimentName": "exp", "Description": "d", "RunSource": "SDK", "RunType": "Schedule",
                      "ParameterAssignments": {"a": "1", "b": 2, "c": 0.5, "d": True},
                      "DataPathAssignments": {"p": {"DataStoreName": "workspaceblobstore", "RelativePath": "x"}},
                      "DataSetDefinitionValueAssignments": {"ds": {"SavedDataSetReference": {"Id": "42"}}},
                      "ContinueRunOnStepFailure": True, "EnableNotification": False, "ScheduleId": "s1",
                      "tags": {"t": "v"}, "Properties": {"k": "v"}}, parent="parent-run")
    assert (request.experiment_name, request.description, request.run_source, request.run_type) == \
        ("exp", "d", "SDK", "Schedule")
    assert request.parameter_assignments == {"a": "1", "b": 2, "c": 0.5, "d": True}  # converted by the submit
    assert request.data_path_assignments == {"p": {"DataStoreName": "workspaceblobstore", "RelativePath": "x"}}
    assert request.dataset_assignments == {"ds": {"SavedDataSetReference": {"Id": "42"}}}
    assert (request.continue_on_step_failure, request.schedule_id, request.parent_run_id) == (True, "s1", "parent-run")
    assert (request.tags, request.properties) == ({"t": "v"}, {"k": "v"})


def test_names_match_in_any_case_unknown_fields_are_ignored_and_defaults_apply() -> None:
    request = _parse({"experimentname": "exp", "PARAMETERASSIGNMENTS": {"a": 1}, "somethingNew": [1, 2]})
    assert (request.experiment_name, request.parameter_assignments) == ("exp", {"a": 1})
    assert (request.run_source, request.run_type, request.continue_on_step_failure) == ("SDK", "SDK", None)
    assert (request.tags, request.properties, request.parent_run_id) == ({}, {}, None)


def test_scalar_tags_become_text_and_string_booleans_are_booleans() -> None:
    request = _parse({"ExperimentName": "e", "tags": {"n": 3, "b": True, "none": None},
                      "ContinueRunOnStepFailure": "false"})
    assert request.tags == {"n": "3", "b": "true", "none": ""}
    assert request.continue_on_step_failure is False


def test_a_missing_experiment_name_is_left_to_the_submit_check() -> None:
    assert _parse({"ParameterAssignments": {}}).experiment_name == ""  # submit answers InvalidExperimentName


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "application/json-patch+json; charset=utf-8", "Application/JSON",
                                          "application/vnd.api+json", 'application/json; charset="UTF-8"'])
def test_json_content_types_are_accepted(content_type: str) -> None:
    check_content_type(content_type)


@pytest.mark.parametrize("content_type", [None, "", "text/plain", "text/json", "application/xml",
                                          "multipart/form-data; boundary=x", "application/json; charset=utf-16"])
def test_other_content_types_are_415(content_type) -> None:
    with pytest.raises(SubmissionRejected) as raised:
        check_content_type(content_type)
    assert (raised.value.status, raised.value.code) == (415, "UnsupportedMediaType")


def test_length_is_checked_before_the_body_is_read() -> None:
    check_length(None)
    check_length("10")
    with pytest.raises(SubmissionRejected) as raised:
        check_length(str(5 * 1024 * 1024))
    assert (raised.value.status, raised.value.code) == (413, "RequestEntityTooLarge")


@pytest.mark.parametrize("body, fragment", [
    (b"", "empty"), (b"   ", "empty"), (b"{", "not valid JSON"), (b"[]", "not a JSON array"),
    (b'"x"', "not a JSON string"), (b"3", "not a JSON number"), (b"null", "not a JSON null"),
    (b'{"ExperimentName": 1}', "ExperimentName must be a string"),
    (b'{"ExperimentName": "e", "ParameterAssignments": {"a": [1]}}', "ParameterAssignments['a']"),
    (b'{"ExperimentName": "e", "ParameterAssignments": {"a": null}}', "not a JSON null"),
    (b'{"ExperimentName": "e", "Description": 5}', "Description must be a string"),
    (b'{"ExperimentName": "e", "ContinueRunOnStepFailure": 1}', "true or false"),
    (b'{"ExperimentName": "e", "Properties": []}', "Properties must be a JSON object"),
    (b'{"ExperimentName": "e", "DataSetDefinitionValueAssignments": 3}', "must be a JSON object"),
])
def test_malformed_bodies_are_400_with_a_message_that_says_what_is_wrong(body: bytes, fragment: str) -> None:
    with pytest.raises(SubmissionRejected) as raised:
        parse_submission("application/json", body)
    assert (raised.value.status, raised.value.code) == (400, "InvalidRequestBody")
    assert fragment in raised.value.message
