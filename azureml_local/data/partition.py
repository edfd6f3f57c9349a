"""Writing DataFrames to a datastore as parquet, for ``register_pandas_dataframe`` and ``partition_by``.

Only the upload; the dataset factories build (and register) the dataset over what was written,
so this module needs no dataset class.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from typing import Any

from azureml_local.data import transfer
from azureml_local.data.abstract_datastore import AbstractDatastore
from azureml_local.data.datapath import DataPath
from azureml_local.data.names import join_blob_path
from azureml_local.exceptions import UserErrorException


def parse_target(target: Any, add_managed_dataset_prefix: bool = False) -> tuple[Any, str]:
    """The SDK's ``parse_target``: a datastore, a DataPath or ``(datastore, path)``; else ``ValueError``."""
    default = "managed-dataset" if add_managed_dataset_prefix else ""
    store, path = None, None
    if isinstance(target, AbstractDatastore):
        store, path = target, default
    elif isinstance(target, DataPath):
        store = target._datastore
        path = default if target.path_on_datastore is None else target.path_on_datastore
    elif isinstance(target, tuple) and len(target) == 2:
        store, path = target
    if not isinstance(store, AbstractDatastore) or not hasattr(store, "_blob_store"):
        raise ValueError(f"The target type is not supported, target: {target}")
    return store, join_blob_path(path)


def check_type(arg: Any, arg_name: str, expected_type: type) -> None:
    """The SDK's ``_check_type`` (raised before anything is uploaded)."""
    if not isinstance(arg, expected_type):
        raise ValueError(f"Expected {arg_name} of type {expected_type} but received {type(arg)}")


def _upload_tree(store: Any, local_root: str, prefix: str, show_progress: bool) -> None:
    pairs = transfer.plan_upload(transfer.files_in_dir(local_root), local_root, prefix, True)
    transfer.upload(store._blob_store(), store._container(), pairs, True, show_progress)


def write_dataframe(dataframe: Any, target: Any, name: str, show_progress: bool, row_group_size: int | None,
                    make_target_path_unique: bool) -> tuple[Any, str]:
    """``register_pandas_dataframe``'s upload: ``(datastore, parquet glob)`` of the written file."""
    import pandas as pd

    check_type(dataframe, "dataframe", pd.DataFrame)
    check_type(name, "name", str)
    if not name.strip():
        raise UserErrorException("The dataset name must be a non-empty string.")
    store, prefix = parse_target(target, True)
    if make_target_path_unique:
        prefix = join_blob_path(prefix, str(uuid.uuid4()))
    df = dataframe.reset_index(drop=True)
    df.columns = [c.replace(".", "_") if isinstance(c, str) else c for c in df.columns]
    with tempfile.TemporaryDirectory() as tmp:
        df.to_parquet(os.path.join(tmp, "part-00000.parquet"), index=False, row_group_size=row_group_size)
        _upload_tree(store, tmp, prefix, show_progress)
    return store, join_blob_path(prefix, "*.parquet")


def write_partitions(dataset: Any, partition_keys: list[str], target: Any,
                     show_progress: bool) -> tuple[Any, str, str]:
    """``partition_by``'s upload: ``(datastore, parquet glob, partition_format)`` of the written files."""
    if not partition_keys:
        raise UserErrorException("partition_keys cannot be empty")
    if len(set(partition_keys)) != len(partition_keys):
        raise UserErrorException("partition_keys cannot have duplicates")
    df = dataset.to_pandas_dataframe()
    invalid = [k for k in partition_keys if k not in df.columns]
    if invalid:
        raise UserErrorException(f"{invalid} are invalid partition keys")
    store, prefix = parse_target(target)
    prefix = join_blob_path(prefix, str(uuid.uuid4()))
    with tempfile.TemporaryDirectory() as tmp:
        for values, part in df.groupby(partition_keys, dropna=False):
            values = values if isinstance(values, tuple) else (values,)
            folder = os.path.join(tmp, *[str(v) for v in values])
            os.makedirs(folder, exist_ok=True)
            part.drop(columns=partition_keys).to_parquet(os.path.join(folder, "part-00000.parquet"), index=False)
        _upload_tree(store, tmp, prefix, show_progress)
    fmt = "/" + "/".join("{%s}" % k for k in partition_keys) + "/part-00000.parquet"
    return store, join_blob_path(prefix, "**/*.parquet"), fmt
