"""``InputPortDef``, ``OutputPortDef``, ``ParamDef``: a module version's interface (``azureml.pipeline.core.graph``)."""
from __future__ import annotations

import re
from typing import Any


class InputPortDef:
    """Definition of an input port of a module version."""

    def __init__(self, name: str, data_types: list | None = None, default_datastore_mode: str | None = None,
                 default_path_on_compute: str | None = None, is_optional: bool = False,
                 default_overwrite: bool | None = None, default_data_reference_name: str | None = None,
                 is_resource: bool = False, label: str | None = None, additional_transformations: Any = None,
                 **kwargs: Any):
        self._name = name
        self._data_types = data_types if data_types is not None else ["AnyFile", "AnyDirectory"]
        self._default_path_on_compute = default_path_on_compute
        self._is_optional = is_optional
        self._default_datastore_mode = default_datastore_mode
        self._default_overwrite = default_overwrite
        self._default_data_reference_name = default_data_reference_name
        self._is_resource = is_resource
        self._label = label
        self._additional_transformations = additional_transformations
        self._is_input_promoted_to_dataset = kwargs.get("is_input_promoted_to_dataset", False)

    name = property(lambda self: self._name)
    data_types = property(lambda self: self._data_types)
    default_path_on_compute = property(lambda self: self._default_path_on_compute)
    is_optional = property(lambda self: self._is_optional)
    default_datastore_mode = property(lambda self: self._default_datastore_mode)
    default_overwrite = property(lambda self: self._default_overwrite)
    default_data_reference_name = property(lambda self: self._default_data_reference_name)
    is_resource = property(lambda self: self._is_resource)
    label = property(lambda self: self._label)
    additional_transformations = property(lambda self: self._additional_transformations)

    def _to_dict(self) -> dict:
        return {"name": self._name, "data_types": list(self._data_types), "is_optional": bool(self._is_optional),
                "default_datastore_mode": self._default_datastore_mode, "label": self._label,
                "default_path_on_compute": self._default_path_on_compute,
                "default_data_reference_name": self._default_data_reference_name}


class OutputPortDef:
    """Definition of an output port of a module version."""

    def __init__(self, name: str, default_datastore_name: str | None = None, default_datastore_mode: str | None = None,
                 default_path_on_compute: str | None = None, is_directory: bool = False, data_type: str | None = None,
                 default_overwrite: bool | None = None, training_output: Any = None, label: str | None = None):
        self._name = name
        self._default_datastore_name = default_datastore_name
        self._default_datastore_mode = default_datastore_mode
        self._default_path_on_compute = default_path_on_compute
        self._is_directory = is_directory
        self._default_overwrite = default_overwrite
        self._training_output = training_output
        self._label = label
        self._data_type = data_type if data_type is not None else ("AnyDirectory" if is_directory else "AnyFile")

    name = property(lambda self: self._name)
    default_datastore_name = property(lambda self: self._default_datastore_name)
    default_datastore_mode = property(lambda self: self._default_datastore_mode)
    default_path_on_compute = property(lambda self: self._default_path_on_compute)
    is_directory = property(lambda self: self._is_directory)
    data_type = property(lambda self: self._data_type)
    default_overwrite = property(lambda self: self._default_overwrite)
    training_output = property(lambda self: self._training_output)
    label = property(lambda self: self._label)

    def _to_dict(self) -> dict:
        return {"name": self._name, "default_datastore_name": self._default_datastore_name,
                "default_datastore_mode": self._default_datastore_mode, "is_directory": bool(self._is_directory),
                "data_type": self._data_type, "label": self._label}


class ParamDef:
    """Definition of a parameter of a module version."""

    def __init__(self, name: str, default_value: Any = None, is_metadata_param: bool = False,
                 is_optional: bool = False, set_env_var: bool = False, calculate_hash: bool = True,
                 env_var_override: str | None = None):
        self.name = name
        self.default_value = default_value
        self.env_var_override = env_var_override
        self.is_metadata_param = is_metadata_param
        self.is_optional = is_optional
        self.calculate_hash = calculate_hash
        self.set_env_var = set_env_var

    @staticmethod
    def _param_name_to_env_variable(param_name: str) -> str:
        return "AML_PARAMETER_{0}".format(re.sub(r"[~\W]", "_", param_name))
