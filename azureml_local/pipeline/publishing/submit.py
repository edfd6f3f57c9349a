"""Publish a definition, and start a published pipeline or a pipeline endpoint's version.

Works on a ``WorkspaceContext`` and plain values: the SDK classes (``PublishedPipeline``,
``PipelineEndpoint``, ``PipelineDraft``), the REST routes and the scheduler all come through
here. Every check runs before anything is written, so a rejected submission
(:class:`SubmissionRejected`: HTTP status, Azure error code, message) leaves no run behind.
The caller wakes the dispatcher afterwards (``service.control.wake`` in a user process,
``dispatcher.wake()`` inside the service). The codes are listed in docs/publishing.md.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azureml_local.exceptions import UserErrorException
from azureml_local.experiment_names import check_experiment_name
from azureml_local.pipeline.publishing.assignments import resolve_assignments
from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest
from azureml_local.pipeline.start import check_definition, record_pipeline_run

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

ENDPOINT_ID_PROPERTY = "azureml.pipelineEndpointId"
ENDPOINT_VERSION_PROPERTY = "azureml.pipelineEndpointVersion"
SCHEDULE_ID_PROPERTY = "azureml.scheduleId"


def publish_definition(ctx: "WorkspaceContext", definition: dict, name: str | None, description: str | None,
                       version: str | None, continue_on_step_failure: bool | None, *,
                       source_run_id: str | None = None) -> dict:
    """Store ``definition`` as a new Active published pipeline; returns its row (``ctx.published``).

    The definition (with its content-addressed step snapshots) is copied as it is now, so later
    edits of the source folders never change what the published pipeline runs.
    """
    check_definition(definition)
    stored = dict(definition, continue_on_step_failure=bool(continue_on_step_failure))
    return ctx.published.create_pipeline(stored, name, description, None if version is None else str(version),
                                         continue_on_step_failure, source_run_id=source_run_id)


def submit_published(ctx: "WorkspaceContext", pipeline_id: str, request: SubmitRequest) -> str:
    """Start a run of published pipeline ``pipeline_id``; returns the run id (not yet woken)."""
    pipeline = ctx.published.get_pipeline(pipeline_id) if isinstance(pipeline_id, str) else None
    if pipeline is None:
        raise SubmissionRejected(404, "PipelineNotFound", f"No published pipeline with id '{pipeline_id}' exists "
                                 "in this workspace. PublishedPipeline.list(ws) lists them.")
    return _start(ctx, pipeline, request, {})


def submit_endpoint(ctx: "WorkspaceContext", request: SubmitRequest, endpoint_id: str | None = None,
                    name: str | None = None, version: str | None = None) -> str:
    """Start a run of a pipeline endpoint (by id or name) at ``version`` (None: its default version)."""
    endpoint = find_endpoint(ctx, endpoint_id, name)
    if endpoint["status"] != "Active":
        raise SubmissionRejected(409, "PipelineEndpointNotActive", f"Pipeline endpoint '{endpoint['name']}' is "
                                 f"{endpoint['status']}: only an Active endpoint accepts runs. Enable it "
                                 "(PipelineEndpoint.enable() or reactivate(name)) first.")
    wanted = endpoint["default_version"] if version is None or version == "" else str(version)
    pipeline_id = next((v["pipeline_id"] for v in endpoint["versions"] if v["version"] == wanted), None)
    if pipeline_id is None:
        known = ", ".join(v["version"] for v in endpoint["versions"])
        raise SubmissionRejected(404, "PipelineVersionNotFound", f"Pipeline endpoint '{endpoint['name']}' has no "
                                 f"version '{wanted}' (its versions: {known}).")
    pipeline = ctx.published.get_pipeline(pipeline_id)
    properties = {ENDPOINT_ID_PROPERTY: endpoint["id"], ENDPOINT_VERSION_PROPERTY: wanted}
    return _start(ctx, pipeline, request, properties)


def find_endpoint(ctx: "WorkspaceContext", endpoint_id: str | None = None, name: str | None = None) -> dict:
    """The endpoint row by id (else by name); ``SubmissionRejected`` 404 when there is none."""
    if endpoint_id is None and name is None:
        raise SubmissionRejected(400, "PipelineEndpointNotSpecified",
                                 "Give the pipeline endpoint's id or its name.")
    row = ctx.published.get_endpoint(endpoint_id) if endpoint_id is not None else \
        ctx.published.get_endpoint_by_name(name)
    if row is None:
        what = f"id '{endpoint_id}'" if endpoint_id is not None else f"name '{name}'"
        raise SubmissionRejected(404, "PipelineEndpointNotFound", f"No pipeline endpoint with {what} exists in "
                                 "this workspace. PipelineEndpoint.list(ws) lists them.")
    return row


def _start(ctx: "WorkspaceContext", pipeline: dict, request: SubmitRequest, properties: dict[str, str]) -> str:
    if pipeline["status"] != "Active":
        raise SubmissionRejected(409, "PipelineNotActive", f"Published pipeline '{pipeline['name']}' "
                                 f"({pipeline['id']}) is {pipeline['status']}: only an Active published pipeline "
                                 "can be submitted. Enable it with PublishedPipeline.enable() first.")
    _check_experiment(request.experiment_name)
    if request.continue_on_step_failure is not None and not isinstance(request.continue_on_step_failure, bool):
        raise SubmissionRejected(400, "InvalidRequestBody", "ContinueRunOnStepFailure must be true or false.")
    for field in ("tags", "properties"):
        if not isinstance(getattr(request, field), dict):
            raise SubmissionRejected(400, "InvalidRequestBody", f"{field} must be a JSON object of string values.")
    if request.parent_run_id and not ctx.runs.exists(request.parent_run_id):
        raise SubmissionRejected(400, "ParentRunNotFound", f"The parent run '{request.parent_run_id}' does not "
                                 "exist in this workspace.")
    parameters = resolve_assignments(ctx, pipeline["definition"], request)
    props: dict[str, Any] = dict(request.properties)
    props.update(properties)
    if request.schedule_id:
        props[SCHEDULE_ID_PROPERTY] = request.schedule_id
    cosf = request.continue_on_step_failure
    if cosf is None:
        cosf = bool(pipeline["continue_on_step_failure"])
    return record_pipeline_run(ctx, request.experiment_name, pipeline["definition"], parameters,
                               continue_on_step_failure=cosf, tags={str(k): str(v) for k, v in request.tags.items()},
                               parent_run_id=request.parent_run_id or None, pipeline_id=pipeline["id"],
                               run_source=request.run_source or "SDK", run_type=request.run_type or None,
                               properties=props, description=request.description or None)


def _check_experiment(name: Any) -> None:
    if not isinstance(name, str) or not name:
        raise SubmissionRejected(400, "InvalidExperimentName", "ExperimentName is required: the name of the "
                                 "experiment the run goes to (created when it does not exist).")
    try:
        check_experiment_name(name)
    except UserErrorException as exc:
        raise SubmissionRejected(400, "InvalidExperimentName", str(exc)) from None
