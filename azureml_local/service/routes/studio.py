"""The Studio's pages under ``/studio``: parse the request, call ``azureml_local.studio``, render.

Every route needs the workspace's credential (``auth.require_studio_access``: a ``?token=`` link,
traded for an HttpOnly cookie, or a bearer header). Route functions are plain ``def``: they read
SQLite and blob storage, so Starlette runs them in its thread pool, off the event loop that
hosts the dispatcher and the scheduler.
"""
from __future__ import annotations

import mimetypes
from typing import Any, Callable
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from azureml_local.exceptions import ServiceException, UserErrorException
from azureml_local.service.auth import StudioLogin, require_studio_access, studio_cookie
from azureml_local.studio import assets, endpoints, experiments, files, graph, render, run_view
from azureml_local.studio.errors import NotFound
from azureml_local.studio.experiments import RunFilter

router = APIRouter(prefix="/studio", dependencies=[Depends(require_studio_access)])


def install(app: FastAPI) -> None:
    """Add the Studio to the service's app (its router and the token-to-cookie redirect)."""
    app.include_router(router)
    app.add_exception_handler(StudioLogin, _login)


async def _login(request: Request, exc: StudioLogin) -> Response:
    response = RedirectResponse(exc.location, status_code=303)
    response.set_cookie(studio_cookie(request.app.state.ctx), exc.token, max_age=exc.max_age, path="/studio",
                        httponly=True, samesite="strict")
    return response


def _page(request: Request, template: str, produce: Callable[[], dict[str, Any]]) -> HTMLResponse:
    """Render ``produce()``; a user error is a 400 page, something missing a 404 page, both saying what."""
    ctx = request.app.state.ctx
    try:
        return HTMLResponse(render.page(template, ctx.workspace_name, **produce()))
    except NotFound as exc:
        return _error(ctx, 404, exc.message)
    except ServiceException as exc:
        return _error(ctx, exc.status_code if exc.status_code and 400 <= exc.status_code < 500 else 500, exc.message)
    except UserErrorException as exc:  # PathRefused, a bad filter
        return _error(ctx, 400, exc.message)


def _error(ctx: Any, status: int, message: str) -> HTMLResponse:
    return HTMLResponse(render.page("error.html", ctx.workspace_name, status=status, message=message),
                        status_code=status)


def _file(request: Request, name: str, read: Callable[[], bytes], inline: bool) -> Response:
    """A download (attachment) or, with ``?inline=1``, the file shown in the browser (text/images only)."""
    ctx = request.app.state.ctx
    try:
        data = read()
    except (NotFound, ServiceException) as exc:
        return _error(ctx, 404, exc.message)
    except UserErrorException as exc:  # PathRefused
        return _error(ctx, 400, exc.message)
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if inline and not (media.startswith("image/") and media != "image/svg+xml"):
        media = "text/plain; charset=utf-8"  # never let a run's file render as HTML in the Studio's origin
    base = name.rsplit("/", 1)[-1]
    disposition = "inline" if inline else f"attachment; filename*=UTF-8''{quote(base)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition,
                                                     "X-Content-Type-Options": "nosniff"})


@router.get("")
@router.get("/")
def home(request: Request) -> HTMLResponse:
    ctx = request.app.state.ctx
    return _page(request, "workspace.html", lambda: experiments.workspace_page(ctx))


@router.get("/static/{name}")
def static(name: str) -> Response:
    found = render.static_file(name)
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(found[0], media_type=found[1], headers={"Cache-Control": "max-age=3600"})


@router.get("/experiments/{name}")
def experiment(request: Request, name: str, search: str | None = None, status: str | None = None,
               run_type: str | None = None, tag: str | None = None, sort: str = "submitted", order: str = "desc",
               page: int = 1, page_size: int = 50) -> HTMLResponse:
    ctx = request.app.state.ctx
    flt = RunFilter(status=status or None, run_type=run_type or None, search=search or None, tag=tag or None,
                    sort=sort, descending=order != "asc", page=page, page_size=page_size)
    return _page(request, "experiment.html", lambda: experiments.experiment_page(ctx, name, flt))


@router.get("/runs/{run_id}")
def run(request: Request, run_id: str) -> HTMLResponse:
    ctx = request.app.state.ctx

    def produce() -> dict[str, Any]:
        data = run_view.run_page(ctx, run_id)
        data["graph"] = graph.pipeline_graph(ctx, run_id) if data["is_pipeline"] else None
        return data

    return _page(request, "run.html", produce)


@router.get("/runs/{run_id}/graph")
def run_graph(request: Request, run_id: str) -> HTMLResponse:
    return HTMLResponse(graph.pipeline_graph(request.app.state.ctx, run_id)["svg"])


@router.get("/runs/{run_id}/log")
def run_log(request: Request, run_id: str, name: str, offset: int = 0) -> JSONResponse:
    return JSONResponse(files.tail_log(request.app.state.ctx, run_id, name, offset))


@router.get("/runs/{run_id}/files/{path:path}")
def run_file(request: Request, run_id: str, path: str, inline: bool = False) -> Response:
    return _file(request, path, lambda: files.read_run_file(request.app.state.ctx, run_id, path), inline)


@router.get("/runs/{run_id}/snapshot/{path:path}")
def snapshot_file(request: Request, run_id: str, path: str, inline: bool = False) -> Response:
    return _file(request, path, lambda: files.read_snapshot_file(request.app.state.ctx, run_id, path), inline)


@router.get("/schedules/{schedule_id}")
def schedule(request: Request, schedule_id: str) -> HTMLResponse:
    return _page(request, "schedule.html", lambda: endpoints.schedule_history(request.app.state.ctx, schedule_id))


@router.get("/datastores/{name}")
def datastore(request: Request, name: str, prefix: str = "") -> HTMLResponse:
    return _page(request, "datastore.html", lambda: files.browse_datastore(request.app.state.ctx, name, prefix))


@router.get("/datastores/{name}/blobs/{path:path}")
def blob(request: Request, name: str, path: str, inline: bool = False) -> Response:
    return _file(request, path, lambda: files.read_blob(request.app.state.ctx, name, path), inline)


@router.get("/datasets/{name}")
def dataset(request: Request, name: str, version: int | None = None) -> HTMLResponse:
    return _page(request, "dataset.html", lambda: assets.dataset_page(request.app.state.ctx, name, version))


# the pages of the top bar without parameters: name -> (template, page data of a context)
PAGES: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "pipelines": ("published.html", endpoints.published_page),
    "schedules": ("schedules.html", lambda ctx: {"schedules": endpoints.schedule_summaries(ctx)}),
    "datastores": ("datastores.html", assets.datastores_page),
    "datasets": ("datasets.html", assets.datasets_page),
    **{kind: ("listing.html", lambda ctx, kind=kind: assets.listing(ctx, kind)) for kind in assets.LISTINGS},
}


@router.get("/{kind}")
def top_page(request: Request, kind: str) -> HTMLResponse:
    """Pipelines, schedules, datastores, datasets, models, computes, environments (registered last)."""
    ctx = request.app.state.ctx
    if kind not in PAGES:
        return _error(ctx, 404, f"No Studio page /studio/{kind}; the pages are linked from the top bar.")
    template, produce = PAGES[kind]
    return _page(request, template, lambda: produce(ctx))
