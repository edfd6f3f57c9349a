"""``OutputFileDatasetConfig`` and friends: where a run's output folder is uploaded (and registered).

The run engine asks :mod:`azureml_local.data.run_inputs` for the local folder
(``prepare_output``) and uploads it afterwards (``finalize_output``). Destination placeholders
``{run-id}`` and ``{output-name}`` are filled then.
"""
from __future__ import annotations

import uuid
from copy import deepcopy
from typing import Any

from azureml_local.data import definition as defs
from azureml_local.data._config_helper import validate_name
from azureml_local.data.constants import (_DATASET_OUTPUT_ARGUMENT_TEMPLATE, DIRECT_MODE, HDFS_MODE, LINK_MODE,
                                          MOUNT_MODE, UPLOAD_MODE)
from azureml_local.data.dataset_consumption_config import DatasetConsumptionConfig
from azureml_local.data.dataset_type_definitions import PromoteHeadersBehavior
from azureml_local.data.tabular_reader import header_mode
from azureml_local.jobs.placeholders import DEFAULT_OUTPUT_PATH

DEFAULT_DESTINATION = DEFAULT_OUTPUT_PATH


class RegistrationConfiguration:
    def __init__(self, name: str, description: str | None, tags: dict | None):
        self.name = name
        self.description = description
        self.tags = tags


class UploadOptions:
    def __init__(self, overwrite: bool = False, source_globs: Any = None):
        if source_globs is not None and not isinstance(source_globs, list):
            source_globs = [source_globs]
        self.overwrite = overwrite
        self.source_globs = source_globs


class MountOptions:
    def __init__(self, disable_metadata_cache: bool = False):
        self.disable_metadata_cache = disable_metadata_cache


class _Origin:
    def __init__(self) -> None:
        self.producer_step = None

    def __copy__(self) -> "_Origin":
        return self

    def __deepcopy__(self, memodict: dict = {}) -> "_Origin":  # noqa: B006 - SDK signature
        return self


class OutputDatasetConfig:
    """Base of output configs: a name (``DatasetOutputConfig:<name>`` as argument) and registration."""

    def __init__(self, mode: str, name: str | None = None, **kwargs: Any):
        self.mode = mode
        self._name = validate_name(name, "output") if name else self._generate_random_name("output")
        self.arg_val = _DATASET_OUTPUT_ARGUMENT_TEMPLATE.format(self._name)
        self._additional_transformations = kwargs.get("additional_transformations")
        self._registration = kwargs.get("registration")
        self._origin = _Origin()

    def register_on_complete(self, name: str, description: str | None = None, tags: dict | None = None) -> Any:
        if not name:
            raise ValueError("The registration name of the dataset must not be empty.")
        copy = deepcopy(self)
        copy._registration = RegistrationConfiguration(name, description, tags)
        return copy

    def as_input(self, name: str | None = None) -> Any:
        raise NotImplementedError()

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = validate_name(value, "output")
        self.arg_val = _DATASET_OUTPUT_ARGUMENT_TEMPLATE.format(self._name)

    @staticmethod
    def _generate_random_name(prefix: str) -> str:
        return f"{prefix}_{str(uuid.uuid4()).split('-')[0]}"

    def _set_producer(self, step: Any) -> None:
        self._origin.producer_step = step

    @property
    def _producer(self) -> Any:
        return self._origin.producer_step

    def _destination_parts(self) -> tuple[str | None, str]:
        dest = getattr(self, "destination", None)
        if not dest:
            return None, DEFAULT_DESTINATION
        store = dest[0]
        store_name = store if isinstance(store, str) else store.name
        path = dest[1] if len(dest) > 1 and dest[1] else DEFAULT_DESTINATION
        return store_name, path

    def _registration_definition(self) -> dict | None:
        reg = self._registration
        return None if reg is None else {"name": reg.name, "description": reg.description, "tags": reg.tags or {}}

    def _to_definition(self) -> dict:
        """Pipeline-definition output entry (``kind: output_file_dataset``)."""
        datastore, path = self._destination_parts()
        return {"name": self._name, "kind": "output_file_dataset", "datastore": datastore, "path": path,
                "mode": self.mode, "source": getattr(self, "source", None),
                "tabular": self._additional_transformations, "register": self._registration_definition(),
                "upload_options": _upload_options(self), "partition_format": getattr(self, "_partition_format", None)}


def _upload_options(cfg: Any) -> dict | None:
    opts = getattr(cfg, "_upload_options", None)
    return None if opts is None else {"overwrite": opts.overwrite, "source_globs": opts.source_globs}


class TransformationMixin:
    """``read_delimited_files``/``read_parquet_files``: the output becomes a tabular dataset."""

    def read_delimited_files(self, include_path: bool = False, separator: str = ",",
                             header: Any = PromoteHeadersBehavior.ALL_FILES_HAVE_SAME_HEADERS,
                             partition_format: str | None = None, path_glob: str | None = None,
                             set_column_types: dict | None = None) -> "OutputTabularDatasetConfig":
        reader = {"format": "delimited", "separator": separator, "header": header_mode(header),
                  "infer_column_types": True, "include_path": include_path,
                  "set_column_types": defs.column_types_spec(set_column_types), "encoding": "utf8"}
        return self._from_reader(reader, partition_format, path_glob)

    def read_parquet_files(self, include_path: bool = False, partition_format: str | None = None,
                           path_glob: str | None = None, set_column_types: dict | None = None
                           ) -> "OutputTabularDatasetConfig":
        reader = {"format": "parquet", "include_path": include_path,
                  "set_column_types": defs.column_types_spec(set_column_types)}
        return self._from_reader(reader, partition_format, path_glob)

    def _from_reader(self, reader: dict, partition_format: str | None, path_glob: str | None) -> Any:
        copy = deepcopy(self)
        copy._additional_transformations = {"reader": reader, "partition_format": partition_format,  # type: ignore[attr-defined]
                                            "path_glob": path_glob, "transforms": []}
        return OutputTabularDatasetConfig(output_file_dataset_config=copy)


class OutputFileDatasetConfig(OutputDatasetConfig, TransformationMixin):
    """A run output folder uploaded to ``destination`` (default ``workspaceblobstore``,
    ``dataset/{run-id}/{output-name}``)."""

    def __init__(self, name: str | None = None, destination: Any = None, source: str | None = None,
                 partition_format: str | None = None):
        super().__init__(MOUNT_MODE, name)
        self.destination = destination
        self.source = source
        self._upload_options: UploadOptions | None = None
        self._mount_options: MountOptions | None = None
        self._partition_format = partition_format

    def as_mount(self, disable_metadata_cache: bool = False) -> "OutputFileDatasetConfig":
        copy = deepcopy(self)
        copy.mode = MOUNT_MODE
        copy._mount_options = MountOptions(disable_metadata_cache)
        copy._upload_options = None
        return copy

    def as_upload(self, overwrite: bool = False, source_globs: Any = None) -> "OutputFileDatasetConfig":
        copy = deepcopy(self)
        copy.mode = UPLOAD_MODE
        copy._mount_options = None
        copy._upload_options = UploadOptions(overwrite, source_globs)
        return copy

    def as_input(self, name: str | None = None) -> Any:
        return DatasetConsumptionConfig(name or self._generate_random_name("input"), self, MOUNT_MODE)


class HDFSOutputDatasetConfig(OutputDatasetConfig, TransformationMixin):
    """HDFS outputs need Synapse Spark; kept constructible so pipelines fail with a clear message at run time."""

    def __init__(self, name: str | None = None, destination: Any = None):
        super().__init__(HDFS_MODE, name)
        self.destination = destination
        self.source = None
        self._upload_options = None

    def as_input(self, name: str | None = None) -> Any:
        return DatasetConsumptionConfig(name or self._generate_random_name("input"), self, MOUNT_MODE)


class OutputTabularDatasetConfig(OutputDatasetConfig):
    """An output read back as a TabularDataset (consumed in direct mode by the next step)."""

    def __init__(self, **kwargs: Any):
        file_config = kwargs.get("output_file_dataset_config")
        if not file_config:
            raise ValueError("The constructor of this class is not supposed to be called directly. Please create an "
                             "OutputFileDatasetConfig and add additional transforms to get a "
                             "OutputTabularDatasetConfig.")
        super().__init__(file_config.mode, file_config.name,
                         additional_transformations=file_config._additional_transformations,
                         registration=file_config._registration)
        self._output_file_dataset_config = file_config
        self._origin = file_config._origin

    @property
    def destination(self) -> Any:
        return self._output_file_dataset_config.destination

    @property
    def source(self) -> Any:
        return self._output_file_dataset_config.source

    def _with_transform(self, op: str, **args: Any) -> "OutputTabularDatasetConfig":
        copy = deepcopy(self._output_file_dataset_config)
        copy._additional_transformations = deepcopy(self._additional_transformations)
        copy._additional_transformations["transforms"].append(dict(op=op, **args))
        copy._registration = self._registration
        return OutputTabularDatasetConfig(output_file_dataset_config=copy)

    def keep_columns(self, columns: Any) -> "OutputTabularDatasetConfig":
        return self._with_transform("keep_columns", columns=[columns] if isinstance(columns, str) else list(columns))

    def drop_columns(self, columns: Any) -> "OutputTabularDatasetConfig":
        return self._with_transform("drop_columns", columns=[columns] if isinstance(columns, str) else list(columns))

    def random_split(self, percentage: float, seed: int | None = None) -> tuple:
        import random

        seed = random.randrange(2 ** 31) if seed is None else seed
        first = self._with_transform("random_split", percentage=percentage, seed=seed, part=0)
        second = self._with_transform("random_split", percentage=percentage, seed=seed, part=1)
        first.name += "_1"
        second.name += "_2"
        return first, second

    def as_mount(self) -> "OutputTabularDatasetConfig":
        copy = deepcopy(self)
        copy.mode = MOUNT_MODE
        copy._output_file_dataset_config.mode = MOUNT_MODE
        copy._output_file_dataset_config._upload_options = None
        return copy

    def as_upload(self, overwrite: bool = False, source_globs: Any = None) -> "OutputTabularDatasetConfig":
        copy = deepcopy(self)
        copy.mode = UPLOAD_MODE
        copy._output_file_dataset_config.mode = UPLOAD_MODE
        copy._output_file_dataset_config._upload_options = UploadOptions(overwrite, source_globs)
        return copy

    def as_input(self, name: str | None = None) -> Any:
        return DatasetConsumptionConfig(name or self._generate_random_name("input"), self, DIRECT_MODE)

    def _to_definition(self) -> dict:
        d = self._output_file_dataset_config._to_definition()
        d.update(name=self._name, mode=self.mode, tabular=self._additional_transformations,
                 register=self._registration_definition())
        return d


class LinkFileOutputDatasetConfig(OutputDatasetConfig):
    def __init__(self, name: str | None = None):
        super().__init__(LINK_MODE, name)


class LinkTabularOutputDatasetConfig(OutputDatasetConfig):
    def __init__(self, name: str | None = None):
        super().__init__(LINK_MODE, name)
