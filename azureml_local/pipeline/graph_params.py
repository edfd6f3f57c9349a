"""Submit-time checks of ``pipeline_parameters`` against the pipeline's parameters (SDK messages)."""
from __future__ import annotations

from typing import Any

from azureml_local.pipeline.builder_io import is_a, is_dataset

_TYPE_CODE_NAMES = {0: "int", 1: "float", 2: "bool", 3: "str"}


def _type_code(value: Any) -> int:
    """The service's ParameterType code (note: a bool is an int here, exactly as in the SDK)."""
    if isinstance(value, int):
        return 0
    if isinstance(value, float):
        return 1
    if isinstance(value, bool):
        return 2
    if isinstance(value, str):
        return 3
    return 4


def check_submitted(parameters: dict[str, dict], submitted: dict | None) -> None:
    """Unknown names and wrongly typed values raise what the SDK raises."""
    if not submitted:
        return
    if not isinstance(submitted, dict):
        raise TypeError("pipeline_parameters must be a dict of {name: value}, got %s" % type(submitted).__name__)
    for name, value in submitted.items():
        spec = parameters.get(name)
        if spec is None:
            raise Exception("Pipeline parameter with name {0} does not exist".format(name))
        if spec["type"] == "dataset" or is_dataset(value):
            if spec["type"] != "dataset" or not is_dataset(value):
                expected = "dataset" if spec["type"] == "dataset" else type(spec.get("default")).__name__
                raise TypeError("Pipeline parameter with name {} is of incorrect type {}. Expected type: {}"
                                .format(name, type(value).__name__, expected))
            continue
        if spec["type"] == "DataPath" or is_a(value, "DataPath"):
            continue
        expected = _type_code(spec.get("default"))
        if _type_code(value) != expected:
            raise Exception("Expected type of the pipeline parameter {0} is {1}, but the value {2} provided is of "
                            "type {3}".format(name, _TYPE_CODE_NAMES.get(expected, "Unidentified"), str(value),
                                              type(value).__name__))
