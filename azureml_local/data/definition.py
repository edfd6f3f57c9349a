"""What a dataset *is*: a JSON-able definition, and its content-free identity.

A definition is a plain dict, so datasets can be saved in the database, put in pipeline
definitions and rebuilt in another process::

    {"kind": "tabular" | "file",
     "paths": [{"datastore": "workspaceblobstore", "path": "data/*.csv"} | {"url": "https://..."}],
     "reader": {"format": "delimited", "separator": ",", ...} | {"format": "parquet"} | ... | None,
     "partition_format": "/{year}/{month}/data.csv" | None,
     "transforms": [{"op": "take", "count": 5}, {"op": "keep_columns", "columns": [...]}, ...]}

The saved id of a dataset is a UUID derived from its canonical definition: the same
definition always gets the same id (as the service deduplicates saved datasets), and an
unregistered dataset has an id without a round trip.
"""
from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from azureml_local.exceptions import UserErrorException

_NAMESPACE = uuid.UUID("6a1e4b8e-9d3c-4f7a-8e21-5b0c2d7f9a10")


def canonical(definition: dict) -> str:
    return json.dumps(definition, sort_keys=True, separators=(",", ":"), default=str)


def saved_id(definition: dict) -> str:
    """The dataset id for this definition."""
    return str(uuid.uuid5(_NAMESPACE, canonical(definition)))


def with_transform(definition: dict, op: str, **args: Any) -> dict:
    """A copy of ``definition`` with one more transformation step."""
    out = copy.deepcopy(definition)
    out.setdefault("transforms", []).append(dict(op=op, **args))
    return out


def step_names(definition: dict) -> list[str]:
    """Human step names (like the SDK's ``definition`` list in a dataset's repr)."""
    names = ["GetFiles" if any("url" in p for p in definition["paths"]) else "GetDatastoreFiles"]
    fmt = (definition.get("reader") or {}).get("format")
    names += {"delimited": ["ParseDelimited"], "parquet": ["ReadParquetFile"], "json_lines": ["ParseJsonLines"],
              None: []}.get(fmt, [])
    if definition.get("partition_format"):
        names.append("AddColumnsFromPartitionFormat")
    if definition["kind"] == "tabular" and not (definition.get("reader") or {}).get("include_path"):
        names.append("DropColumns")
    op_names = {"take": "Take", "skip": "Skip", "take_sample": "TakeSample", "random_split": "RandomSplit",
                "keep_columns": "KeepColumns", "drop_columns": "DropColumns", "filter": "Filter"}
    names += [op_names.get(t["op"], t["op"]) for t in definition.get("transforms", [])]
    return names


def source_labels(definition: dict) -> list[str]:
    return [p["url"] if "url" in p else f"('{p['datastore']}', '{p['path']}')" for p in definition["paths"]]


# -- column types -----------------------------------------------------------------------------
class DataType:
    """Column type conversions for ``set_column_types`` (``azureml.data.DataType``)."""

    def __init__(self, spec: dict | None = None):
        self._spec = spec or {"type": "string"}

    @property
    def _type_conversion(self) -> dict:
        return self._spec

    @staticmethod
    def to_string() -> "DataType":
        return DataType({"type": "string"})

    @staticmethod
    def to_long() -> "DataType":
        return DataType({"type": "long"})

    @staticmethod
    def to_float(decimal_mark: str = ".") -> "DataType":
        return DataType({"type": "float", "decimal_mark": decimal_mark})

    @staticmethod
    def to_bool() -> "DataType":
        return DataType({"type": "bool"})

    @staticmethod
    def to_datetime(formats: str | list[str] | None = None) -> "DataType":
        if isinstance(formats, str):
            formats = [formats]
        return DataType({"type": "datetime", "formats": formats})

    @staticmethod
    def to_stream(workspace: Any, escaped: bool = False) -> "DataType":
        return DataType({"type": "stream"})

    def __repr__(self) -> str:
        return f"DataType({self._spec})"


def column_types_spec(set_column_types: dict | None) -> dict | None:
    """``{column: DataType}`` -> JSON spec, with the SDK's error for anything else."""
    if set_column_types is None:
        return None
    error = UserErrorException("`set_column_types` must be a dictionary where key is column name and value is "
                               ":class: azureml.data.DataType")
    if not isinstance(set_column_types, dict):
        raise error
    out = {}
    for column, data_type in set_column_types.items():
        if not isinstance(column, str) or not isinstance(data_type, DataType):
            raise error
        out[column] = data_type._spec
    return out


# -- filter expressions -------------------------------------------------------------------------
class Expression:
    """``dataset['col'] > 3`` style expressions for ``TabularDataset.filter`` (JSON-serialisable)."""

    def __init__(self, tree: Any):
        self._tree = tree

    @staticmethod
    def _wrap(value: Any) -> Any:
        return value._tree if isinstance(value, Expression) else {"value": value}

    def _bin(self, op: str, other: Any) -> "Expression":
        return Expression({"op": op, "left": self._tree, "right": self._wrap(other)})

    def __eq__(self, other: Any) -> "Expression":  # type: ignore[override]
        return self._bin("==", other)

    def __ne__(self, other: Any) -> "Expression":  # type: ignore[override]
        return self._bin("!=", other)

    def __lt__(self, other: Any) -> "Expression":
        return self._bin("<", other)

    def __le__(self, other: Any) -> "Expression":
        return self._bin("<=", other)

    def __gt__(self, other: Any) -> "Expression":
        return self._bin(">", other)

    def __ge__(self, other: Any) -> "Expression":
        return self._bin(">=", other)

    def __and__(self, other: "Expression") -> "Expression":
        return self._bin("and", other)

    def __or__(self, other: "Expression") -> "Expression":
        return self._bin("or", other)

    def __invert__(self) -> "Expression":
        return Expression({"op": "not", "arg": self._tree})

    def is_null(self) -> "Expression":
        return Expression({"op": "is_null", "arg": self._tree})

    def starts_with(self, value: str) -> "Expression":
        return self._bin("starts_with", value)

    def ends_with(self, value: str) -> "Expression":
        return self._bin("ends_with", value)

    def contains(self, value: str) -> "Expression":
        return self._bin("contains", value)

    __hash__ = None  # type: ignore[assignment]


def column(name: str) -> Expression:
    return Expression({"col": name})


def evaluate(tree: Any, df: Any) -> Any:
    """Evaluate an expression tree against a pandas DataFrame (returns a Series or scalar)."""
    if "col" in tree:
        return df[tree["col"]]
    if "value" in tree:
        return tree["value"]
    op = tree["op"]
    if op == "not":
        return ~evaluate(tree["arg"], df)
    if op == "is_null":
        return evaluate(tree["arg"], df).isna()
    left, right = evaluate(tree["left"], df), evaluate(tree["right"], df)
    if op == "starts_with":
        return left.astype(str).str.startswith(right)
    if op == "ends_with":
        return left.astype(str).str.endswith(right)
    if op == "contains":
        return left.astype(str).str.contains(right, regex=False)
    import operator

    ops = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
           ">=": operator.ge, "and": operator.and_, "or": operator.or_}
    return ops[op](left, right)
