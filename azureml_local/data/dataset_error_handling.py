"""``azureml.data.dataset_error_handling``: the dataset validation/execution exceptions."""
from __future__ import annotations

from typing import Any

from azureml_local.exceptions import UserErrorException


class DatasetValidationError(UserErrorException):
    """Data could not be loaded while validating a dataset (e.g. a glob matched nothing)."""

    def __init__(self, message: str, exception: Any = None):
        self.inner_exception = exception
        self.error_code = getattr(exception, "error_code", None)
        self.validation_error_code = getattr(exception, "validation_error_code", None)
        self.compliant_message = getattr(exception, "compliant_message", None)
        super().__init__(message)


class DatasetExecutionError(UserErrorException):
    """Reading a dataset failed."""

    def __init__(self, message: str, exception: Any):
        self.inner_exception = exception
        self.error_code = getattr(exception, "error_code", None)
        self.validation_error_code = getattr(exception, "validation_error_code", None)
        self.compliant_message = getattr(exception, "compliant_message", None)
        super().__init__(message)
