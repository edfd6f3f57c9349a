"""The SDK's exception hierarchy (``azureml.exceptions``), same names and messages.

``str(exc)`` follows the SDK's layout::

    UserErrorException:
    	Message: <message>
    	InnerException None
    	ErrorResponse
    {"error": {"message": "<message>"}}
"""
from __future__ import annotations

import json
import sys
from typing import Any


class AzureMLException(Exception):
    """Base class of every Azure ML exception."""

    def __init__(self, exception_message: str, inner_exception: Any = None, target: str | None = None,
                 details: Any = None, message_format: str | None = None,
                 message_parameters: dict | None = None, reference_code: str | None = None, **kwargs: Any):
        Exception.__init__(self, exception_message)
        self._exception_message = exception_message
        self._inner_exception = inner_exception
        self._exc_info = sys.exc_info()
        self._target = target
        self._details = details
        self._message_format = message_format
        self._message_parameters = message_parameters
        self._reference_code = reference_code
        self._azureml_error = kwargs.pop("azureml_error", None)

    @property
    def message(self) -> str:
        return self._exception_message

    @message.setter
    def message(self, value: str) -> None:
        self._exception_message = value

    @property
    def inner_exception(self) -> Any:
        return self._inner_exception

    @inner_exception.setter
    def inner_exception(self, value: Any) -> None:
        self._inner_exception = value

    def _serialize_json(self, indent: int | None = None, filter_fields: list | None = None) -> str:
        error: dict[str, Any] = {"message": self.message}
        if self._target:
            error["target"] = self._target
        if self._details:
            error["details"] = self._details
        return json.dumps({"error": error}, indent=indent)

    def _contents(self) -> str:
        return "{}:\n\tMessage: {}\n\tInnerException {}\n\tErrorResponse \n{}".format(
            self.__class__.__name__, self.message, self.inner_exception, self._serialize_json(indent=4))

    def __str__(self) -> str:
        return self._contents()

    def __repr__(self) -> str:
        return self._contents()

    def print_stacktrace(self) -> None:
        import traceback

        traceback.print_exception(*self._exc_info)


class AzureMLAggregatedException(AzureMLException):
    """Several errors reported together (one message per line)."""

    def __init__(self, exceptions_list: list, **kwargs: Any):
        super().__init__("\n".join(str(e) for e in exceptions_list), **kwargs)
        self.exceptions_list = exceptions_list


class ServiceException(AzureMLException):
    """An error answered by the (local) service."""

    def __init__(self, exception_message: str = "", status_code: int | None = None, **kwargs: Any):
        super().__init__(exception_message, **kwargs)
        self.status_code = status_code
        self.details: list = list(self._details or [])


class TrainingException(AzureMLException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class ExperimentExecutionException(AzureMLException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class ProjectSystemException(AzureMLException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class SnapshotException(AzureMLException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class RunEnvironmentException(AzureMLException):
    def __init__(self, **kwargs: Any):
        super().__init__(
            "Could not load a submitted run, if outside of an execution context, use "
            "experiment.start_logging to initialize an azureml.core.Run.", **kwargs)


class WorkspaceException(AzureMLException):
    def __init__(self, exception_message: str, found_multiple: bool = False, **kwargs: Any):
        super().__init__(exception_message, **kwargs)
        self.found_multiple = found_multiple


class WorkspacePrivateEndpointException(AzureMLException):
    def __init__(self, exception_message: str, found_multiple: bool = False, **kwargs: Any):
        super().__init__(exception_message, **kwargs)
        self.found_multiple = found_multiple


class ComputeTargetException(AzureMLException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class UserErrorException(AzureMLException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class AuthenticationException(UserErrorException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class RunConfigurationException(AzureMLException):
    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class WebserviceException(AzureMLException):
    def __init__(self, exception_message: str, status_code: int | None = None, logger: Any = None, **kwargs: Any):
        super().__init__(exception_message, **kwargs)
        self.status_code = status_code


class ModelNotFoundException(AzureMLException):
    def __init__(self, exception_message: str, logger: Any = None, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class ModelPathNotFoundException(AzureMLException):
    def __init__(self, exception_message: str, logger: Any = None, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class DiscoveryUrlNotFoundException(AzureMLException):
    def __init__(self, discovery_key: str, **kwargs: Any):
        super().__init__(
            "Could not load discovery key {}, from environment variables.".format(discovery_key), **kwargs)


class ActivityFailedException(AzureMLException):
    def __init__(self, error_details: str, **kwargs: Any):
        super().__init__("Activity Failed:\n{}".format(error_details), **kwargs)


class ActivityCanceledException(AzureMLException):
    def __init__(self, cancellation_source: str | None = None, **kwargs: Any):
        super().__init__("Activity Canceled", **kwargs)


class DatasetTimestampMissingError(AzureMLException):
    def __init__(self, error_details: str, **kwargs: Any):
        super().__init__(error_details, **kwargs)


class ParallelRunException(AzureMLException):
    def __init__(self, exception_message: str, code: str | None = None, delay_seconds: float = 0, **kwargs: Any):
        super().__init__(exception_message, **kwargs)
        self.code = code
        self.delay_seconds = delay_seconds
