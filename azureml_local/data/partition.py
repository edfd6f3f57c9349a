"""Writing DataFrames to a datastore: ``register_pandas_dataframe`` and ``TabularDataset.partition_by``."""
from __future__ import annotations

import os
import tempfile
import uuid
from typing import Any

from azureml_local.exceptions import UserErrorException


def _target(target: Any, add_managed_dataset_prefix: bool = False) -> tuple[Any, str]:
    """The SDK's ``parse_target``: a datastore, a DataPath or ``(datastore, path)``; else ``ValueError``."""
    from azureml_local.data.abstract_datastore import AbstractDatastore
    from azureml_local.data.datapath import DataPath
    from azureml_local.data.names import join_blob_path

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
    from azureml_local.data import transfer

    pairs = transfer.plan_upload(transfer.files_in_dir(local_root), local_root, prefix, True)
    transfer.upload(store._blob_store(), store._container(), pairs, True, show_progress)


def register_pandas_dataframe(dataframe: Any, target: Any, name: str, description: str | None, tags: dict | None,
                              show_progress: bool, row_group_size: int | None, make_target_path_unique: bool) -> Any:
    import pandas as pd

    from azureml_local.data.dataset_factory import TabularDatasetFactory
    from azureml_local.data.names import join_blob_path

    check_type(dataframe, "dataframe", pd.DataFrame)
    check_type(name, "name", str)
    if not name.strip():
        raise UserErrorException("The dataset name must be a non-empty string.")
    store, prefix = _target(target, True)
    if make_target_path_unique:
        prefix = join_blob_path(prefix, str(uuid.uuid4()))
    df = dataframe.reset_index(drop=True)
    df.columns = [c.replace(".", "_") if isinstance(c, str) else c for c in df.columns]
    with tempfile.TemporaryDirectory() as tmp:
        df.to_parquet(os.path.join(tmp, "part-00000.parquet"), index=False, row_group_size=row_group_size)
        _upload_tree(store, tmp, prefix, show_progress)
    ds = TabularDatasetFactory.from_parquet_files((store, join_blob_path(prefix, "*.parquet")), validate=False)
    return ds.register(store.workspace, name, description, tags, create_new_version=True)


def partition_by(dataset: Any, partition_keys: list[str], target: Any, name: str | None, show_progress: bool,
                 partition_as_file_dataset: bool) -> Any:
    from azureml_local.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory
    from azureml_local.data.names import join_blob_path

    if not partition_keys:
        raise UserErrorException("partition_keys cannot be empty")
    if len(set(partition_keys)) != len(partition_keys):
        raise UserErrorException("partition_keys cannot have duplicates")
    df = dataset.to_pandas_dataframe()
    invalid = [k for k in partition_keys if k not in df.columns]
    if invalid:
        raise UserErrorException(f"{invalid} are invalid partition keys")
    store, prefix = _target(target)
    prefix = join_blob_path(prefix, str(uuid.uuid4()))
    with tempfile.TemporaryDirectory() as tmp:
        for values, part in df.groupby(partition_keys, dropna=False):
            values = values if isinstance(values, tuple) else (values,)
            folder = os.path.join(tmp, *[str(v) for v in values])
            os.makedirs(folder, exist_ok=True)
            part.drop(columns=partition_keys).to_parquet(os.path.join(folder, "part-00000.parquet"), index=False)
        _upload_tree(store, tmp, prefix, show_progress)
    fmt = "/" + "/".join("{%s}" % k for k in partition_keys) + "/part-00000.parquet"
    glob = join_blob_path(prefix, "**/*.parquet")
    if partition_as_file_dataset:
        ds = FileDatasetFactory.from_files((store, glob), validate=False, partition_format=fmt)
    else:
        ds = TabularDatasetFactory.from_parquet_files((store, glob), validate=False, partition_format=fmt)
    return ds.register(store.workspace, name, create_new_version=True) if name else ds
