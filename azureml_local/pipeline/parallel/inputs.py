"""The step's inputs -> mini batches, inside the step process.

An input arrives as the SDK's driver argument (``--input_fds_<i>`` / ``--input_ds_<i>`` / ``--input<i>``)
whose value the binder filled in: a local folder or file (a FileDataset mounted, a DataReference,
PipelineData) or a dataset id (direct mode: every TabularDataset, and a FileDataset with
``partition_keys``). Dataset ids become dataset objects through the run context, as in the cloud;
a direct FileDataset is placed under ``.azureml_inputs/<name>`` from the local cache.
"""
from __future__ import annotations

import functools
import operator
import os
from pathlib import Path
from typing import Any

from azureml_local.data import cache
from azureml_local.data.tabular_reader import partition_values
from azureml_local.pipeline.parallel import batching
from azureml_local.pipeline.parallel.options import DriverOptions

Raw = tuple[Any, dict, "dict | None"]   # (data, partition_key_value, {"kind", "definition"} of the batch)


def build(opts: DriverOptions) -> list[batching.MiniBatch]:
    raw: list[Raw] = []
    if opts.rank_mini_batch_count > 0:  # the SDK's "rank mini batches": run() without input, other inputs ignored
        return batching.number(([], {}, None) for _ in range(opts.rank_mini_batch_count))
    for kind, value in opts.inputs:
        if kind == "tabular":
            raw += _tabular(opts, value)
        elif os.path.exists(value):
            if opts.partition_keys:
                raise ValueError(f"partition_keys {opts.partition_keys} need dataset inputs with a partition_format "
                                 f"(consumed in direct mode); this input is a folder: {value}")
            raw += [(b, {}, None) for b in batching.file_batches(_local_files(value), opts.mini_batch_size)]
        else:
            raw += _file_dataset(opts, value)
    return batching.number(raw)


def _local_files(root: str) -> list[str]:
    if os.path.isfile(root):
        return [os.path.abspath(root)]
    files = []
    for dirpath, dirnames, names in os.walk(root):
        dirnames.sort()
        files += [os.path.abspath(os.path.join(dirpath, n)) for n in sorted(names)]
    return files


def _dataset(value: str) -> tuple[str, Any]:
    """``(input name, dataset)`` of a direct input whose argv value is ``value`` (a dataset id)."""
    from azureml.core import Dataset, Run

    run = Run.get_context()
    for name, dataset in run.input_datasets.items():
        if not isinstance(dataset, str) and getattr(dataset, "id", None) == value:
            return name, dataset
    return value, Dataset.get_by_id(run.experiment.workspace, value)


def _tabular(opts: DriverOptions, value: str) -> list[Raw]:
    name, dataset = _dataset(value)
    frame = dataset.to_pandas_dataframe()
    whole = {"kind": "tabular", "definition": dataset._definition}
    if not opts.partition_keys:
        return [(rows, {}, whole) for rows in batching.tabular_batches(frame, opts.mini_batch_size)]
    batching.check_partition_keys(opts.partition_keys, dataset.partition_keys, name)
    out: list[Raw] = []
    for key_value, rows in batching.group_rows(frame, opts.partition_keys):
        condition = functools.reduce(operator.and_, [dataset[k] == v for k, v in key_value.items()])
        out.append((rows, key_value, {"kind": "tabular", "definition": dataset.filter(condition)._definition}))
    return out


def _file_dataset(opts: DriverOptions, value: str) -> list[Raw]:
    name, dataset = _dataset(value)
    files = dataset._files()
    placed = cache.materialize(dataset._workspace, files, Path(".azureml_inputs") / name)
    placed = [os.path.abspath(p) for p in placed]
    if not opts.partition_keys:
        whole = {"kind": "file", "definition": dataset._definition}
        return [(b, {}, whole) for b in batching.file_batches(placed, opts.mini_batch_size)]
    batching.check_partition_keys(opts.partition_keys, dataset.partition_keys, name)
    fmt = dataset._definition["partition_format"]
    values = [partition_values(fmt, f.full) for f in files]
    return [([placed[i] for i in indexes], key_value, _subset(dataset._definition, [files[i] for i in indexes]))
            for key_value, indexes in batching.group_files(placed, values, opts.partition_keys)]


def _subset(definition: dict, files: list) -> dict | None:
    """A FileDataset definition naming exactly ``files`` (the dataset of one partition)."""
    stores = {p.get("datastore") for p in definition["paths"] if "datastore" in p}
    if len(stores) > 1:
        return {"kind": "file", "definition": definition}
    store = next(iter(stores), None)
    paths = [{"url": f.full} if store is None else {"datastore": store, "path": f.blob} for f in files]
    return {"kind": "file", "definition": dict(definition, paths=paths, partition_format=None, transforms=[])}
