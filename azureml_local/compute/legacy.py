"""``azureml.core.compute_target``: legacy (project-file) compute targets.

Users mostly import ``ComputeTargetException`` from here. ``LocalTarget`` is the
legacy name of this machine; preparing a target is a no-op locally (there is no
image or conda environment to build: runs use the current interpreter).
"""
from __future__ import annotations

import logging
from typing import Any

from azureml_local.exceptions import ComputeTargetException, UserErrorException  # noqa: F401  (SDK re-export)

log = logging.getLogger("azureml.core.compute_target")


class AbstractComputeTarget:
    """A compute target not managed by Azure Machine Learning (legacy)."""

    _TARGET_TYPE_KEY = "type"

    def __init__(self, compute_target_type: str, name: str):
        self._compute_target_type = compute_target_type
        self._name = name
        self._default_framework = "Python"

    @property
    def type(self) -> str:
        return self._compute_target_type

    @property
    def name(self) -> str:
        return self._name

    @staticmethod
    def deserialize_from_dict(compute_target_name: str, compute_target_dict: dict) -> Any:
        if AbstractComputeTarget._TARGET_TYPE_KEY not in compute_target_dict:
            raise ComputeTargetException("{} required field is not present in {} dict for creating the require "
                                         "compute target object.".format(AbstractComputeTarget._TARGET_TYPE_KEY,
                                                                         compute_target_dict))
        if compute_target_dict["type"] == LocalTarget._LOCAL_TYPE:
            return LocalTarget()
        return None

    def _serialize_to_dict(self) -> dict:
        return {AbstractComputeTarget._TARGET_TYPE_KEY: self._compute_target_type}


class LocalTarget(AbstractComputeTarget):
    """The local machine as a compute target."""

    _LOCAL_TYPE = "local"

    def __init__(self) -> None:
        super().__init__(LocalTarget._LOCAL_TYPE, "local")


def prepare_compute_target(experiment: Any, source_directory: str, run_config: Any) -> bool:
    """No-op locally: nothing is installed; runs use the current interpreter."""
    return True


def is_compute_target_prepared(experiment: Any, source_directory: str, run_config: Any) -> bool:
    return True


def attach_legacy_compute_target(experiment: Any, source_directory: str, compute_target: Any) -> None:
    log.warning("attach_legacy_compute_target method is going to be deprecated. "
                "This will be removed in the next SDK release.")
    raise ComputeTargetException("Unsupported compute target type. Type={}. Use ComputeTarget.attach with "
                                 "RemoteCompute.attach_configuration(...) instead.".format(type(compute_target)))


def remove_legacy_compute_target(experiment: Any, source_directory: str, compute_target_name: str) -> None:
    log.warning("remove_legacy_compute_target method is going to be deprecated. "
                "This will be removed in the next SDK release.")
