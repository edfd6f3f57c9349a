"""The workspace service's ASGI app: FastAPI app factory and lifespan.

One event loop per workspace hosts everything long-lived: the dispatcher task, the scheduler
task and the HTTP routers under ``service/routes/`` (``system``: /health, /wake; ``pipelines``:
the pipelines REST API). Routes only parse, call a component and serialise; the logic lives in
the components (``dispatcher.py``, ``pipeline/publishing/submit.py``, the stores).

Every request carries a bearer token of this workspace or this home (``service/auth.py``): the
port is on loopback, which every local user shares. Every error is answered Azure-shaped
(``service/rest/errors.py``). FastAPI is imported only here, in ``routes/`` and in
``rest/errors.py``, so user processes (``import azureml.core``) never load it.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, AsyncIterator

from fastapi import Depends, FastAPI

from azureml_local.service.auth import require_token
from azureml_local.service.rest import errors
from azureml_local.service.routes import history, pipelines, studio, system
from azureml_local.service.scheduler import Scheduler

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext
    from azureml_local.service.dispatcher import Dispatcher


def create_app(ctx: "WorkspaceContext", dispatcher: "Dispatcher") -> FastAPI:
    """The app of one workspace's service (``app.state``: ``ctx``, ``dispatcher``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        dispatcher.start()  # already running when the process started it before importing us
        dispatcher.serving()
        scheduler = Scheduler(ctx, on_fire=dispatcher.wake)
        app.state.scheduler = scheduler
        scheduler.start()
        try:
            yield
        finally:
            await scheduler.stop()
            await dispatcher.shutdown()

    app = FastAPI(title="azureml-local workspace service", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ctx = ctx
    app.state.dispatcher = dispatcher
    protected = [Depends(require_token)]
    errors.install(app)
    app.include_router(system.router, dependencies=protected)
    app.include_router(pipelines.router, dependencies=protected)
    app.include_router(history.router, dependencies=protected)
    studio.install(app)  # /studio pages: same tokens, also as a cookie (routes/studio.py)
    return app
