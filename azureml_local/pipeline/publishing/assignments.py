"""Turn a submission's assignments into the run's parameter values, checked against the definition.

REST clients send ``ParameterAssignments`` as strings or JSON scalars (the SDK itself sends
``str(value)``), so a value is converted to the parameter's declared type: ``"0.1"`` is a fine
float, ``"abc"`` is not; a bool accepts ``true``/``false`` in any case. DataPath parameters take
``DataPathAssignments`` (a registered datastore and a path), dataset parameters take
``DataSetDefinitionValueAssignments`` naming a saved or registered dataset. Anything else is a
:class:`SubmissionRejected` (HTTP 400) naming the parameter and what would be accepted. The
values produced are what ``record_pipeline_run`` stores and ``orchestrator.resolve_parameters``
hands to the steps.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from azureml_local.data import datasets, stores
from azureml_local.exceptions import UserErrorException
from azureml_local.pipeline.publishing.request import SubmissionRejected, SubmitRequest

if TYPE_CHECKING:
    from azureml_local.context import WorkspaceContext

_TYPE_OF_DEFAULT = {bool: "bool", int: "int", float: "float", str: "string"}


def _bad(code: str, message: str) -> SubmissionRejected:
    return SubmissionRejected(400, code, message)


def resolve_assignments(ctx: "WorkspaceContext", definition: dict, request: SubmitRequest) -> dict[str, Any]:
    """``{parameter name: value}`` for the submitted assignments (defaults are filled in at run time)."""
    specs: dict[str, dict] = definition.get("parameters") or {}
    values: dict[str, Any] = {}
    for section in ("parameter_assignments", "data_path_assignments", "dataset_assignments"):
        if not isinstance(getattr(request, section), dict):
            raise _bad("InvalidRequestBody", f"{section} must be a JSON object of parameter name -> value.")
    for name, value in request.parameter_assignments.items():
        if not specs:
            continue  # a pipeline without parameters ignores assignments, as the cloud does (docs/publishing.md)
        values[name] = _scalar(name, _spec(specs, name), value)
    for name, value in request.data_path_assignments.items():
        values[name] = _datapath(ctx, name, _spec(specs, name), value)
    for name, value in request.dataset_assignments.items():
        values[name] = _dataset(ctx, name, _spec(specs, name), value)
    return values


def _spec(specs: dict[str, dict], name: str) -> dict:
    spec = specs.get(name)
    if spec is None:
        known = ", ".join(sorted(specs)) or "none"
        raise _bad("UnknownPipelineParameter", f"The pipeline has no parameter named '{name}' (its parameters: "
                                               f"{known}). Check the name in the assignments.")
    return spec


def value_type(spec: dict) -> str:
    """A scalar parameter's type: int, float, bool or string (older definitions: from the default)."""
    return spec.get("value_type") or _TYPE_OF_DEFAULT.get(type(spec.get("default")), "string")


def _scalar(name: str, spec: dict, value: Any) -> Any:
    kind = spec.get("type")
    if kind == "DataPath":
        raise _bad("InvalidParameterAssignment", f"Parameter '{name}' is a DataPath parameter: pass it in "
                   "DataPathAssignments as {\"DataStoreName\": ..., \"RelativePath\": ...}.")
    if kind == "dataset":
        raise _bad("InvalidParameterAssignment", f"Parameter '{name}' is a dataset parameter: pass it in "
                   "DataSetDefinitionValueAssignments as {\"SavedDataSetReference\": {\"Id\": ...}} or "
                   "{\"DataSetReference\": {\"Name\": ..., \"Version\": ...}}.")
    expected = value_type(spec)
    converted = convert_scalar(value, expected)
    if converted is None:
        raise _bad("InvalidParameterValue", f"The value {value!r} of parameter '{name}' cannot be converted to "
                   f"{expected}. Send {_EXAMPLES[expected]}.")
    return converted


_EXAMPLES = {"int": "a whole number such as 20 or \"20\"", "float": "a number such as 0.1 or \"0.1\"",
             "bool": "true, false, \"True\" or \"False\"", "string": "a string"}


def convert_scalar(value: Any, expected: str) -> Any:
    """``value`` as an ``expected`` (int|float|bool|string) value, or None when it is not one."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if expected == "string":
        return value if isinstance(value, str) else str(value)
    if expected == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower() if isinstance(value, str) else None
        return {"true": True, "false": False}.get(text) if text is not None else None
    if isinstance(value, bool):
        return None  # True is not a number, whatever Python says
    if expected == "int":
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value) if value.is_integer() else None
        try:
            return int(str(value).strip())
        except ValueError:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _datapath(ctx: "WorkspaceContext", name: str, spec: dict, value: Any) -> dict:
    if spec.get("type") != "DataPath":
        raise _bad("InvalidDataPathAssignment", f"Parameter '{name}' is not a DataPath parameter: pass its value "
                   "in ParameterAssignments (or DataSetDefinitionValueAssignments for a dataset parameter).")
    datastore = value.get("DataStoreName") if isinstance(value, dict) else None
    path = value.get("RelativePath") if isinstance(value, dict) else None
    if not isinstance(datastore, str) or not datastore or not isinstance(path, str):
        raise _bad("InvalidDataPathAssignment", f"The DataPath assignment of '{name}' must be "
                   "{\"DataStoreName\": \"<registered datastore>\", \"RelativePath\": \"<path>\"}.")
    try:
        row = stores.datastore_row(ctx, datastore)
    except UserErrorException as exc:
        raise _bad("DatastoreNotFound", str(exc)) from None
    return {"datastore": row.get("name", datastore), "path": path}


def _dataset(ctx: "WorkspaceContext", name: str, spec: dict, value: Any) -> dict:
    if isinstance(value, dict) and spec.get("type") == "DataPath" and isinstance(value.get("LiteralValue"), dict):
        return _datapath(ctx, name, spec, value["LiteralValue"])  # a DataPath sent as a literal value
    if spec.get("type") != "dataset":
        raise _bad("InvalidDataSetAssignment", f"Parameter '{name}' is not a dataset parameter.")
    reference = _dataset_reference(value)
    if reference is None:
        raise _bad("InvalidDataSetAssignment", f"The dataset assignment of '{name}' must be "
                   "{\"SavedDataSetReference\": {\"Id\": ...}} or {\"DataSetReference\": {\"Id\": ...} | "
                   "{\"Name\": ..., \"Version\": ...}}.")
    try:
        entry = datasets.entry(ctx, reference)
    except UserErrorException as exc:
        raise _bad("DatasetNotFound", str(exc)) from None
    return {"id": entry["id"], "name": entry["name"], "version": entry["version"]}


def _dataset_reference(value: Any) -> dict | None:
    if not isinstance(value, dict):
        return None
    saved = value.get("SavedDataSetReference")
    if isinstance(saved, dict) and isinstance(saved.get("Id"), str) and saved["Id"]:
        return {"id": saved["Id"]}
    ref = value.get("DataSetReference")
    if isinstance(ref, dict):
        if isinstance(ref.get("Name"), str) and ref["Name"]:
            return {"name": ref["Name"], "version": ref.get("Version") or "latest"}
        if isinstance(ref.get("Id"), str) and ref["Id"]:
            return {"id": ref["Id"]}
    return None
