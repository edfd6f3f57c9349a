"""Read a tabular dataset's files into one pandas DataFrame, then apply its transforms.

Speed: files are read straight from the local cache (or in place for plain-folder storage)
with one ``pandas.read_*`` call each, and a leading ``take(n)`` reads only ``n`` rows.
"""
from __future__ import annotations

import re
from typing import Any

from azureml_local.data.definition import evaluate
from azureml_local.exceptions import UserErrorException

_ENCODINGS = {"utf8": "utf-8", "iso88591": "iso-8859-1", "latin1": "latin-1", "ascii": "ascii", "utf16": "utf-16",
              "utf32": "utf-32", "utf8bom": "utf-8-sig", "windows1252": "cp1252"}
# PromoteHeadersBehavior: 0 NO_HEADERS, 1 ONLY_FIRST_FILE_HAS_HEADERS, 2 COMBINE_ALL_FILES_HEADERS,
# 3 ALL_FILES_HAVE_SAME_HEADERS
HEADER_MODES = {False: 0, True: 3, "NO_HEADERS": 0, "ONLY_FIRST_FILE_HAS_HEADERS": 1,
                "COMBINE_ALL_FILES_HEADERS": 2, "ALL_FILES_HAVE_SAME_HEADERS": 3}


def python_encoding(name: str) -> str:
    key = str(getattr(name, "name", name)).lower().replace("-", "").replace("_", "")
    if key not in _ENCODINGS:
        raise UserErrorException(
            f"Invalid encoding '{name}'. The supported encodings are 'utf8', 'iso88591', 'latin1', 'ascii', "
            "'utf16', 'utf32', 'utf8bom' and 'windows1252'.")
    return _ENCODINGS[key]


def header_mode(header: Any) -> int:
    value = getattr(header, "name", header)
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1, 2, 3):
        return value
    if isinstance(value, str):
        value = {"TRUE": True, "FALSE": False}.get(value.upper(), value.upper())
    if value in HEADER_MODES:
        return HEADER_MODES[value]
    raise UserErrorException("Unsupported header provided. The allowed values are NO_HEADERS"
                             "ONLY_FIRST_FILE_HAS_HEADERSCOMBINE_ALL_FILES_HEADERSALL_FILES_HAVE_SAME_HEADERS")


def _read_one(path: str, reader: dict, index: int, nrows: int | None, first_columns: list | None) -> Any:
    import pandas as pd

    fmt = reader["format"]
    if fmt == "delimited":
        mode = reader.get("header", 3)
        has_header = mode == 3 or mode == 2 or (mode == 1 and index == 0)
        kwargs: dict = dict(sep=reader.get("separator", ","), encoding=python_encoding(reader.get("encoding", "utf8")),
                            header=0 if has_header else None, nrows=nrows)
        if mode == 1 and index > 0 and first_columns is not None:
            kwargs["names"] = first_columns  # later files are data only, named like the first
        if not reader.get("infer_column_types", True):
            kwargs["dtype"] = str
        if reader.get("empty_as_string"):
            kwargs["keep_default_na"] = False
        df = pd.read_csv(path, **kwargs)
        if mode == 0:  # no headers: Azure ML names the columns Column1, Column2, ...
            df.columns = [f"Column{i + 1}" for i in range(len(df.columns))]
        if reader.get("infer_column_types", True):
            df = _infer_datetimes(df)
        return df
    if fmt == "parquet":
        df = pd.read_parquet(path)
        return df.head(nrows) if nrows is not None else df
    if fmt == "json_lines":
        encoding = python_encoding(reader.get("encoding", "utf8"))
        if reader.get("invalid_lines") == "drop":
            return pd.DataFrame(_valid_json_lines(path, encoding, nrows))
        return pd.read_json(path, lines=True, nrows=nrows, encoding=encoding)
    raise UserErrorException(f"Unknown tabular format {fmt!r}.")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def _infer_datetimes(df: Any) -> Any:
    """Type ISO-8601 date columns as datetimes, as Azure ML's type inference does (cheap sample check first)."""
    import pandas as pd

    for col in df.columns:
        if not (df[col].dtype == object or pd.api.types.is_string_dtype(df[col].dtype)):
            continue
        sample = df[col].head(200).dropna().head(20)
        if len(sample) and all(isinstance(v, str) and _ISO_DATE.match(v) for v in sample):
            converted = pd.to_datetime(df[col], errors="coerce", format="ISO8601")
            if converted.notna().sum() == df[col].notna().sum():
                df[col] = converted
    return df


def _valid_json_lines(path: str, encoding: str, nrows: int | None) -> list:
    """Records of a JSON-lines file, skipping lines that are not JSON objects (``invalid_lines='drop'``)."""
    import json

    out: list = []
    with open(path, encoding=encoding) as fh:
        for line in fh:
            if nrows is not None and len(out) >= nrows:
                break
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                out.append(record)
    return out


def partition_regex(partition_format: str) -> tuple[re.Pattern[str], list[tuple[str, str | None]]]:
    """``/{Year}/{Date:yyyy/MM/dd}/x.csv`` -> a regex matched at the end of a path, and its columns."""
    columns: list[tuple[str, str | None]] = []
    out, pos = "", 0
    for m in re.finditer(r"\{([^}:]+)(?::([^}]+))?\}", partition_format):
        out += _literal(partition_format[pos:m.start()])
        name, fmt = m.group(1), m.group(2)
        columns.append((name, fmt))
        if fmt:
            out += f"(?P<c{len(columns) - 1}>" + re.sub(r"yyyy|MM|dd|HH|mm|ss", lambda t: r"\d{%d}" % len(t.group()),
                                                         re.escape(fmt).replace("/", "/")) + ")"
        else:
            out += f"(?P<c{len(columns) - 1}>[^/]+)"
        pos = m.end()
    out += _literal(partition_format[pos:])
    return re.compile(out + r"\Z"), columns


def _literal(text: str) -> str:
    return re.escape(text).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")


def partition_values(partition_format: str, path: str) -> dict[str, Any]:
    from datetime import datetime

    regex, columns = partition_regex(partition_format)
    m = regex.search("/" + path.lstrip("/"))
    if not m:
        raise UserErrorException(f"The path '{path}' does not match partition_format '{partition_format}'.")
    out: dict[str, Any] = {}
    for i, (name, fmt) in enumerate(columns):
        raw = m.group(f"c{i}")
        if fmt:
            py = fmt.replace("yyyy", "%Y").replace("MM", "%m").replace("dd", "%d").replace("HH", "%H") \
                .replace("mm", "%M").replace("ss", "%S")
            out[name] = datetime.strptime(raw, py)
        else:
            out[name] = raw
    return out


def read_frame(definition: dict, files: list, local_paths: list[str], label: str) -> Any:
    """The DataFrame of a tabular definition (``files``: SourceFiles; ``local_paths``: where they are)."""
    import pandas as pd

    reader = definition["reader"]
    transforms = definition.get("transforms", [])
    nrows = transforms[0]["count"] if transforms and transforms[0]["op"] == "take" else None
    frames, got = [], 0
    try:
        for i, (f, path) in enumerate(zip(files, local_paths)):
            df = _read_one(path, reader, i, None if nrows is None else nrows - got,
                           list(frames[0].columns) if frames else None)
            if reader.get("include_path") or definition.get("partition_format"):
                df = _add_path_columns(df, definition, reader, f)
            frames.append(df)
            got += len(df)
            if nrows is not None and got >= nrows:
                break
    except UserErrorException:
        raise
    except Exception as exc:  # noqa: BLE001 - parser errors become the SDK's execution error
        raise UserErrorException(f"Execution failed in operation 'to_pandas_dataframe' for {label}, "
                                 f"error_code=ScriptExecution.StreamAccess.Validation, "
                                 f"exception_type={type(exc).__name__}): {exc}", inner_exception=exc) from exc
    if not frames:
        df = pd.DataFrame()
    elif len(frames) == 1:
        df = frames[0]
    else:
        df = pd.concat(frames, ignore_index=True)
    df = apply_column_types(df, reader.get("set_column_types"))
    return apply_transforms(df, transforms)


def _add_path_columns(df: Any, definition: dict, reader: dict, f: Any) -> Any:
    if definition.get("partition_format"):
        for name, value in partition_values(definition["partition_format"], f.full).items():
            df[name] = value
    if reader.get("include_path"):
        df.insert(0, "Path", "/" + f.rel)
    return df


def apply_column_types(df: Any, spec: dict | None) -> Any:
    import pandas as pd

    for col, t in (spec or {}).items():
        if col not in df.columns:
            continue
        kind = t["type"]
        if kind == "string":
            df[col] = df[col].astype("string").astype(object)
        elif kind == "long":
            values = pd.to_numeric(df[col], errors="coerce")
            df[col] = values.astype("int64") if values.notna().all() else values.astype(float).round()
        elif kind == "float":
            values = df[col]
            if t.get("decimal_mark", ".") != "." and values.dtype == object:
                values = values.str.replace(t["decimal_mark"], ".", regex=False)
            df[col] = pd.to_numeric(values, errors="coerce").astype(float)
        elif kind == "bool":
            mapped = df[col].map(lambda v: str(v).strip().lower() in ("true", "1", "yes", "t", "y")
                                 if pd.notna(v) else None)
            df[col] = mapped.astype(bool) if mapped.notna().all() else mapped
        elif kind == "datetime":
            formats = t.get("formats") or [None]
            df[col] = pd.to_datetime(df[col], format=formats[0], errors="coerce")
    return df


def apply_transforms(df: Any, transforms: list[dict]) -> Any:
    for t in transforms:
        op = t["op"]
        if op == "take":
            df = df.head(t["count"])
        elif op == "skip":
            df = df.iloc[t["count"]:]
        elif op == "keep_columns":
            df = df[[c for c in df.columns if c in t["columns"]]]
        elif op == "drop_columns":
            df = df.drop(columns=[c for c in t["columns"] if c in df.columns])
        elif op == "take_sample":
            df = df[_sample_mask(len(df), t["probability"], t.get("seed"))]
        elif op == "random_split":
            mask = _sample_mask(len(df), t["percentage"], t.get("seed"))
            df = df[mask] if t["part"] == 0 else df[~mask]
        elif op == "time_range":
            import pandas as pd

            ts = pd.to_datetime(df[t["column"]], errors="coerce")
            keep = ts.notna()
            if t.get("lower"):
                lower = pd.Timestamp(t["lower"])
                keep &= ts >= lower if t.get("include_boundary", True) else ts > lower
            if t.get("upper"):
                upper = pd.Timestamp(t["upper"])
                keep &= ts <= upper if t.get("include_boundary", True) else ts < upper
            df = df[keep]
        elif op == "filter":
            df = df[evaluate(t["expression"], df).fillna(False).astype(bool)]
    return df.reset_index(drop=True)


def _sample_mask(n: int, probability: float, seed: int | None) -> Any:
    import numpy as np

    return np.random.default_rng(seed if seed is not None else 0).random(n) < probability
