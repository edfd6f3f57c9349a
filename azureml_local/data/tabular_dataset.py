"""``TabularDataset``: delimited/parquet/JSON-lines files read as one table (pandas)."""
from __future__ import annotations

import random
from typing import Any

from azureml_local.data import cache, partition
from azureml_local.data import definition as defs
from azureml_local.data.abstract_dataset import AbstractDataset
from azureml_local.data.dataset_error_handling import DatasetValidationError
from azureml_local.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory
from azureml_local.data.resolve import not_found_message, resolve
from azureml_local.data.tabular_reader import read_frame
from azureml_local.exceptions import DatasetTimestampMissingError, UserErrorException


class TabularDataset(AbstractDataset):
    """Tabular data defined lazily over files; nothing is read until a ``to_*`` call."""

    def __init__(self) -> None:
        super().__init__()

    # -- materialise ------------------------------------------------------------------------
    def _frame(self) -> Any:
        files = resolve(self._workspace, self._definition)
        if not files:
            raise UserErrorException(not_found_message(self._definition).split("\n", 1)[1])
        paths = cache.local_files(self._workspace, files)
        return read_frame(self._definition, files, paths, self._label())

    def to_pandas_dataframe(self, on_error: str = "null", out_of_range_datetime: str = "null") -> Any:
        """Load all records into a pandas DataFrame."""
        return self._frame()

    def to_dask_dataframe(self, sample_size: int = 10000, dtypes: Any = None, on_error: str = "null",
                          out_of_range_datetime: str = "null") -> Any:
        try:
            import dask.dataframe as dd  # type: ignore[import-not-found]
        except ImportError as exc:
            raise UserErrorException("to_dask_dataframe needs dask: pip install dask") from exc
        return dd.from_pandas(self._frame(), npartitions=1)

    def to_spark_dataframe(self) -> Any:
        raise UserErrorException("to_spark_dataframe is not supported by azureml-local (no Spark runtime); use "
                                 "to_pandas_dataframe().")

    # -- transforms --------------------------------------------------------------------------
    def skip(self, count: int) -> "TabularDataset":
        return self._derive(defs.with_transform(self._definition, "skip", count=int(count)))

    def take(self, count: int) -> "TabularDataset":
        return self._derive(defs.with_transform(self._definition, "take", count=int(count)))

    def take_sample(self, probability: float, seed: int | None = None) -> "TabularDataset":
        seed = random.randrange(2 ** 31) if seed is None else seed
        return self._derive(defs.with_transform(self._definition, "take_sample", probability=probability, seed=seed))

    def random_split(self, percentage: float, seed: int | None = None) -> tuple["TabularDataset", "TabularDataset"]:
        """Two datasets holding about ``percentage`` and ``1 - percentage`` of the records (disjoint)."""
        if not 0 < percentage < 1:
            raise UserErrorException("percentage must be between 0 and 1.")
        seed = random.randrange(2 ** 31) if seed is None else seed
        return (self._derive(defs.with_transform(self._definition, "random_split", percentage=percentage, seed=seed,
                                                 part=0)),
                self._derive(defs.with_transform(self._definition, "random_split", percentage=percentage, seed=seed,
                                                 part=1)))

    def keep_columns(self, columns: str | list[str], validate: bool = False) -> "TabularDataset":
        columns = [columns] if isinstance(columns, str) else list(columns)
        out = self._derive(defs.with_transform(self._definition, "keep_columns", columns=columns))
        if validate:
            missing = [c for c in columns if c not in out.take(1).to_pandas_dataframe().columns]
            if missing:
                raise DatasetValidationError(f"The specified columns {missing} do not exist in the current dataset.")
        return out

    def drop_columns(self, columns: str | list[str]) -> "TabularDataset":
        columns = [columns] if isinstance(columns, str) else list(columns)
        return self._derive(defs.with_transform(self._definition, "drop_columns", columns=columns))

    def filter(self, expression: Any) -> "TabularDataset":
        """Keep records matching ``expression`` (built from ``dataset['col']`` comparisons, ``&``, ``|``, ``~``)."""
        if not isinstance(expression, defs.Expression):
            raise UserErrorException("filter expects an expression such as dataset['age'] > 30.")
        return self._derive(defs.with_transform(self._definition, "filter", expression=expression._tree))

    # -- timestamps (recorded; time filters are applied with pandas) ----------------------------
    @property
    def timestamp_columns(self) -> tuple:
        ts = self._definition.get("timestamp")
        return (ts, self._definition.get("partition_timestamp")) if ts else (None, None)

    def with_timestamp_columns(self, timestamp: str | None = None, partition_timestamp: str | None = None,
                               validate: bool = False, **kwargs: Any) -> "TabularDataset":
        if partition_timestamp and not timestamp:
            raise UserErrorException("partition_timestamp can be assigned only if timestamp is assigned.")
        if partition_timestamp and partition_timestamp == timestamp:
            raise UserErrorException("partition_timestamp cannot be the same as timestamp.")
        d = dict(self._definition, timestamp=timestamp, partition_timestamp=partition_timestamp)
        return self._derive(d)

    def time_before(self, end_time: Any, include_boundary: bool = True, validate: bool = True) -> "TabularDataset":
        return self._time_filter("time_before", None, end_time, include_boundary)

    def time_after(self, start_time: Any, include_boundary: bool = True, validate: bool = True) -> "TabularDataset":
        return self._time_filter("time_after", start_time, None, include_boundary)

    def time_recent(self, time_delta: Any, include_boundary: bool = True, validate: bool = True) -> "TabularDataset":
        from datetime import datetime

        return self._time_filter("time_recent", datetime.now() - time_delta, None, include_boundary)

    def time_between(self, start_time: Any, end_time: Any, include_boundary: bool = True,
                     validate: bool = True) -> "TabularDataset":
        return self._time_filter("time_between", start_time, end_time, include_boundary)

    def _time_filter(self, method: str, lower: Any, upper: Any, include_boundary: bool) -> "TabularDataset":
        column = self._definition.get("timestamp")
        if not column:
            raise DatasetTimestampMissingError(
                f"Cannot perform time-series filter `{method}` on dataset without timestamp columns defined.\n"
                "Please use `with_timestamp_columns` to enable time-series capabilities")
        return self._derive(defs.with_transform(
            self._definition, "time_range", column=column, lower=None if lower is None else str(lower),
            upper=None if upper is None else str(upper), include_boundary=include_boundary))

    # -- conversions ------------------------------------------------------------------------
    def to_csv_files(self, separator: str = ",") -> Any:
        """A FileDataset of CSV files holding this data (written once per definition to the default datastore)."""
        return self._convert("csv", separator)

    def to_parquet_files(self) -> Any:
        """A FileDataset of parquet files holding this data."""
        return self._convert("parquet", None)

    def _convert(self, fmt: str, separator: str | None) -> Any:
        import tempfile

        ws = self._require_workspace()
        store = ws.get_default_datastore()
        target = f"azureml-local/converted/{self._definition_id()}/{fmt}{'-' + separator if separator else ''}"
        blob_store, container = store._blob_store(), store._container()
        name = f"{target}/part-00000.{fmt}"
        if not blob_store.exists(container, name):
            df = self.to_pandas_dataframe()
            with tempfile.TemporaryDirectory() as tmp:
                path = f"{tmp}/part-00000.{fmt}"
                if fmt == "csv":
                    df.to_csv(path, sep=separator, index=False)
                else:
                    df.to_parquet(path, index=False)
                blob_store.upload_file(container, name, path)
        return FileDatasetFactory.from_files((store, target + "/"), validate=False)

    def _require_workspace(self) -> Any:
        if self._workspace is None:
            raise UserErrorException("The dataset does not belong to a workspace. Please pass in the workspace "
                                     "from argument.")
        return self._workspace

    def partition_by(self, partition_keys: list[str], target: Any, name: str | None = None,
                     show_progress: bool = True, partition_as_file_dataset: bool = False) -> Any:
        """Write the data as parquet files partitioned by ``partition_keys`` under ``target``; returns the new dataset."""
        store, glob, fmt = partition.write_partitions(self, partition_keys, target, show_progress)
        if partition_as_file_dataset:
            ds = FileDatasetFactory.from_files((store, glob), validate=False, partition_format=fmt)
        else:
            ds = TabularDatasetFactory.from_parquet_files((store, glob), validate=False, partition_format=fmt)
        return ds.register(store.workspace, name, create_new_version=True) if name else ds

    def get_profile(self, workspace: Any = None) -> Any:
        return self.to_pandas_dataframe().describe(include="all")
