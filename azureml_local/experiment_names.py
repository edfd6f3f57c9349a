"""The SDK's experiment-name rule, below every layer (REST and schedules check it too)."""
from __future__ import annotations

import re
from typing import Any

from azureml_local.exceptions import UserErrorException

NAME_RE = re.compile(r"^[a-zA-Z0-9][\w\-]{0,254}$")
NAME_RULE = ("Experiment name must be between 1 and 255 characters long. Its first character has to be "
             "alphanumeric, and the rest may contain hyphens and underscores. No whitespace is allowed.")


def is_valid_experiment_name(name: Any) -> bool:
    return isinstance(name, str) and NAME_RE.match(name) is not None


def check_experiment_name(name: Any) -> None:
    """``UserErrorException`` with the SDK's message when ``name`` is not a valid experiment name."""
    if not is_valid_experiment_name(name):
        raise UserErrorException(NAME_RULE)
