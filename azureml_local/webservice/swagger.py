"""The swagger document of a scoring script decorated with ``inference_schema``.

The SDK's inference server serves ``swagger.json`` built from ``@input_schema``/``@output_schema``;
this builds the same Swagger 2.0 shape from the decorated ``run``'s schemas (``inference_schema``
itself, which the script imported). A script without the decorators has no swagger document.
"""
from __future__ import annotations

import sys
from typing import Any, Callable


def decorated(run: Callable) -> bool:
    """True when ``run`` carries inference_schema decorators (never imports the library otherwise)."""
    if "inference_schema" not in sys.modules:
        return False
    from inference_schema.schema_util import is_schema_decorated

    return bool(is_schema_decorated(run))


def swagger_document(service_name: str, run: Callable) -> dict[str, Any]:
    from inference_schema.schema_util import get_input_schema, get_output_schema

    error = {"type": "object", "properties": {"message": {"type": "string"}}}
    return {
        "swagger": "2.0",
        "info": {"title": service_name, "description": "API specification for the Azure Machine Learning service "
                                                       "{}".format(service_name), "version": "1.0"},
        "schemes": ["http"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {"Bearer": {"type": "apiKey", "name": "Authorization", "in": "header",
                                           "description": "For example: Bearer abc123"}},
        "paths": {
            "/": {"get": {"operationId": "ServiceHealthCheck", "description": "Simple health check endpoint to "
                          "ensure the service is up at any given point.",
                          "responses": {"200": {"description": "If service is up and running, this response will "
                                                "be returned with the content 'Healthy'",
                                                "schema": {"type": "string"}, "examples": {
                                                    "application/json": "Healthy"}},
                                        "default": {"description": "The service failed to execute due to an error.",
                                                    "schema": {"$ref": "#/definitions/ErrorResponse"}}}}},
            "/score": {"post": {"operationId": "RunMLService", "description": "Run web service's model and get the "
                                "prediction output", "security": [{"Bearer": []}],
                                "parameters": [{"name": "serviceInputPayload", "in": "body",
                                                "description": "The input payload for executing the real-time "
                                                               "machine learning service.",
                                                "schema": {"$ref": "#/definitions/ServiceInput"}}],
                                "responses": {"200": {"description": "The service processed the input correctly "
                                                                     "and provided a result prediction, if "
                                                                     "applicable.",
                                                      "schema": {"$ref": "#/definitions/ServiceOutput"}},
                                              "default": {"description": "The service failed to execute due to an "
                                                                         "error.",
                                                          "schema": {"$ref": "#/definitions/ErrorResponse"}}}}},
        },
        "definitions": {"ServiceInput": get_input_schema(run), "ServiceOutput": get_output_schema(run),
                        "ErrorResponse": error},
    }
