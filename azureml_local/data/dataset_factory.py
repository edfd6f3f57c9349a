"""``Dataset.Tabular`` / ``Dataset.File``: build dataset definitions from datastore paths or URLs."""
from __future__ import annotations

import re
from typing import Any

from azureml_local.data import partition, transfer
from azureml_local.data.abstract_datastore import AbstractDatastore
from azureml_local.data.data_reference import DataReference
from azureml_local.data.datapath import DataPath
from azureml_local.data.dataset_error_handling import DatasetValidationError
from azureml_local.data.dataset_registry import dataset_from_definition
from azureml_local.data.definition import DataType, column_types_spec
from azureml_local.data.resolve import not_found_message, resolve
from azureml_local.data.tabular_reader import header_mode, python_encoding
from azureml_local.exceptions import UserErrorException

__all__ = ["TabularDatasetFactory", "FileDatasetFactory", "DataType"]

_URL = re.compile(r"^(https?|adl|wasbs?|abfss?)://", re.IGNORECASE)
_BLOB_SAS = re.compile(r"^https?:\/\/\w*\.blob\.[\w\.\/]*\?.*", re.IGNORECASE)


def _invalid_path() -> UserErrorException:
    return UserErrorException(
        'Invalid argument type for `path`. It can be single value or a list of: string starting with "http://" or '
        '"https://", `azureml.data.datapath.DataPath` object, or tuple of `azureml.core.Datastore` object and string '
        "for relative path in the datastore.Url of blob can't contains SAS token, please use datastore instead.")


def normalize_paths(path: Any) -> tuple[list[dict], Any]:
    """SDK path forms -> (definition path entries, workspace or None)."""
    if path is None:
        raise _invalid_path()
    items = path if isinstance(path, list) else [path]
    if not items:
        raise _invalid_path()
    entries, ws = [], None
    mixed = any(isinstance(p, str) for p in items) and not all(isinstance(p, str) for p in items)
    for p in items:
        if isinstance(p, str) and mixed:  # the SDK takes all URLs or no URL
            raise _invalid_path()
        if isinstance(p, str):
            if not _URL.match(p) or _BLOB_SAS.match(p):
                raise _invalid_path()
            entries.append({"url": p})
            continue
        if isinstance(p, tuple):
            if len(p) == 2 and isinstance(p[0], AbstractDatastore) and isinstance(p[1], str):
                store, rel = p
            else:
                raise UserErrorException("Invalid tuple for path. Please make sure the tuple consists of a datastore "
                                         "and a path/SQL query")
        elif isinstance(p, DataPath):
            store, rel = p._datastore, p.path_on_datastore or ""
        elif isinstance(p, DataReference):
            store, rel = p.datastore, p.path_on_datastore or ""
        else:
            raise _invalid_path()
        if isinstance(store, str):
            raise _invalid_path()
        entries.append({"datastore": store.name, "path": rel})
        ws = ws or store.workspace
    return entries, ws


def _build(kind: str, path: Any, reader: dict | None, partition_format: str | None, validate: bool) -> Any:
    entries, ws = normalize_paths(path)
    definition = {"kind": kind, "paths": entries, "reader": reader, "partition_format": partition_format,
                  "transforms": []}
    ds = dataset_from_definition(ws, definition)
    if validate:
        _validate(ds)
    return ds


def _validate(ds: Any) -> None:
    files = resolve(ds._workspace, ds._definition)
    if not files:
        raise DatasetValidationError(not_found_message(ds._definition))
    if ds._definition["kind"] == "tabular":
        try:
            ds.take(1).to_pandas_dataframe()
        except UserErrorException as exc:
            raise DatasetValidationError("Failed to validate the data.If data is inaccessible, please set validate "
                                         f"to False.\n{exc.message}", exc) from exc


class TabularDatasetFactory:
    """Create tabular datasets (``Dataset.Tabular``)."""

    @staticmethod
    def from_parquet_files(path: Any, validate: bool = True, include_path: bool = False,
                           set_column_types: dict | None = None, partition_format: str | None = None) -> Any:
        reader = {"format": "parquet", "include_path": include_path,
                  "set_column_types": column_types_spec(set_column_types)}
        return _build("tabular", path, reader, partition_format, validate)

    @staticmethod
    def from_delimited_files(path: Any, validate: bool = True, include_path: bool = False,
                             infer_column_types: bool = True, set_column_types: dict | None = None,
                             separator: str = ",", header: Any = True, partition_format: str | None = None,
                             support_multi_line: bool = False, empty_as_string: bool = False,
                             encoding: str = "utf8") -> Any:
        python_encoding(encoding)
        reader = {"format": "delimited", "separator": separator, "header": header_mode(header),
                  "infer_column_types": infer_column_types, "include_path": include_path,
                  "set_column_types": column_types_spec(set_column_types), "support_multi_line": support_multi_line,
                  "empty_as_string": empty_as_string, "encoding": str(getattr(encoding, "name", encoding))}
        return _build("tabular", path, reader, partition_format, validate)

    @staticmethod
    def from_json_lines_files(path: Any, validate: bool = True, include_path: bool = False,
                              set_column_types: dict | None = None, partition_format: str | None = None,
                              invalid_lines: str = "error", encoding: str = "utf8") -> Any:
        if invalid_lines not in ("error", "drop"):
            raise UserErrorException(f"Expected 'error' or 'drop' as value for invalid_lines, found {invalid_lines}")
        python_encoding(encoding)
        reader = {"format": "json_lines", "include_path": include_path, "invalid_lines": invalid_lines,
                  "set_column_types": column_types_spec(set_column_types), "encoding": encoding}
        return _build("tabular", path, reader, partition_format, validate)

    @staticmethod
    def from_sql_query(query: Any, validate: bool = True, set_column_types: dict | None = None,
                       query_timeout: int = 30) -> Any:
        raise UserErrorException("from_sql_query is not supported by azureml-local (SQL datastores cannot be "
                                 "registered locally).")

    @staticmethod
    def register_pandas_dataframe(dataframe: Any, target: Any, name: str, description: str | None = None,
                                  tags: dict | None = None, show_progress: bool = True, row_group_size: int | None = None,
                                  make_target_path_unique: bool = True) -> Any:
        """Write ``dataframe`` as parquet under ``target`` and register a tabular dataset over it."""
        store, glob = partition.write_dataframe(dataframe, target, name, show_progress, row_group_size,
                                                make_target_path_unique)
        ds = TabularDatasetFactory.from_parquet_files((store, glob), validate=False)
        return ds.register(store.workspace, name, description, tags, create_new_version=True)

    @staticmethod
    def register_spark_dataframe(dataframe: Any, target: Any, name: str, description: str | None = None,
                                 tags: dict | None = None, show_progress: bool = True) -> Any:
        raise UserErrorException("register_spark_dataframe is not supported by azureml-local; convert with "
                                 "toPandas() and use register_pandas_dataframe.")


class FileDatasetFactory:
    """Create file datasets (``Dataset.File``)."""

    @staticmethod
    def from_files(path: Any, validate: bool = True, partition_format: str | None = None,
                   is_file: bool = False) -> Any:
        if is_file and validate:
            import warnings

            warnings.warn("No validation will be performed because `is_file` is set to True.")
            validate = False
        return _build("file", path, None, partition_format, validate)

    @staticmethod
    def upload_directory(src_dir: str, target: Any, pattern: str | None = None, overwrite: bool = False,
                         show_progress: bool = True) -> Any:
        """Upload ``src_dir`` (files matching ``pattern``) to ``target`` and return a FileDataset over them."""
        import fnmatch
        import os

        if pattern is not None:
            partition.check_type(pattern, "pattern", str)
        store, rel = partition.parse_target(target)
        files = transfer.files_in_dir(src_dir)
        if pattern:
            files = [f for f in files if fnmatch.fnmatch(os.path.relpath(f, src_dir), pattern)]
        pairs = transfer.plan_upload(files, str(src_dir).rstrip("/\\"), rel, True)
        transfer.upload(store._blob_store(), store._container(), pairs, overwrite, show_progress)
        return FileDatasetFactory.from_files((store, rel + "/"), validate=False)
