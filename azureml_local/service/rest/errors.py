"""Every error the service answers is Azure-shaped: ``{"error": {"code", "message"}}``.

The cloud's pipelines API answers that way, and clients (the SDK, ``requests`` scripts, Data
Factory) read ``error.code``/``error.message``; FastAPI's own ``{"detail": ...}`` bodies, 422
validation answers and HTML tracebacks never reach a client. :func:`install` registers the
handlers on the app; an unexpected exception is logged to ``service.log`` (stderr) with a
request id that the 500 answer quotes, and the answer carries no traceback text.
"""
from __future__ import annotations

import sys
import traceback
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from azureml_local.exceptions import ServiceException, UserErrorException
from azureml_local.pipeline.publishing.request import SubmissionRejected

# Codes of the errors the HTTP layer itself raises (routes, auth, payload); docs/service.md has the table.
CODES_BY_STATUS = {400: "BadRequest", 401: "AuthenticationFailed", 403: "Forbidden", 404: "NotFound",
                   405: "MethodNotAllowed", 406: "NotAcceptable", 409: "Conflict", 413: "RequestEntityTooLarge",
                   415: "UnsupportedMediaType", 422: "BadArgument", 500: "InternalServerError"}


class ApiError(Exception):
    """An answer other than 2xx, raised anywhere below a route: status, Azure code, message, headers."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.headers)


async def _rejected(request: Request, exc: SubmissionRejected) -> JSONResponse:
    return JSONResponse(exc.to_error_body(), status_code=exc.status)


async def _user_error(request: Request, exc: UserErrorException) -> JSONResponse:
    """A component's validation (e.g. the experiment name) raised the SDK's user error: a 400."""
    return error_response(400, "BadArgument", exc.message)


async def _service_error(request: Request, exc: ServiceException) -> JSONResponse:
    """A store's 4xx (e.g. an unknown ``parentRunId``: 404); anything else is a bug."""
    status = exc.status_code or 500
    if not 400 <= status < 500:
        return await _unexpected(request, exc)
    return error_response(status, CODES_BY_STATUS.get(status, "BadRequest"), exc.message)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Routing's 404 (no such URL) and 405 (method), in Azure's shape."""
    code = CODES_BY_STATUS.get(exc.status_code, "BadRequest" if exc.status_code < 500 else "InternalServerError")
    if exc.status_code == 404:
        message = (f"No API of the azureml-local workspace service answers {request.method} {request.url.path}. "
                   f"Pipelines are submitted with POST .../PipelineRuns/PipelineSubmit/<published pipeline id> "
                   f"or .../PipelineRuns/PipelineEndpointSubmit/Id/<endpoint id> (docs/service.md).")
    elif exc.status_code == 405:
        allowed = {k.lower(): v for k, v in (exc.headers or {}).items()}.get("allow", "see docs/service.md")
        message = f"The method {request.method} is not allowed on {request.url.path}; allowed: {allowed}."
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, code, message, dict(exc.headers or {}))


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 for a malformed path or query value, as a 400 naming what was wrong."""
    problems = "; ".join(f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg')}" for err in exc.errors())
    return error_response(400, "BadArgument", f"The request is not valid: {problems}.")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug: log it with a request id (service.log), answer 500 with that id and no traceback."""
    request_id = str(uuid.uuid4())
    print(f"azureml-local service: ERROR: request {request_id} ({request.method} {request.url.path}) failed:\n"
          + "".join(traceback.format_exception(exc)), file=sys.stderr, flush=True)
    return error_response(500, "InternalServerError",
                          f"The azureml-local workspace service failed to handle this request (request id "
                          f"{request_id}); nothing was started. Its log, service.log in the workspace folder, "
                          f"has the details.")


def install(app: FastAPI) -> None:
    """Register the Azure-shaped exception handlers on ``app``."""
    handlers: dict[Any, Any] = {ApiError: _api_error, SubmissionRejected: _rejected, UserErrorException: _user_error,
                                ServiceException: _service_error,
                                StarletteHTTPException: _http_error, RequestValidationError: _validation_error,
                                Exception: _unexpected}
    for exc_type, handler in handlers.items():
        app.add_exception_handler(exc_type, handler)
