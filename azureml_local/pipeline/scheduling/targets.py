"""What a schedule starts: a published pipeline or a pipeline endpoint (``pipeline/publishing``).

The one place schedules touch the published-pipeline side: existence checks at create time and
the submit at fire time, both on the stores and functions of ``pipeline/publishing/``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from azureml_local.exceptions import ServiceException, UserErrorException
from azureml_local.pipeline.publishing import submit as publishing
from azureml_local.pipeline.publishing.assignments import resolve_assignments
from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


def check_target(ctx: "WorkspaceContext", pipeline_id: str | None, pipeline_endpoint_id: str | None) -> None:
    """``ServiceException`` (404) unless the published pipeline / pipeline endpoint exists."""
    if pipeline_id is not None and (not isinstance(pipeline_id, str) or ctx.published.get_pipeline(pipeline_id) is None):
        raise ServiceException(
            f"(PipelineNotFound) Published pipeline '{pipeline_id}' was not found in workspace '{ctx.workspace_name}', so no "
            "schedule was created. Use the id of a PublishedPipeline (PublishedPipeline.list(ws) lists them).",
            status_code=404)
    if pipeline_endpoint_id is not None and (not isinstance(pipeline_endpoint_id, str)
                                             or ctx.published.get_endpoint(pipeline_endpoint_id) is None):
        raise ServiceException(
            f"(PipelineEndpointNotFound) Pipeline endpoint '{pipeline_endpoint_id}' was not found in workspace '{ctx.workspace_name}', so no "
            "schedule was created. Use the id of a PipelineEndpoint (PipelineEndpoint.list(ws) lists them).",
            status_code=404)


def check_assignments(ctx: "WorkspaceContext", pipeline_id: str | None, pipeline_endpoint_id: str | None,
                      submission: dict, data_path_parameter_name: str | None) -> None:
    """``UserErrorException`` when the schedule's pipeline parameters (or its ``data_path_parameter_name``)
    do not fit the pipeline it starts (an endpoint: its default version), so a schedule that could only
    ever fail is not stored."""
    pipeline = _target_pipeline(ctx, pipeline_id, pipeline_endpoint_id)
    if pipeline is None:
        return
    request = SubmitRequest(experiment_name="check", parameter_assignments=submission["parameter_assignments"],
                            data_path_assignments=submission["data_path_assignments"],
                            dataset_assignments=submission["dataset_assignments"])
    try:
        resolve_assignments(ctx, pipeline["definition"], request)
    except SubmissionRejected as exc:
        raise UserErrorException(f"({exc.code}) {exc.message}") from None
    if data_path_parameter_name is not None:
        spec = (pipeline["definition"].get("parameters") or {}).get(data_path_parameter_name) or {}
        if spec.get("type") != "DataPath":
            raise UserErrorException(
                f"data_path_parameter_name '{data_path_parameter_name}' is not a DataPath PipelineParameter of "
                f"pipeline '{pipeline['name']}': the schedule sets it to each new blob. Declare it as "
                "PipelineParameter(name, default_value=DataPath(datastore, path)).")


def _target_pipeline(ctx: "WorkspaceContext", pipeline_id: str | None, pipeline_endpoint_id: str | None) -> dict | None:
    if pipeline_id is not None:
        return ctx.published.get_pipeline(pipeline_id)
    endpoint = ctx.published.get_endpoint(pipeline_endpoint_id) if pipeline_endpoint_id else None
    if endpoint is None:
        return None
    version = next((v for v in endpoint["versions"] if v["version"] == endpoint["default_version"]), None)
    return ctx.published.get_pipeline(version["pipeline_id"]) if version else None


def submit(ctx: "WorkspaceContext", schedule: dict, request: SubmitRequest) -> str:
    """Start the schedule's pipeline (or its endpoint's default version); returns the run id.

    Raises ``SubmissionRejected`` when the target refuses (disabled, gone, bad parameters).
    """
    if schedule["pipeline_endpoint_id"]:
        return publishing.submit_endpoint(ctx, request, endpoint_id=schedule["pipeline_endpoint_id"])
    return publishing.submit_published(ctx, schedule["pipeline_id"], request)
