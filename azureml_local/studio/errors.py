"""What a Studio page or download refuses (400) or cannot find (404); both say what to do instead."""
from __future__ import annotations

from azureml_local.exceptions import UserErrorException


class PathRefused(UserErrorException):
    """A requested path that could leave its root (``..``, absolute, NUL): answered 400, nothing read."""


class NotFound(UserErrorException):
    """No such run file, snapshot file, blob, experiment or dataset: answered 404."""
