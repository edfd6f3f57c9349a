"""What a schedule starts: a published pipeline or a pipeline endpoint (``pipeline/publishing``).

The one place schedules touch the published-pipeline side: existence checks at create time and
the submit at fire time, both on the stores and functions of ``pipeline/publishing/``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from azureml_local.exceptions import ServiceException
from azureml_local.pipeline.publishing.request import SubmitRequest

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext


def check_target(ctx: "WorkspaceContext", pipeline_id: str | None, pipeline_endpoint_id: str | None) -> None:
    """``ServiceException`` (404) unless the published pipeline / pipeline endpoint exists."""
    if pipeline_id is not None and ctx.published.get_pipeline(pipeline_id) is None:
        raise ServiceException(
            f"Published pipeline '{pipeline_id}' was not found in workspace '{ctx.workspace_name}', so no "
            "schedule was created. Use the id of a PublishedPipeline (PublishedPipeline.list(ws) lists them).",
            status_code=404)
    if pipeline_endpoint_id is not None and ctx.published.get_endpoint(pipeline_endpoint_id) is None:
        raise ServiceException(
            f"Pipeline endpoint '{pipeline_endpoint_id}' was not found in workspace '{ctx.workspace_name}', so no "
            "schedule was created. Use the id of a PipelineEndpoint (PipelineEndpoint.list(ws) lists them).",
            status_code=404)


def submit(ctx: "WorkspaceContext", schedule: dict, request: SubmitRequest) -> str:
    """Start the schedule's pipeline (or its endpoint's default version); returns the run id.

    Raises ``SubmissionRejected`` when the target refuses (disabled, gone, bad parameters).
    """
    from azureml_local.pipeline.publishing import submit as publishing  # written by the published-pipeline side

    if schedule["pipeline_endpoint_id"]:
        return publishing.submit_endpoint(ctx, request, endpoint_id=schedule["pipeline_endpoint_id"])
    return publishing.submit_published(ctx, schedule["pipeline_id"], request)
