"""The pipelines REST API: start a published pipeline or a pipeline endpoint with a POST.

The paths are the cloud's (``PublishedPipeline.endpoint``, ``PipelineEndpoint.endpoint``), under
``/pipelines/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/
workspaces/{ws}``; the SDK's REST client, ``requests.post(endpoint, headers=auth, json=...)`` and
Data Factory's "Machine Learning Execute Pipeline" activity all post there:

* ``PipelineRuns/PipelineSubmit/{pipeline_id}``
* ``PipelineRuns/PipelineEndpointSubmit/Id/{endpoint_id}[/{version}]`` (``?pipelineVersion=`` too)
* ``PipelineRuns/PipelineEndpointSubmit/Name?name=<name>[&pipelineVersion=<v>]``
* ``GET PipelineRuns/{run_id}``: the run's entity

Each handler parses (``rest/payload.py``), calls the submit component
(``pipeline/publishing/submit.py``, which validates against the stored pipeline and records the
run in one transaction), wakes the dispatcher and serialises (``rest/entities.py``). Errors are
answered by ``rest/errors.py``; authentication is the router's dependency (``auth.py``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from azureml_local.pipeline.publishing import submit
from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest
from azureml_local.service.rest.entities import pipeline_run_entity
from azureml_local.service.rest.errors import ApiError
from azureml_local.service.rest.payload import check_length, parse_submission

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

WORKSPACE = ("/pipelines/v1.0/subscriptions/{subscription_id}/resourceGroups/{resource_group}"
             "/providers/Microsoft.MachineLearningServices/workspaces/{workspace_name}")
router = APIRouter(prefix=WORKSPACE, tags=["pipelines"])


def this_workspace(request: Request, subscription_id: str, resource_group: str,
                   workspace_name: str) -> "WorkspaceContext":
    """The service's workspace when the path names it (ARM names compare case-insensitively); 404 otherwise."""
    ctx = request.app.state.ctx
    named = (subscription_id, resource_group, workspace_name)
    if tuple(p.lower() for p in named) != (ctx.subscription_id.lower(), ctx.resource_group.lower(),
                                           ctx.workspace_name.lower()):
        raise ApiError(404, "ResourceNotFound",
                       f"The workspace '{workspace_name}' in resource group '{resource_group}' of subscription "
                       f"'{subscription_id}' is not served here: this service serves workspace "
                       f"'{ctx.workspace_name}' (resource group '{ctx.resource_group}', subscription "
                       f"'{ctx.subscription_id}'). Use the URL that PublishedPipeline.endpoint or "
                       f"PipelineEndpoint.endpoint gives.")
    return ctx


async def submission(request: Request, parentRunId: str | None = Query(None)) -> SubmitRequest:  # noqa: N803
    """The request's body as a :class:`SubmitRequest` (400/413/415 when it is not one)."""
    check_length(request.headers.get("content-length"))
    return parse_submission(request.headers.get("content-type"), await request.body(), parentRunId)


def version_of(path_version: str | None, pipelineVersion: str | None) -> str | None:  # noqa: N803
    """The endpoint version from the path and/or ``?pipelineVersion=`` (the SDK sends both)."""
    if path_version is not None and pipelineVersion is not None and path_version != pipelineVersion:
        raise SubmissionRejected(400, "BadArgument", f"The URL names version '{path_version}' and "
                                 f"pipelineVersion='{pipelineVersion}': give one version.")
    return path_version if path_version is not None else pipelineVersion


@router.post("/PipelineRuns/PipelineSubmit/{pipeline_id}")
async def submit_published_pipeline(pipeline_id: str, request: Request,
                                    ctx: "WorkspaceContext" = Depends(this_workspace),
                                    body: SubmitRequest = Depends(submission)) -> JSONResponse:
    run_id = await run_in_threadpool(submit.submit_published, ctx, pipeline_id, body)
    return await _started(request, ctx, run_id)


@router.post("/PipelineRuns/PipelineEndpointSubmit/Id/{endpoint_id}")
async def submit_endpoint_by_id(endpoint_id: str, request: Request, pipelineVersion: str | None = None,  # noqa: N803
                                ctx: "WorkspaceContext" = Depends(this_workspace),
                                body: SubmitRequest = Depends(submission)) -> JSONResponse:
    return await _submit_endpoint(request, ctx, body, endpoint_id=endpoint_id,
                                  version=version_of(None, pipelineVersion))


@router.post("/PipelineRuns/PipelineEndpointSubmit/Id/{endpoint_id}/{version}")
async def submit_endpoint_version(endpoint_id: str, version: str, request: Request,
                                  pipelineVersion: str | None = None,  # noqa: N803
                                  ctx: "WorkspaceContext" = Depends(this_workspace),
                                  body: SubmitRequest = Depends(submission)) -> JSONResponse:
    return await _submit_endpoint(request, ctx, body, endpoint_id=endpoint_id,
                                  version=version_of(version, pipelineVersion))


@router.post("/PipelineRuns/PipelineEndpointSubmit/Name")
async def submit_endpoint_by_name(request: Request, name: str | None = None,
                                  pipelineVersion: str | None = None,  # noqa: N803
                                  ctx: "WorkspaceContext" = Depends(this_workspace),
                                  body: SubmitRequest = Depends(submission)) -> JSONResponse:
    if not name:
        raise SubmissionRejected(400, "BadArgument", "The query parameter 'name' is required: "
                                 ".../PipelineRuns/PipelineEndpointSubmit/Name?name=<pipeline endpoint name>.")
    return await _submit_endpoint(request, ctx, body, name=name, version=version_of(None, pipelineVersion))


@router.get("/PipelineRuns/{run_id}")
async def get_pipeline_run(run_id: str, ctx: "WorkspaceContext" = Depends(this_workspace)) -> JSONResponse:
    return JSONResponse(await run_in_threadpool(pipeline_run_entity, ctx, run_id))


async def _submit_endpoint(request: Request, ctx: "WorkspaceContext", body: SubmitRequest,
                           **target: str | None) -> JSONResponse:
    run_id = await run_in_threadpool(submit.submit_endpoint, ctx, body, **target)
    return await _started(request, ctx, run_id)


async def _started(request: Request, ctx: "WorkspaceContext", run_id: str) -> JSONResponse:
    """Wake the dispatcher (same process: no HTTP), then answer the new run's entity."""
    request.app.state.dispatcher.wake()
    return JSONResponse(await run_in_threadpool(pipeline_run_entity, ctx, run_id))
