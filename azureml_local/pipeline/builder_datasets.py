"""``azureml.pipeline.core.pipeline_output_dataset``: PipelineData promoted to a dataset.

``PipelineData(...).as_dataset()`` makes consumers receive a FileDataset (or, after
``parse_delimited_files``/``parse_parquet_files``, a TabularDataset) instead of a path.
Transformations are recorded as a small dict the executor applies when it builds the
consumer's dataset (no dataprep engine locally).
"""
from __future__ import annotations

from copy import copy
from typing import Any

from azureml_local.data.dataset_type_definitions import PromoteHeadersBehavior
from azureml_local.pipeline.graph import InputPortBinding


class PipelineOutputAbstractDataset:
    """Base for intermediate data consumed as a dataset."""

    def __init__(self, pipeline_data: Any):
        self._pipeline_data = pipeline_data
        self._registration_name: str | None = None
        self._create_new_version: bool | None = None
        self._input_mode = "mount"
        self._input_name = self._pipeline_data._output_name
        self._input_path_on_compute: str | None = None

    def register(self, name: str, create_new_version: bool = True) -> "PipelineOutputAbstractDataset":
        other = self._clone()
        other._registration_name = name
        other._create_new_version = create_new_version
        return other

    def as_named_input(self, name: str) -> "PipelineOutputAbstractDataset":
        other = self._clone()
        other._input_name = name
        return other

    @property
    def name(self) -> str:
        return self._output_name

    @property
    def input_name(self) -> str:
        return self._input_name

    @property
    def _output_name(self) -> str:
        return self._pipeline_data._output_name

    def create_input_binding(self) -> Any:
        if not self._input_mode:
            raise RuntimeError("Input mode cannot be None or empty.")
        return InputPortBinding(name=self.input_name, bind_object=self._pipeline_data, bind_mode=self._input_mode,
                                path_on_compute=self._input_path_on_compute, overwrite=False,
                                is_input_promoted_to_dataset=True)

    def _set_producer(self, producer: Any) -> None:
        self._pipeline_data._set_producer(producer)

    @property
    def _producer(self) -> Any:
        return self._pipeline_data._producer

    def _clone(self) -> Any:
        return copy(self)

    def _tabular(self) -> dict | None:
        return None


class PipelineOutputFileDataset(PipelineOutputAbstractDataset):
    """Intermediate data promoted to a FileDataset."""

    def as_download(self, path_on_compute: str | None = None) -> "PipelineOutputFileDataset":
        return self._set_mode("download", path_on_compute)

    def as_mount(self, path_on_compute: str | None = None) -> "PipelineOutputFileDataset":
        return self._set_mode("mount", path_on_compute)

    def as_direct(self) -> "PipelineOutputFileDataset":
        return self._set_mode("direct", None)

    def parse_delimited_files(self, include_path: bool = False, separator: str = ",",
                              header: Any = PromoteHeadersBehavior.ALL_FILES_HAVE_SAME_HEADERS,
                              partition_format: str | None = None, file_extension: str | None = "",
                              set_column_types: dict | None = None,
                              quoted_line_breaks: bool = False) -> "PipelineOutputTabularDataset":
        if file_extension == "":
            file_extension = {",": ".csv", "\t": ".tsv"}.get(separator)
        spec = {"format": "delimited", "separator": separator, "include_path": include_path,
                "partition_format": partition_format, "file_extension": file_extension,
                "header": getattr(header, "name", str(header)).lower(),
                "set_column_types": {k: str(v) for k, v in (set_column_types or {}).items()}}
        return PipelineOutputTabularDataset(self, spec)

    def parse_parquet_files(self, include_path: bool = False, partition_format: str | None = None,
                            file_extension: str | None = ".parquet",
                            set_column_types: dict | None = None) -> "PipelineOutputTabularDataset":
        spec = {"format": "parquet", "include_path": include_path, "partition_format": partition_format,
                "file_extension": file_extension,
                "set_column_types": {k: str(v) for k, v in (set_column_types or {}).items()}}
        return PipelineOutputTabularDataset(self, spec)

    def _set_mode(self, mode: str, path_on_compute: str | None) -> "PipelineOutputFileDataset":
        other = self._clone()
        other._input_mode = mode
        other._input_path_on_compute = path_on_compute
        return other


class PipelineOutputTabularDataset(PipelineOutputAbstractDataset):
    """Intermediate data promoted to a TabularDataset (consumed in direct mode)."""

    def __init__(self, pipeline_output_dataset: PipelineOutputFileDataset, additional_transformations: dict):
        if not additional_transformations:
            raise ValueError("Argument additional_transformation cannot be empty or None")
        self._pipeline_output_dataset = pipeline_output_dataset
        self._additional_transformations = dict(additional_transformations)
        super().__init__(pipeline_data=pipeline_output_dataset._pipeline_data)
        self._input_mode = "direct"

    def keep_columns(self, columns: str | list) -> "PipelineOutputTabularDataset":
        return self._with(keep_columns=[columns] if isinstance(columns, str) else list(columns))

    def drop_columns(self, columns: str | list) -> "PipelineOutputTabularDataset":
        return self._with(drop_columns=[columns] if isinstance(columns, str) else list(columns))

    def random_split(self, percentage: float, seed: int | None = None) -> tuple:
        if not 0 < percentage < 1:
            raise ValueError("percentage should be between 0.0 and 1.0")
        first = self._with(random_split={"percentage": percentage, "seed": seed, "part": 1})
        second = self._with(random_split={"percentage": percentage, "seed": seed, "part": 2})
        first._input_name = self._input_name + "_1"
        second._input_name = self._input_name + "_2"
        return first, second

    def _with(self, **change: Any) -> "PipelineOutputTabularDataset":
        other = self._clone()
        other._additional_transformations = dict(self._additional_transformations, **change)
        return other

    def _tabular(self) -> dict | None:
        return dict(self._additional_transformations)
