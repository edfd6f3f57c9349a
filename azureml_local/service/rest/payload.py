"""The body of a pipelines submit (``PipelineSubmissionInfo``) -> :class:`SubmitRequest`.

Checks only the JSON shape, the way the cloud's deserialiser does: property names match
case-insensitively, unknown properties are ignored, ``ParameterAssignments`` values may be strings
or JSON scalars (the SDK sends strings; the public docs' examples send numbers). Whether the
experiment name is valid, a parameter exists, a value fits its type or a datastore/dataset
assignment names something real is the submit component's business
(``pipeline/publishing/submit.py`` and ``assignments.py``), which knows the pipeline. Every
rejection is a :class:`SubmissionRejected` (400 ``InvalidRequestBody``; 413; 415 for a body not
declared JSON), so nothing is recorded. Plain Python: no FastAPI here.
"""
from __future__ import annotations

import json
from typing import Any

from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest

MAX_BODY_BYTES = 4 * 1024 * 1024
JSON_TYPES = ("application/json",)  # and any application/*+json (the SDK sends application/json-patch+json)
INVALID = "InvalidRequestBody"  # the code the submit component uses for a malformed body too


def check_content_type(content_type: str | None) -> None:
    """415 unless the body is declared JSON (``application/json`` or ``application/<x>+json``, UTF-8)."""
    media, _, params = (content_type or "").partition(";")
    media = media.strip().lower()
    charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in params.split(";")
                    if p.strip().lower().startswith("charset=")), "utf-8")
    is_json = media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))
    if not is_json or charset not in ("utf-8", "utf8"):
        raise SubmissionRejected(415, "UnsupportedMediaType",
                                 f"The request body must be JSON (Content-Type: application/json), not "
                                 f"{content_type or 'undeclared'!r}. With curl: -H 'Content-Type: application/json'.")


def check_length(content_length: str | None) -> None:
    """413 before reading a body declared larger than :data:`MAX_BODY_BYTES`."""
    try:
        declared = int(content_length or 0)
    except ValueError:
        return  # not a number: the server's HTTP parser has already answered
    if declared > MAX_BODY_BYTES:
        raise _too_large(declared)


def _too_large(size: int) -> SubmissionRejected:
    return SubmissionRejected(413, "RequestEntityTooLarge",
                              f"The request body has {size} bytes; at most {MAX_BODY_BYTES} are accepted.")


def parse_submission(content_type: str | None, body: bytes, parent_run_id: str | None = None) -> SubmitRequest:
    """The :class:`SubmitRequest` a submit's headers and body describe; SubmissionRejected otherwise."""
    if not body.strip():
        raise _invalid("The request body is empty: send a JSON object with at least ExperimentName, e.g. "
                       '{"ExperimentName": "my-experiment", "ParameterAssignments": {"p": 1}}.')
    check_content_type(content_type)
    if len(body) > MAX_BODY_BYTES:
        raise _too_large(len(body))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _invalid(f"The request body is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise _invalid(f"The request body must be a JSON object (PipelineSubmissionInfo), not a JSON "
                       f"{_json_type(data)}.")
    return submission_from_dict(data, parent_run_id)


def submission_from_dict(data: dict, parent_run_id: str | None = None) -> SubmitRequest:
    """A decoded ``PipelineSubmissionInfo`` object -> :class:`SubmitRequest`."""
    fields = {str(key).lower(): value for key, value in data.items()}

    def get(name: str) -> Any:
        return fields.get(name.lower())

    experiment_name = get("ExperimentName")  # missing or invalid: the submit's InvalidExperimentName
    experiment_name = "" if experiment_name is None else _string("ExperimentName", experiment_name)
    return SubmitRequest(
        experiment_name=experiment_name,
        description=_optional_string("Description", get("Description")),
        run_source=_optional_string("RunSource", get("RunSource")) or "SDK",
        run_type=_optional_string("RunType", get("RunType")) or "SDK",
        parameter_assignments=_parameters(get("ParameterAssignments")),
        data_path_assignments=_object("DataPathAssignments", get("DataPathAssignments")),
        dataset_assignments=_object("DataSetDefinitionValueAssignments", get("DataSetDefinitionValueAssignments")),
        continue_on_step_failure=_optional_bool("ContinueRunOnStepFailure", get("ContinueRunOnStepFailure")),
        tags=_string_map("tags", get("tags")),
        properties=_string_map("Properties", get("Properties")),
        parent_run_id=parent_run_id or None,
        schedule_id=_optional_string("ScheduleId", get("ScheduleId")),
    )


# -- field shapes --------------------------------------------------------------------------------
def _invalid(message: str) -> SubmissionRejected:
    return SubmissionRejected(400, INVALID, message)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array",
            dict: "object"}.get(type(value), type(value).__name__)


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid(f"{name} must be a string, not a JSON {_json_type(value)}.")
    return value


def _optional_string(name: str, value: Any) -> str | None:
    return None if value is None else _string(name, value)


def _optional_bool(name: str, value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"  # the cloud's deserialiser reads "true"/"false" strings too
    raise _invalid(f"{name} must be true or false, not {json.dumps(value)}.")


def _object(name: str, value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _invalid(f"{name} must be a JSON object, not a JSON {_json_type(value)}.")
    return value


def _parameters(value: Any) -> dict[str, Any]:
    """Names -> strings or JSON scalars (kept as sent: the submit converts them to each parameter's type)."""
    params = _object("ParameterAssignments", value)
    for key, item in params.items():
        if isinstance(item, (dict, list)) or item is None:
            raise _invalid(f"ParameterAssignments['{key}'] must be a string, number or boolean, not a JSON "
                           f"{_json_type(item)}. A datastore path goes in DataPathAssignments, a dataset in "
                           f"DataSetDefinitionValueAssignments.")
    return dict(params)


def _string_map(name: str, value: Any) -> dict[str, str]:
    """``{str: str}``; scalars are accepted as their text, as the cloud's deserialiser does."""
    items = _object(name, value)
    out = {}
    for key, item in items.items():
        if isinstance(item, (dict, list)):
            raise _invalid(f"{name}['{key}'] must be a string, not a JSON {_json_type(item)}.")
        out[key] = "" if item is None else (json.dumps(item) if isinstance(item, bool) else str(item))
    return out
