"""Run history REST routes with the cloud's paths: what a stored run or experiment URL asks for.

``GET /history/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/
workspaces/{ws}``, then ``/experiments/{name}`` and ``/experiments/{name}/runs/{run_id}``. Read only. The
entities come from ``rest/history.py``; the workspace check and the authentication are the same as the
pipelines API's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from azureml_local.service.rest.history import experiment_entity, run_entity
from azureml_local.service.routes.pipelines import this_workspace

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

WORKSPACE = ("/history/v1.0/subscriptions/{subscription_id}/resourceGroups/{resource_group}"
             "/providers/Microsoft.MachineLearningServices/workspaces/{workspace_name}")
router = APIRouter(prefix=WORKSPACE, tags=["history"])


@router.get("/experiments/{experiment_name}")
async def get_experiment(experiment_name: str, ctx: "WorkspaceContext" = Depends(this_workspace)) -> JSONResponse:
    return JSONResponse(await run_in_threadpool(experiment_entity, ctx, experiment_name))


@router.get("/experiments/{experiment_name}/runs/{run_id}")
async def get_run(experiment_name: str, run_id: str,
                  ctx: "WorkspaceContext" = Depends(this_workspace)) -> JSONResponse:
    return JSONResponse(await run_in_threadpool(run_entity, ctx, experiment_name, run_id))
