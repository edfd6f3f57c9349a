"""Name rules shared by input and output data configs (the SDK's ``_validate_name``)."""
from __future__ import annotations

import logging
import re

from azureml_local.exceptions import UserErrorException

_PROHIBITED = {"path", "ld_library_path", "user", "logname", "home", "pwd", "shell"}


def validate_name(name: str, mode: str) -> str:
    if not name:
        raise UserErrorException(f"Invalid {mode} name. Name cannot be empty or None, please use a valid name.")
    if name.lower() in _PROHIBITED:
        logging.getLogger().warning(
            f'{mode.capitalize()} name "{name}" has the potential to collide with common environment variable names '
            "and can lead to unexpected behavior. Please consider using a different name. This will result in an "
            "error in future versions of the SDK.")
    if re.search(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$", name):
        return name
    raise UserErrorException(f'Invalid {mode} name "{name}". The name can only be alphanumeric characters and '
                             "underscore, and must not begin with a number.")
