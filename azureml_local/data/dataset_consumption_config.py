"""``DatasetConsumptionConfig``: how a run consumes a dataset (direct id, download or mount)."""
from __future__ import annotations

import uuid
from typing import Any

from azureml_local.data._config_helper import validate_name
from azureml_local.data.constants import _DATASET_ARGUMENT_TEMPLATE, DIRECT_MODE
from azureml_local.data.dataset_registry import get_by_name
from azureml_local.data.datasets import HDFS_UNSUPPORTED
from azureml_local.data.file_dataset import FileDataset
from azureml_local.data.tabular_dataset import TabularDataset
from azureml_local.exceptions import UserErrorException


class DatasetConsumptionConfig:
    """A dataset input of a run; as an argument it is ``DatasetConsumptionConfig:<name>``."""

    _SUPPORTED_MODE = {"direct", "download", "mount", "hdfs"}

    def __init__(self, name: str | None, dataset: Any, mode: str = DIRECT_MODE, path_on_compute: str | None = None):
        mode = mode.lower()
        DatasetConsumptionConfig._validate_mode(dataset, mode)
        if isinstance(dataset, tuple):
            ws, ds_name = dataset[0], dataset[1]
            version = dataset[2] if len(dataset) > 2 else "latest"
            dataset = get_by_name(ws, ds_name, version)
            if version == "latest":
                dataset._consume_latest = True
        self.dataset = self._validate_if_pipeline_parameter(dataset)
        if name:
            self._name = validate_name(name, "input")
        else:
            ds_id = getattr(self.dataset, "id", None) if not hasattr(self.dataset, "default_value") else None
            self._name = ("input__" + str(ds_id).split("-")[0]) if ds_id else \
                "input__" + str(uuid.uuid4()).split("-")[0]
        self.arg_val = _DATASET_ARGUMENT_TEMPLATE.format(self._name)
        self.mode = mode
        self.path_on_compute = path_on_compute

    @staticmethod
    def _validate_mode(dataset: Any, mode: str) -> None:
        # cycle: OutputDatasetConfig.as_input builds a DatasetConsumptionConfig
        from azureml_local.data.output_dataset_config import OutputTabularDatasetConfig

        if mode not in DatasetConsumptionConfig._SUPPORTED_MODE:
            raise UserErrorException(f"Invalid mode '{mode}'. Mode can only be mount, download, hdfs, link, or direct")
        dataset = getattr(dataset, "default_value", dataset)
        if isinstance(dataset, (TabularDataset, OutputTabularDatasetConfig)) and mode in ("download", "mount", "hdfs"):
            raise UserErrorException(f"{type(dataset)} does not support {mode}. Only FileDataset supports {mode}")

    @staticmethod
    def _validate_if_pipeline_parameter(param: Any) -> Any:
        if not hasattr(param, "default_value"):
            return param
        if not isinstance(param.default_value, (FileDataset, TabularDataset)):
            raise UserErrorException(
                f"Invalid PipelineParameter with default value '{param.default_value}. Default value must be of "
                f"types: {FileDataset.__name__} or {TabularDataset.__name__}")
        return param

    def as_download(self, path_on_compute: str | None = None) -> "DatasetConsumptionConfig":
        return DatasetConsumptionConfig(self.name, self.dataset, "download", path_on_compute)

    def as_mount(self, path_on_compute: str | None = None) -> "DatasetConsumptionConfig":
        return DatasetConsumptionConfig(self.name, self.dataset, "mount", path_on_compute)

    def as_hdfs(self) -> "DatasetConsumptionConfig":
        """HDFS mode needs a Synapse Spark pool, which has no local equivalent."""
        raise UserErrorException(HDFS_UNSUPPORTED)

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = validate_name(value, "input")
        self.arg_val = _DATASET_ARGUMENT_TEMPLATE.format(self._name)

    def _to_definition(self) -> dict:
        """Pipeline-definition input entry (``kind: dataset``); other data kinds are the pipeline's to describe."""
        ds = self.dataset
        inner = getattr(ds, "_to_definition", None)
        return {"name": self._name, "kind": "dataset", "dataset": inner() if inner else None,
                "mode": self.mode, "path_on_compute": self.path_on_compute}

    def __repr__(self) -> str:
        return f"DatasetConsumptionConfig(name={self._name!r}, mode={self.mode!r})"
