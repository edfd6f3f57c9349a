"""The exceptions of ``azureml.train.hyperdrive.exceptions`` and the SDK's message texts (error_strings)."""
from __future__ import annotations

from typing import Any

from azureml_local.exceptions import AzureMLException

# The SDK's HyperDriveErrorStrings (the texts its AzureMLError definitions format).
INVALID_CONFIG_SETTING = "{obj} expects {condition}"
UNEXPECTED_TYPE = "Expected type {exp} for {obj} but got {actual}"
MISSING_CHOICE_VALUES = "Please specify an input for choice."
NOT_IMPLEMENTED = "{feature} is not implemented for HyperDrive run"
DISTRIBUTION_VALIDATION_FAILURE = "Failed to validate a parameter distribution due to {err}"
INVALID_KEY_IN_DICT = "Could not find {key} in {dict}"
REHYDRATE_POLICY_NOT_FOUND = "Unknown policy {policy}."
DICT_VALIDATION_INVALID_ARGUMENT = "Invalid arguments received for {method} method"
REHYDRATE_UNKNOWN_SAMPLING = "Failed to rehydrate run due to unknown sampling method."
RESUME_CHILD_RUNS_CONTAINS_DUPLICATE = "resume_child_runs cannot contain duplicate runs."
FOUND_CHILD_RUN_NOT_IN_TERMINAL_STATE = ("All resume_child_runs should be in a terminal state. "
                                         "Found a run with state '{state}'.")
RESUME_CHILD_RUN_WITHOUT_PARENT_RUN = "Every run in resume_child_runs should have a parent run."
RESUME_CHILD_RUNS_COME_FROM_TOO_MANY_PARENT_RUNS = ("resume_child_runs should not come from more than {max_num} "
                                                    "unique parents. {found} unique parents were found.")
WARM_START_RUNS_DONT_MATCH = "{obj} should be the same for all runs. {additional_info}"
SCRUBBED = "[Scrubbed]"


class HyperDriveException(AzureMLException):
    """Base exception related to HyperDrive service."""

    def __init__(self, exception_message: str, **kwargs: Any):
        super().__init__(exception_message, **kwargs)


class HyperDriveServiceException(HyperDriveException):
    """Exceptions related to service error."""


class HyperDriveConfigException(HyperDriveException):
    """Exceptions related to invalid HyperDrive configuration."""


class HyperDriveScenarioNotSupportedException(HyperDriveConfigException):
    """Exceptions related to scenarios HyperDrive does not support."""


class HyperDriveNotImplementedException(HyperDriveScenarioNotSupportedException):
    """Exceptions related to features not implemented for HyperDrive runs."""


class HyperDriveRehydrateException(HyperDriveException):
    """Exceptions raised while rebuilding a HyperDrive object from its stored form."""


def invalid_setting(obj: str, condition: str) -> HyperDriveConfigException:
    """The SDK's InvalidConfigSetting error."""
    return HyperDriveConfigException(INVALID_CONFIG_SETTING.format(obj=obj, condition=condition))


def invalid_type(exp: str, obj: str, exception: type = HyperDriveConfigException) -> HyperDriveException:
    """The SDK's InvalidType error (the actual value is scrubbed, as in the SDK)."""
    return exception(UNEXPECTED_TYPE.format(exp=exp, obj=obj, actual=SCRUBBED))
