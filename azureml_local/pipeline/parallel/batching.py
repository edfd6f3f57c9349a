"""Mini batches: files by count, table rows by size, or one mini batch per partition.

Pure functions over lists and DataFrames (no SDK object): ``inputs.py`` gets the data, this module
cuts it. A ``MiniBatch`` is what one ``run()`` call gets, plus what its ``mini_batch_context`` says.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

DEFAULT_FILE_BATCH = 10             # files per mini batch (the SDK's default for a FileDataset)
DEFAULT_TABULAR_BATCH = 1024 * 1024  # bytes per mini batch (the SDK's default for a TabularDataset)
_SAMPLE_ROWS = 1000


@dataclass
class MiniBatch:
    index: int
    data: Any                                   # list of file paths, or a pandas DataFrame
    partition_key_value: dict = field(default_factory=dict)
    dataset: dict | None = None                 # {"kind", "definition"} of the dataset this batch covers

    @property
    def size(self) -> int:
        return len(self.data)


def file_batches(paths: list[str], count: int | None) -> list[list[str]]:
    """``count`` files per mini batch (the last one may be smaller)."""
    count = max(1, count or DEFAULT_FILE_BATCH)
    return [paths[i:i + count] for i in range(0, len(paths), count)]


def row_bytes(frame: Any) -> float:
    """Bytes per row as delimited text (what the source file holds), from a sample of rows."""
    if len(frame) == 0:
        return 1.0
    sample = frame.head(_SAMPLE_ROWS)
    return max(1.0, len(sample.to_csv(index=False, header=False).encode()) / len(sample))


def tabular_batches(frame: Any, size_bytes: int | None) -> list[Any]:
    """Consecutive rows of about ``size_bytes`` bytes each (at least one row per mini batch)."""
    rows = max(1, int((size_bytes or DEFAULT_TABULAR_BATCH) // row_bytes(frame)))
    return [frame.iloc[i:i + rows] for i in range(0, len(frame), rows)]


def check_partition_keys(keys: list[str], available: Iterable[str], input_name: str) -> None:
    missing = [k for k in keys if k not in set(available)]
    if missing:
        raise ValueError(f"partition_keys {keys} must be a subset of the partition keys {sorted(set(available))} "
                         f"of input '{input_name}': {missing} not found. Define them with partition_format when "
                         "creating the dataset.")


def group_files(paths: list[str], values: list[dict], keys: list[str]) -> list[tuple[dict, list[int]]]:
    """``[(partition_key_value, indexes of its files)]`` in the order of first appearance."""
    groups: dict[tuple, tuple[dict, list[int]]] = {}
    for i, (path, vals) in enumerate(zip(paths, values)):
        key_value = {k: vals[k] for k in keys}
        groups.setdefault(tuple(str(key_value[k]) for k in keys), (key_value, []))[1].append(i)
    return list(groups.values())


def group_rows(frame: Any, keys: list[str]) -> list[tuple[dict, Any]]:
    """``[(partition_key_value, rows)]`` for every combination of ``keys`` values present, in sorted order."""
    out = []
    for values, rows in frame.groupby(keys, sort=True, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        out.append(({k: _plain(v) for k, v in zip(keys, values)}, rows))
    return out


def number(batches: Iterable[tuple[Any, dict, dict | None]]) -> list[MiniBatch]:
    """``MiniBatch`` objects, indexed from 0 in order."""
    return [MiniBatch(i, data, kv, ds) for i, (data, kv, ds) in enumerate(batches)]


def _plain(value: Any) -> Any:
    item: Callable[[], Any] | None = getattr(value, "item", None)  # numpy scalars -> Python values
    return item() if callable(item) else value
