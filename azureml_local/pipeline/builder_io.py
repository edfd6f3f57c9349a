"""Recognising the data objects a step is given, without importing their modules.

Data classes (``DatasetConsumptionConfig``, ``OutputFileDatasetConfig``, ``DataReference``,
datasets, ``DataPath``) live in ``azureml_local.data`` and are heavy to import; pipeline
construction only needs to know *what* an object is. ``is_a`` checks class names along the
MRO, so objects from any module that follows the SDK's class names are recognised, and
``import azureml.pipeline.core`` stays light.
"""
from __future__ import annotations

from typing import Any

DATASET_CLASSES = ("AbstractDataset", "FileDataset", "TabularDataset")
OUTPUT_CONFIG_CLASSES = ("OutputDatasetConfig",)


def is_a(obj: Any, *class_names: str) -> bool:
    """True when ``type(obj)`` or a base class is named one of ``class_names``."""
    names = set(class_names)
    return any(c.__name__ in names for c in type(obj).__mro__)


def is_dataset(obj: Any) -> bool:
    return is_a(obj, *DATASET_CLASSES)


def is_consumption(obj: Any) -> bool:
    return is_a(obj, "DatasetConsumptionConfig")


def is_output_config(obj: Any) -> bool:
    return is_a(obj, "OutputDatasetConfig", "OutputFileDatasetConfig", "OutputTabularDatasetConfig")


def is_tabular_output_config(obj: Any) -> bool:
    return is_a(obj, "OutputTabularDatasetConfig")


def is_data_reference(obj: Any) -> bool:
    return is_a(obj, "DataReference")


def is_port_data_reference(obj: Any) -> bool:
    return is_a(obj, "PortDataReference")


def set_producer(obj: Any, step: Any) -> None:
    """Record ``step`` as the producer of an output object (SDK ``_set_producer`` if present)."""
    setter = getattr(obj, "_set_producer", None)
    if callable(setter):
        setter(step)
    else:
        obj._local_producer = step


def producer_of(obj: Any) -> Any:
    """The step that lists ``obj`` (an output, or what an input consumes) among its outputs."""
    if is_consumption(obj):
        obj = obj.dataset
    if is_a(obj, "InputPortBinding"):
        obj = obj.bind_object
    if is_tabular_output_config(obj):
        base = getattr(obj, "_output_file_dataset_config", None)
        found = getattr(obj, "_producer", None) or getattr(obj, "_local_producer", None)
        if found is None and base is not None:
            return producer_of(base)
        return found
    found = getattr(obj, "_producer", None) or getattr(obj, "_local_producer", None)
    clone = getattr(obj, "_cloned_source", None)  # a ModuleStep output: the step produces the port's copy
    return producer_of(clone) if found is None and clone is not None else found


def same_origin(a: Any, b: Any) -> bool:
    """Whether two output-config objects are copies of one user object (SDK ``_origin``)."""
    if a is b:
        return True
    oa, ob = getattr(a, "_origin", None), getattr(b, "_origin", None)
    if oa is not None and oa is ob:
        return True
    return getattr(a, "name", None) is not None and getattr(a, "name", None) == getattr(b, "name", None)


def datastore_name(store: Any, default: str | None = None) -> str | None:
    """A datastore given as object or name, as its name."""
    if store is None:
        return default
    if isinstance(store, str):
        return store
    return getattr(store, "name", None) or default
